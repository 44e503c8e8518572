"""The arithmetic kinds share: fully-connected networks (networks/), convolution and pooling layers (layers/),
operation counting (opcount/), the one table of activations and losses (functions.py), answer formulas from
sympy results (formulas.py), penalized gradient steps (regularization.py), and dropout with given masks
(dropout.py). Each computes; none prints.
"""
