"""A formula's tree hashes once: each of a class's answers is parsed once per text and then looked up in several
memos, and hashing the whole tree at every lookup was a large share of grading a formula part."""

from __future__ import annotations

import pickle
from fractions import Fraction

from hwsolver.expr import Scope, parse
from hwsolver.expr.nodes import Add, Mul, Num, Var

_SCOPE = Scope(variables=("x",), indices=("i", "j"), arrays={"w": 2, "e": 2}, sizes=("K",), index_base=0)


class _Counted(Fraction):
    hashed = 0

    def __hash__(self) -> int:
        _Counted.hashed += 1
        return super().__hash__()


def test_a_tree_is_hashed_once_and_stays_equal_to_its_twin() -> None:
    _Counted.hashed = 0
    tree = Add((Mul((Num(_Counted(1, 5)), Var("x"))), Var("y")))
    first = hash(tree)
    assert hash(tree) == first and {tree: 1}[tree] == 1
    assert _Counted.hashed == 1  # the leaf's number hashed once, for the first lookup
    twin = Add((Mul((Num(Fraction(1, 5)), Var("x"))), Var("y")))
    assert twin == tree and hash(twin) == first


def test_the_remembered_hash_is_not_pickled() -> None:
    """A string's hash differs from process to process: a tree sent to another one hashes there anew."""
    tree = parse("Sum(w[u, j] * e[i - u, j], (u, 0, K - 1)) * sigmoid(x)", _SCOPE)
    hash(tree)
    again = pickle.loads(pickle.dumps(tree))
    assert "_hash" not in again.__dict__ and again == tree and hash(again) == hash(tree)
