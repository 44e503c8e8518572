"""The arithmetic kinds share: fully-connected networks (networks/), convolution and pooling layers (layers/),
operation counting (opcount/), the one table of activations and losses (functions.py), and answer formulas from
sympy results (formulas.py). Each computes; none prints.
"""
