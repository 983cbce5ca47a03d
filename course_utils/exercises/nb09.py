"""Notebook 09's exercises."""
