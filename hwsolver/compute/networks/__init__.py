"""Fully-connected networks: the problem's network, and two independent ways of training it."""
