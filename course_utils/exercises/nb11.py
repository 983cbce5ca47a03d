"""Notebook 11's exercises."""
