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
    "sinh": (1, 1),
    "cosh": (1, 1),
    "sech": (1, 1),
    "csch": (1, 1),
    "coth": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "relu": (1, 1),
    "softplus": (1, 1),
    "Heaviside": (1, 2),
    "KroneckerDelta": (2, 2),
    "Max": (2, None),
    "Min": (2, None),
    "sigmoid'": (1, 1),  # written sigmoid'(x) or σ'(x) (see PRIMED_BUILTINS); one node, however deeply nested
    "sigmoid''": (1, 1),
}
UNARY_FUNCTIONS = tuple(name for name, arity in FUNCTIONS.items() if arity == (1, 1))

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

# ASCII spellings students use that give way to a problem's own name: sigma(x) is sigmoid(x) unless the problem
# declares sigma; sum(body, (j, lo, hi)) is Sum. They are not reserved (a scope may declare them).
SOFT_ALIASES: dict[str, str] = {"sigma": "sigmoid", "sum": "Sum", "delta": "δ"}

# delta/δ: an array named delta if the problem declares one, else KroneckerDelta when called or subscripted
# (delta(i, k), delta[i, k], δ_ik, delta_{i,k}); \delta in LaTeX reads as δ.
KRONECKER_SPELLINGS = ("δ", "delta")

# builtins whose derivative may be written with a prime, and the function that derivative is: sigmoid'(x) and
# σ'(x) are sigmoid'(x), which is sigmoid(x)*(1 - sigmoid(x)) (kept as one call: the expansion would repeat x);
# σ''(x) is sigmoid''(x) = sigmoid'(x)*(1 - 2*sigmoid(x))
PRIMED_BUILTINS = {"sigmoid": "sigmoid'", "sigmoid'": "sigmoid''"}
# the function each derivative is the derivative of, and how a message writes it
DERIVATIVE_OF = {derivative: name for name, derivative in PRIMED_BUILTINS.items()}
SHOWN = {"sigmoid": "σ", "sigmoid'": "σ'", "sigmoid''": "σ''"}

# Words a count may end with ("3Ln^2 multiplications", "2n^2 FLOPs", "3Ln^2 次乘法"): dropped, with a note.
UNIT_WORDS = (
    *("multiplications", "multiplication", "mults", "mult", "muls", "multiplies", "additions", "addition", "adds"),
    *("operations", "operation", "ops", "flops", "flop", "macs", "mac", "times"),
)
UNIT_WORDS_CJK = ("次乘法", "次加法", "次运算", "次浮点运算", "次乘", "次加", "乘法", "加法", "次", "个")


def builtin_names() -> frozenset[str]:
    """Every name reserved by the language (a problem may not declare these)."""
    return frozenset(FUNCTIONS) | frozenset(SPECIAL_FORMS) | frozenset(ALIASES) | frozenset(CONSTANTS)
