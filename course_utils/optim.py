"""Optimisers (notebook 07): mini-batches, momentum, Nesterov, learning-rate decay, Adagrad, RMSProp, Adam."""
