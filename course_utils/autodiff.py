"""A tiny reverse-mode automatic differentiator on numpy arrays (notebook 12)."""
