"""Scope: the names one answer may use, declared by the problem (variables, indices, vectors, arrays)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.catalog import builtin_names


class FrozenMap(Mapping[str, Any]):
    """A read-only, hashable mapping so that a Scope can key caches."""

    __slots__ = ("_hash", "_items")

    def __init__(self, items: Mapping[str, Any]) -> None:
        self._items = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __contains__(self, key: object) -> bool:  # Mapping's own goes through __getitem__ and an exception
        return key in self._items

    def get(self, key: str, default: Any = None) -> Any:
        return self._items.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:  # worked out once: a Scope keys the parser's caches, hashed at every reading
        if self._hash is None:
            self._hash = hash(tuple(self._items.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        return super().__eq__(other)

    def __repr__(self) -> str:
        return repr(self._items)


@dataclass(frozen=True)
class Scope:
    """Names an answer may use; any other name is an error listing these.

    vectors map a name to its size symbol (x: "C" means x[1..C] when index_base is 1); arrays map a name
    to its number of indices; sizes are extra integer symbols (e.g. K) for Sum bounds and index arithmetic;
    functions are problem-declared functions such as f and fprime (numeric callers supply them in the env).
    index_base is the first valid index of every vector and array: 1 for x[1..C], 0 for w[0..K-1].
    zero_outside: an index outside a vector or array reads 0 (a convolution's "terms outside are zero");
    otherwise such a read cannot be evaluated (a student's answer is then wrong, a reference is a bug).
    ranges give the bounds of a sum written without them (\\sum_{u,v}): index -> (low, high) as formula texts,
    e.g. {"u": ("0", "K - 1")}; an index not listed runs over the vector it reads (x_j: 1..C).
    aliases are names read as a formula text in their place (a problem's `aliases: {p: softmax(x)}`); an alias of
    a declared vector or array is another name for it, indices and all (`delta: e`, and then δ too: δ^{(l)}_{i,j}).
    asked lists builtin functions whose value the answer is asked for (sigmoid' when it asks for σ'(x)): an answer
    using them restates the question. order_only: only the order of growth is asked, so O(...) is an answer.
    """

    variables: tuple[str, ...] = ()
    indices: tuple[str, ...] = ()
    vectors: Mapping[str, str] = field(default_factory=dict)
    arrays: Mapping[str, int] = field(default_factory=dict)
    functions: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    index_base: int = 1
    zero_outside: bool = False
    ranges: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    asked: tuple[str, ...] = ()
    order_only: bool = False

    def __post_init__(self) -> None:
        for name in ("variables", "indices", "functions", "sizes", "asked"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        object.__setattr__(self, "vectors", FrozenMap(self.vectors))
        object.__setattr__(self, "arrays", FrozenMap({k: int(v) for k, v in self.arrays.items()}))
        object.__setattr__(self, "ranges", FrozenMap({k: (str(lo), str(hi)) for k, (lo, hi) in self.ranges.items()}))
        object.__setattr__(self, "aliases", FrozenMap({k: str(v) for k, v in self.aliases.items()}))
        _validate(self)

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:  # a Scope keys the parser's and the grader's caches: hashed once, not at each reading
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    @cached_property
    def size_symbols(self) -> tuple[str, ...]:
        """Declared sizes plus the size symbol of every vector, in declaration order."""
        return tuple(dict.fromkeys((*self.sizes, *self.vectors.values())))

    @cached_property
    def renames(self) -> dict[str, str]:
        """The aliases that are another name for a declared vector or array (delta for e; δ too then)."""
        renames = {k: v for k, v in self.aliases.items() if self.kind_of(v) in ("vector", "array")}
        return {**renames, "δ": renames["delta"]} if "delta" in renames else renames

    @cached_property
    def rewritten(self) -> frozenset[str]:
        """The names expand_aliases replaces: aliases and renames."""
        return frozenset(self.aliases) | frozenset(self.renames)

    def kind_of(self, name: str) -> str | None:
        """'variable', 'index', 'vector', 'array', 'function' or 'size' for a declared name, else None."""
        return self._kinds.get(name)

    @cached_property
    def _kinds(self) -> dict[str, str]:
        """Every declared name's kind (the parser asks for each name it reads); the first group listed wins."""
        kinds: dict[str, str] = {}
        groups = (
            ("size", self.size_symbols),
            ("array", tuple(self.arrays)),
            ("vector", tuple(self.vectors)),
            ("variable", self.variables),
            ("index", self.indices),
            ("function", self.functions),
        )
        for kind, names in groups:  # later groups overwrite: functions win, as the checks in this order did
            kinds.update(dict.fromkeys(names, kind))
        return kinds

    def names(self) -> tuple[str, ...]:
        """Every declared name, in the order error messages list them."""
        names = (*self.variables, *self.vectors, *self.arrays, *self.indices, *self.size_symbols, *self.functions)
        return tuple(dict.fromkeys(names))

    def allowed(self) -> str:
        """What an answer may use, for error messages: "this answer may use: x (variable); functions: exp, ..."."""
        groups = (
            (self.variables, "variable"),
            (tuple(self.vectors), "vector"),
            (tuple(self.arrays), "array"),
            (self.indices, "index"),
            (tuple(n for n in self.size_symbols if n not in self.variables), "size"),
            (tuple(self.aliases), "alias"),
        )
        names = [f"{', '.join(group)} ({_plural(kind, len(group))})" for group, kind in groups if group]
        functions = [*self.functions, *BUILTINS_SHOWN]
        if self.indices or self.vectors:
            functions += ["KroneckerDelta (δ)", "Sum"]
        if self.vectors:
            functions += ["softmax", "log_softmax"]
        declared = "; ".join(names) or "numbers only (no variables)"
        return f"this answer may use: {declared}; functions: {', '.join(functions)}"


BUILTINS_SHOWN = (
    *("exp", "log", "sqrt", "abs", "sigmoid (σ)", "tanh", "sinh", "cosh", "sech", "csch", "coth", "sin", "cos"),
    *("tan", "relu", "softplus", "Heaviside", "Max", "Min"),
)


def _plural(kind: str, count: int) -> str:
    if count == 1:
        return kind
    return "indices" if kind == "index" else kind + "es" if kind.endswith("s") else kind + "s"


def _validate(scope: Scope) -> None:
    seen: dict[str, str] = {}
    groups = {
        "variable": scope.variables,
        "index": scope.indices,
        "vector": tuple(scope.vectors),
        "array": tuple(scope.arrays),
        "function": scope.functions,
        "size": scope.size_symbols,
    }
    reserved = builtin_names() - {"e"}
    for kind, names in groups.items():
        for name in names:
            if not (isinstance(name, str) and name.isascii() and name.isidentifier()) or name.startswith("_"):
                raise ExprError(f"scope: {kind} name {name!r} is not a plain identifier")
            if name in reserved:
                raise ExprError(f"scope: {kind} {name!r} clashes with a builtin name")
            if name in seen and not (kind == "size" and seen[name] == "size"):
                raise ExprError(f"scope: {name!r} is declared both as {seen[name]} and as {kind}")
            seen[name] = kind
    for name in (*scope.ranges, *scope.aliases):
        if not (isinstance(name, str) and name.isascii() and name.isidentifier()) or name in reserved:
            raise ExprError(f"scope: {name!r} cannot name an index range or an alias")
    for name in scope.aliases:
        if name in seen:
            raise ExprError(f"scope: alias {name!r} is also declared as {seen[name]}")
    for name, ndim in scope.arrays.items():
        if not 1 <= ndim <= 4:
            raise ExprError(f"scope: array {name!r} must have 1 to 4 indices, not {ndim}")
    if scope.index_base not in (0, 1):
        raise ExprError(f"scope: index_base must be 0 or 1, not {scope.index_base}")
