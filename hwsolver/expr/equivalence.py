"""Are two formulas the same function? Numeric first (seeded samples), then 50 digits; sympy as a capped fallback.

1. Float64 at the samples of samples.py: random points in the domain, near 0 and outside it, every free index over
   all its values (index_base .. index_base + size - 1; sampled beyond MAX_INDEX_COMBINATIONS). When the formulas
   use sizes, vectors or arrays, a second setting gives each size symbol its own value (size + 1, size + 2, ...) so
   that a hard-coded size or one size symbol for another is caught; and when the student's answer names a size or
   an index literal (KroneckerDelta(C, 3), x[k - 2]) every small size 1..8 is tried, and the sizes around each such
   literal. Points where the reference is no number are skipped; in the domain, the student's answer must be a
   number wherever the reference is one (else `undefined`, with the reason); outside it, where both are numbers,
   they must agree up to 1e-6 of the reference's size in the domain (float rounding grows out there).
2. Then at 50 digits (confirm.py), which sees differences float64 cannot: ref + exp(-40) is another function.
The student's answer is evaluated under one work budget for the whole comparison, which stops at the first
difference. Reading outside a vector or array follows Scope.zero_outside.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.limits import MAX_PRECISE_WORK
from hwsolver.expr.nodes import Add, Call, Expr, Idx, Item, Mul, Neg, Num, Size, Softmax, Sum, free_indices, walk
from hwsolver.expr.samples import Setting, Setup, combinations, point, samples, settings, sweep
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import Budget, OutOfWork

MIN_VALID_POINTS = 8
SWEEP = tuple(range(1, 9))  # the small sizes every answer that names a size is tried at
MAX_SWEEP = 256  # sizes around an index literal are tried up to this; a larger literal leaves it undecided
_OUTSIDE_RTOL = 1e-6


@dataclass(frozen=True)
class Equivalence:
    """Outcome of a comparison: equal is None when undecided; evidence is a sentence for the feedback.

    undefined: the student's formula is no number at a point of the domain where the reference is one (evidence
    says where and why).
    """

    equal: bool | None
    method: str  # "numeric" | "symbolic"
    evidence: str
    counterexample: Mapping[str, Any] | None = None  # input values (and index values) where they differ
    undefined: bool = False


def equivalent(
    student: Expr,
    reference: Expr,
    scope: Scope,
    *,
    domain: tuple[float, float] = (-3.0, 3.0),
    seed: int = 0,
    rtol: float | None = None,
    atol: float | None = None,
    size: int = 4,
    points: int = 24,
) -> Equivalence:
    """Compare two parsed formulas; |a - b| <= atol + rtol * max(|a|, |b|). Without rtol and atol they must be the
    same function (float rounding allowed, then 1e-30 at 50 digits); with them, close to that tolerance."""
    from hwsolver.expr.numeric import evaluator

    exact = rtol is None and atol is None
    tolerance = (1e-6 if rtol is None else rtol, 1e-9 if atol is None else atol)
    free = tuple(sorted(free_indices(student) | free_indices(reference)))
    evaluate, budget = evaluator(student, scope), Budget()  # one budget for every setting and combination
    sized = any(isinstance(n, (Size, Item, Softmax)) for tree in (student, reference) for n in walk(tree))
    main = settings(scope, size, sized)
    extra, too_large = _sweep(student, scope)
    if too_large:
        return Equivalence(None, "numeric", f"undecided: the index {too_large} is beyond the sizes that are tried")
    lo, hi = domain
    valid = total = 0
    clauses = []
    tried: list[tuple[Setup, tuple[tuple[int, ...], ...]]] = []
    for n, setting in enumerate((*main, *extra)):
        setup = Setup(scope, (float(lo), float(hi)), seed, points, setting, len(main) > 1 or n >= len(main))
        combos = combinations(len(free), scope.index_base, setting, seed)
        expected = _reference_values(reference, free, combos, setup)
        counted = _agreeing((student, evaluate), budget, expected, free, combos, setup, tolerance)
        if isinstance(counted, Equivalence):
            return counted
        if n == 0 or n >= len(main):
            tried.append((setup, combos))
        if n < len(main):
            valid, total = valid + counted, total + expected.shape[0] * setup.inside
            agreed = f"{counted} of {expected.shape[0] * setup.inside}"
            agreed += "" if clauses else f" points in [{lo:g}, {hi:g}]"
            clauses.append(_clause(setup, agreed, free, len(combos)))
    if valid >= max(MIN_VALID_POINTS, total // 4):
        if exact:
            differs = _confirm(student, reference, tried, free)
            if differs is not None:
                return differs
        sizes = f", and with every {'/'.join(scope.size_symbols)} = 1..{max(SWEEP)}" if extra else ""
        return Equivalence(True, "numeric", "agreed at " + ", and at ".join(clauses) + sizes)
    from hwsolver.expr.symbolic import symbolic_difference_is_zero

    sparse = f"only {valid} of {total} points in [{lo:g}, {hi:g}] are defined"
    if symbolic_difference_is_zero(student, reference):
        return Equivalence(True, "symbolic", f"sympy simplifies the difference to 0 ({sparse})")
    return Equivalence(None, "symbolic", f"undecided: {sparse}, and sympy did not simplify the difference to 0")


def _sweep(student: Expr, scope: Scope) -> tuple[tuple[Setting, ...], int]:
    """The extra settings for an answer whose value may hang on a size: every small size, and the sizes around
    each index literal it uses; with the first literal too large to try (0 when none)."""
    if not (scope.size_symbols or scope.vectors or scope.arrays):
        return (), 0
    literals: set[int] = set()
    nodes = list(walk(student))
    sums = [n for n in nodes if isinstance(n, Sum)]
    plain = {id(part) for n in sums for b in (n.lo, n.hi) if _plain_bound(b) for part in walk(b)}
    indexing = frozenset(
        i.name for n in nodes for part in _index_parts(n, frozenset()) for i in walk(part) if isinstance(i, Idx)
    )
    named = False
    for node in nodes:
        named = named or (isinstance(node, Size) and id(node) not in plain)
        for index in _index_parts(node, indexing):
            for part in walk(index):
                named = named or (isinstance(part, Mul) and len(part.factors) > 1)  # i*k
                if isinstance(part, Num) and part.value.denominator == 1 and abs(part.value) >= 2:
                    literals.add(abs(int(part.value)))
    if not named and not literals:
        return (), 0
    too_large = [m for m in literals if m > MAX_SWEEP]
    values = set(SWEEP) | {v for m in literals for v in (m - 1, m, m + 1) if 1 <= v <= MAX_SWEEP}
    return sweep(scope, tuple(sorted(values))), min(too_large, default=0)


def _plain_bound(bound: Expr) -> bool:
    """C, C - 1 or C + 1 as a sum's bound: a size used as the settings already test it (4 and 5 tell these apart)."""
    if isinstance(bound, Size):
        return True
    if isinstance(bound, Add) and len(bound.terms) == 2 and isinstance(bound.terms[0], Size):
        last = bound.terms[1]
        number = last.arg if isinstance(last, Neg) else last
        return isinstance(number, Num) and number.value == 1
    return False


