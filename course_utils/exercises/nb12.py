"""Notebook 12's exercises."""
