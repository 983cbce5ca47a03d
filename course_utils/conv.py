"""Convolutional layers (notebooks 09 and 10): padding, convolution, pooling, flatten, forward and backward."""