def _index_parts(node: Expr, indexing: frozenset[str]) -> tuple[Expr, ...]:
    """The index expressions of node; a sum's bounds when its variable is among those that index something."""
    if isinstance(node, Item):
        return node.indices
    if isinstance(node, Softmax):
        return (node.index,)
    if isinstance(node, Sum):
        return (node.lo, node.hi) if node.var in indexing else ()
    if isinstance(node, Call) and node.name == "KroneckerDelta":
        return node.args
    return ()


def _agreeing(
    answer: tuple[Expr, Callable[..., Any]],
    budget: Budget,
    expected: Any,
    free: tuple[str, ...],
    combos: tuple[tuple[int, ...], ...],
    setup: Setup,
    tolerance: tuple[float, float],
) -> int | Equivalence:
    """How many points in the domain of one setting the answer agrees at, or the verdict where it does not."""
    import numpy as np

    (student, evaluate), (rtol, atol) = answer, tolerance
    env, counted, inside = samples(setup), 0, setup.inside
    for want, combo in zip(expected, combos, strict=True):
        indices = dict(zip(free, combo, strict=True))
        try:
            got = _row(evaluate({**env, **indices}, budget), setup.rows)
        except ExprError as exc:
            return Equivalence(False, "numeric", f"could not be evaluated: {exc}")
        with np.errstate(all="ignore"):
            finite, numbers = np.isfinite(want), np.isfinite(got)
            scale = np.abs(want[:inside][finite[:inside]]).max(initial=0.0)
            slack = np.full(setup.rows, atol)
            slack[inside:] += _OUTSIDE_RTOL * scale  # float rounding grows outside the domain
            close = np.abs(got - want) <= slack + rtol * np.maximum(np.abs(got), np.abs(want))
        undefined = finite & ~numbers
        undefined[inside:] = False
        if undefined.any():
            n = int(np.argmax(undefined))
            return _undefined(setup, n, indices, student, env)
        bad = finite & numbers & ~close
        if bad.any():
            n = int(np.argmax(bad))
            return _differs(setup, n, indices, _fmt(got[n]), _fmt(want[n]))
        counted += int(finite[:inside].sum())
    return counted


