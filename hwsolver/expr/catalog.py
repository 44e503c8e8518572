"""The allowlist: every builtin function and constant a formula may name, with arity and spelling aliases."""

from __future__ import annotations

# name -> (min args, max args or None for any number)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "exp": (1, 1),
    "log": (1, 1),
    "sqrt": (1, 1),
    "abs": (1, 1),
    "sigmoid": (1, 1),
    "tanh": (1, 1),
    "relu": (1, 1),
    "softplus": (1, 1),
    "Heaviside": (1, 2),
    "KroneckerDelta": (2, 2),
    "Max": (2, None),
    "Min": (2, None),
}

# parsed by their own rule: softmax(x)[k], log_softmax(x)[k], Sum(body, (j, lo, hi)), Derivative(f(z), z)
SPECIAL_FORMS = ("softmax", "log_softmax", "Sum", "Derivative")

ALIASES: dict[str, str] = {
    "ln": "log",
    "Abs": "abs",
    "max": "Max",
    "min": "Min",
    "σ": "sigmoid",
    "heaviside": "Heaviside",
    "ReLU": "relu",
    "Relu": "relu",
}

CONSTANTS = ("e", "pi")
CONSTANT_ALIASES = {"π": "pi", "E": "e"}

# delta/δ: an array named delta if the problem declares one, else KroneckerDelta when called or subscripted
KRONECKER_SPELLINGS = ("δ",)


def builtin_names() -> frozenset[str]:
    """Every name reserved by the language (a problem may not declare these)."""
    return frozenset(FUNCTIONS) | frozenset(SPECIAL_FORMS) | frozenset(ALIASES) | frozenset(CONSTANTS)
