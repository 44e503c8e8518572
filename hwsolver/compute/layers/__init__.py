"""Convolution and pooling layers: forward and backward passes, exact unit by unit and vectorized in NumPy."""
