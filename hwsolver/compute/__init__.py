"""The arithmetic kinds share: fully-connected networks (networks/), convolution and pooling layers (layers/),
operation counting (opcount/), the one table of activations and losses (functions.py), answer formulas from
sympy results (formulas.py), layer shapes and counts of a stack and their NumPy witness (stack.py,
stack_arrays.py), torch.nn.init's schemes exactly and in floats (init_schemes.py, init_floats.py), twin units of
a network started symmetric (symmetry.py), penalized gradient steps (regularization.py), dropout with given masks
(dropout.py), an objective of named parameters and its gradient (objective.py), torch.optim's updates
(optimizers.py) and learning-rate schedules (schedules.py). Each computes; none prints.
"""
