"""Every safety cap of the expression language, in one place; all are checked before any evaluation."""

MAX_LENGTH = 2000  # characters of input text
MAX_TOKENS = 1000  # tokens after lexing (numbers, names, operators)
MAX_DEPTH = 50  # nesting of parentheses, arguments, exponents and unary signs
MAX_NODES = 1000  # nodes of the parsed tree
MAX_TREE_DEPTH = 120  # depth of the parsed tree (a/b/c/... chains nest without parentheses)
MAX_LITERAL_DIGITS = 30  # digits in one number literal
MAX_LITERAL_EXPONENT = 100  # |n| in a literal like 1e-3
MAX_EXPONENT = 1000  # |value| of a constant exponent (refuses 10**100000 and towers like 9**9**9**9)
MAX_CONSTANT_BITS = 4096  # bits of numerator or denominator of any constant power or product folded exactly
MAX_SUM_TERMS = 1000  # terms of one Sum (concrete bounds at parse time, symbolic ones at evaluation)
MAX_WORK = 500_000  # units (about 0.5 microseconds each) one evaluation or equivalence check may spend; work.py
MAX_PRECISE_WORK = 100_000  # units the 50-digit confirmation of an equivalence may spend (each a few times dearer)
MAX_INDEX_VALUE = 10**6  # |value| of any index or bound
MAX_INDEX_COMBINATIONS = 256  # index assignments an equivalence check tries (sampled beyond that)
MAX_SIZED_COMBINATIONS = 32  # index assignments it tries again with a distinct value for every size symbol
SYMBOLIC_MAX_NODES = 80  # larger expressions never reach the symbolic fallback
SYMBOLIC_TIMEOUT = 3.0  # seconds; the symbolic fallback runs in a child process killed after this
