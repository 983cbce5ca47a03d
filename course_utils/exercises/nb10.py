"""Notebook 10's exercises."""
