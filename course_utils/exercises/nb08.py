"""Notebook 08's exercises."""