def _differs(setup: Setup, n: int, indices: dict[str, int], got: str, want: str = "") -> Equivalence:
    """Evidence of a difference: the values, or (without want) the gap found at 50 digits."""
    at = point(setup, n, indices)
    where = ", ".join(f"{k} = {_fmt(v)}" for k, v in at.items())
    if n >= setup.inside:
        where += f" (outside [{setup.domain[0]:g}, {setup.domain[1]:g}])"
    how = f"{got} vs {want} expected" if want else f"by {got} (computed to 50 digits)"
    return Equivalence(False, "numeric", f"differs at {where}: {how}", at)


def _undefined(setup: Setup, n: int, indices: dict[str, int], student: Expr, env: Mapping[str, Any]) -> Equivalence:
    from hwsolver.expr.undefined import why_no_number

    at = point(setup, n, indices)
    where = ", ".join(f"{k} = {_fmt(v)}" for k, v in at.items())
    single = {name: value[n : n + 1] if hasattr(value, "shape") else value for name, value in env.items()}
    reason = why_no_number(student, setup.scope, {**single, **indices})
    return Equivalence(False, "numeric", f"is no number at {where}: {reason}", at, undefined=True)


def _confirm(
    student: Expr, reference: Expr, tried: list[tuple[Setup, Any]], free: tuple[str, ...]
) -> Equivalence | None:
    """The verdict when the two differ at 50 digits (confirm.py), or cannot be compared there; else None. The first
    setting is tried at several points, each extra size setting (a sweep) at one."""
    from hwsolver.expr.confirm import difference

    budget = Budget(MAX_PRECISE_WORK)
    for n, (setup, combos) in enumerate(tried):
        try:
            found = difference(student, reference, setup, free, combos, budget, few=n > 0)
        except OutOfWork:
            return Equivalence(None, "numeric", "undecided: the formula is too large to check to 50 digits")
        if found is not None:
            break
    else:
        return None
    row, combo, got, want = found
    indices = dict(zip(free, combo, strict=True))
    if got is None or got != got:  # no number (nan) at 50 digits
        at = point(setup, row, indices)
        where = ", ".join(f"{k} = {_fmt(v)}" for k, v in at.items())
        return Equivalence(False, "numeric", f"is no number at {where} (computed to 50 digits)", at, undefined=True)
    return _differs(setup, row, indices, f"{float(abs(got - want)):.3g}")


def _clause(setup: Setup, agreed: str, free: tuple[str, ...], combos: int) -> str:
    """ "96 of 96 points in [-3, 3] with C = 4 (4 values of k in 1..4)": where one setting agreed."""
    text = agreed
    if setup.sized:
        text += " with " + ", ".join(f"{name} = {value}" for name, value in setup.setting.sizes)
    if free:
        base, span = setup.scope.index_base, setup.setting.span
        text += f" ({combos} values of {', '.join(free)} in {base}..{base + span - 1})"
    return text


def _row(values: Any, rows: int) -> Any:
    import numpy as np

    try:
        return np.broadcast_to(values, (rows,))
    except ValueError as exc:
        raise ExprError(f"expression does not give one number per point: shape {values.shape}") from exc


@lru_cache(maxsize=1024)  # a reference is compared with many answers
def _reference_values(reference: Expr, free: tuple[str, ...], combos: tuple[tuple[int, ...], ...], setup: Setup) -> Any:
    """The reference at every sample row for every index combination: array of shape (combinations, rows)."""
    import numpy as np

    from hwsolver.expr.numeric import evaluator

    env, evaluate, budget = samples(setup), evaluator(reference, setup.scope), Budget()
    out = np.empty((len(combos), setup.rows))
    for row, combo in enumerate(combos):
        out[row] = _row(evaluate({**env, **dict(zip(free, combo, strict=True))}, budget), setup.rows)
    out.flags.writeable = False
    return out


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.6g}"
