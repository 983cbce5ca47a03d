"""The original series' real bugs, each as a function with the correct one's signature (notebook 13)."""
