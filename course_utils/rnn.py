"""Recurrent layers (notebooks 11 and 12): RNN, GRU and LSTM cells, forward and backward through time."""
