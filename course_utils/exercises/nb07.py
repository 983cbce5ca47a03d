"""Notebook 07's exercises."""
