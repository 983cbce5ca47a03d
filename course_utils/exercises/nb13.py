"""Notebook 13's exercises."""
