"""Hostile input: code-execution attempts, resource exhaustion, malformed syntax, TeX commands.

Every string must be refused with an ExprError whose message is one line naming a column, with bounded work (the
work meter, not the clock), while eval/exec/sympify/parse_expr/lambdify are booby-trapped to fail on any argument
holding the input.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.random  # (load before the traps: imports exec generated source)
import pytest
import sympy
import sympy.core.sympify
import sympy.parsing.sympy_parser
import sympy.utilities.lambdify

import hwsolver.expr.numeric
import hwsolver.expr.symbolic
import hwsolver.expr.sympy_build  # noqa: F401
from hwsolver.errors import ExprError
from hwsolver.expr import LocatedExprError, Scope, compile_numeric, equivalent, parse, to_sympy
from hwsolver.expr.limits import MAX_LENGTH, MAX_NODES, MAX_PRECISE_WORK, MAX_TOKENS, MAX_WORK
from hwsolver.expr.work import Meter

SCOPE = Scope(variables=("x",), indices=("i", "k"), vectors={"v": "C"}, arrays={"w": 2}, functions=("f", "fprime"))
PACKAGE = Path(__file__).resolve().parents[2] / "hwsolver" / "expr"

HOSTILE = [
    # code execution
    ("__import__('os').system('ls')", "names may not start with '_'"),
    ("().__class__", "'.' is not allowed here"),
    ("x.__class__", "'.' is not allowed here"),
    ("x.real", "'.' is not allowed here"),
    ("lambda: 1", "':' is not allowed"),
    ("[c for c in ()]", "unknown name 'c'"),
    ("'abc'", "quotes are not allowed"),
    ('eval("1")', "quotes are not allowed"),
    ("eval(x)", "unknown name 'eval'"),
    ("exec(x)", "unknown name 'exec'"),
    ("open('/etc/passwd')", "quotes are not allowed"),
    ("getattr(x, x)", "unknown name 'getattr'"),
    ('f"{x}"', "quotes are not allowed"),
    ("x\\n", "column 2: read as LaTeX: unknown or unsupported TeX command '\\n'"),
    ("x; import os", "';' is not allowed"),
    ("x if x else x", "unknown name 'if'"),
    ("globals()", "unknown name 'globals'"),
    ("x @ x", "unexpected character '@'"),
    ("x # comment", "unexpected character '#'"),
    ("\x00", "unexpected character 'U+0000'"),
    ("x\u202e", "unexpected character 'U+202E'"),
    # resource exhaustion
    ("9**9**9**9", "exponent too large"),
    ("10**100000", "exponent too large"),
    ("2^2^2^2^2^2", "exponent too large"),
    ("x^(10^300)", "exponent too large"),
    ("(2^1000)^1000", "constant too large"),
    ("1" * 100, "number too long"),
    ("1e999", "exponent of a number literal must be at most"),
    ("(" * 10_000 + "x" + ")" * 10_000, "expression too long"),
    ("(" * 400 + "x" + ")" * 400, "nested too deeply"),
    ("-" * 1500 + "x", "expression too long"),
    ("-" * 60 + "x", "nested too deeply"),
    ("x^" * 60 + "x", "nested too deeply"),
    ("x/" * 400 + "x", "nested too deeply"),
    ("x" * 1_000_000, "expression too long"),
    ("x+" * 999 + "x", "expression too long"),
    ("Sum(x, (j, 1, 10**12))", "sum bounds may only use integers"),
    ("Sum(x, (j, 1, 1000000000000))", "too many terms"),
    ("Sum(Sum(Sum(x, (a, 1, 100)), (b, 1, 100)), (c, 1, 100))", "nested sums too large"),
    ("Sum(x, " + ", ".join(["(j, 1, 2)"] * 150) + ")", "expression too long"),
    ("Sum(x, (a, 1, 100), (b, 1, 100), (c, 1, 100))", "nested sums too large"),
    ("Sum(Sum(x, (p, 1, 710)), (q, 1, 710))", "nested sums too large"),  # 710^2 terms: refused before evaluation
    ("Sum(Sum(" + "x*" * 399 + "x, (p, 1, 300)), (q, 1, 300)) + 0*i*k", "nested sums too large"),  # body size counts
    ("Sum(Sum(" + "1.01*" * 359 + "1.01, (p, 1, 300)), (q, 1, 300))", "nested sums too large"),
    ("v_" + "9" * 40, "number too long"),
    ("w_{" + "i," * 900 + "i}", "w takes 2 indices, got 901"),
    ("x!", "factorials are not supported"),
    ("factorial(x)", "unknown name 'factorial'"),
    ("gamma(x)", "unknown name 'gamma'"),
    # malformed
    ("", "the expression is empty"),
    ("x +", "the expression ends too early"),
    ("* x", "unexpected '*'"),
    ("x,x", "unexpected ','"),
    (")(", "unmatched ')'"),
    ("(]", "does not match"),
    ("2 3", "missing operator"),
    ("1.2.3", "missing operator"),
    ("exp(x = 1)", "expected ')' to close the '(' at column 4, found '='"),
    ("x = ", "nothing follows the '='"),
    ("__import__('os') = x", "names may not start with '_'"),
    ("exp", "needs its arguments in parentheses"),
    ("v", "needs 1 index"),
    ("KroneckerDelta(x, i)", "KroneckerDelta's arguments may only use"),
    # subscripts and soft aliases
    ("σ__class__", "names may not start with '_'"),
    ("v_k.__class__", "'.' is not allowed here"),
    ("(x)__class__", "names may not start with '_'"),
    ("(x)_k", "a subscript '_' only follows a vector or array"),
    ("v_{__class__}", "a subscript in braces holds only indices and digits"),
    ("v_{k}}", "column 6: read as LaTeX: unmatched '}'"),
    ("v_{k+eval(x)}", "column 5: read as plain text: a subscript in braces holds only indices and digits"),
    ("x_k", "unknown name 'x_k'"),
    ("sum([x])", "write a sum as Sum(body, (j, lo, hi))"),
    # LaTeX
    (r"$\input{/etc/passwd}$", r"TeX command '\input'"),
    (r"$\def\x{1}\x$", r"TeX command '\def'"),
    (r"$\write18{rm -rf /}$", r"TeX command '\write'"),
    (r"$\catcode`\^=7$", r"TeX command '\catcode'"),
    (r"$\csname x\endcsname$", r"TeX command '\csname'"),
    (r"$\immediate\write18{ls}$", r"TeX command '\immediate'"),
    (r"$\include{x}$", r"TeX command '\include'"),
    (r"$\newcommand{\x}{1}$", r"TeX command '\newcommand'"),
    (r"$\usepackage{x}$", r"TeX command '\usepackage'"),
    ("$" + "{" * 900 + "x" + "}" * 900 + "$", "nested too deeply"),
    ("$" + r"\frac{" * 150 + "x" + "}{1}" * 150 + "$", "nested too deeply"),
    ("$" + r"\log" * 450 + " x$", "nested too deeply"),
    ("$" + r"\mathbf{" * 200 + "x" + "}" * 200 + "$", "nested too deeply"),
    (r"$x % \input{a}$", "TeX comments"),
    ("$x$$", "'$' may only wrap the whole formula"),
    ("$x\\$", "a backslash must start a TeX command"),
]


class _Traps:
    """Makes eval/exec/sympify/parse_expr/lambdify fail whenever a string argument holds the student's text."""

    def __init__(self) -> None:
        self.student = ""

    def wrap(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            text = self.student
            if len(text) >= 4 and any(isinstance(a, str) and text in a for a in (*args, *kwargs.values())):
                raise AssertionError(f"{name} was called with the student's text")
            return original(*args, **kwargs)

        return guarded


@pytest.fixture
def traps(monkeypatch: pytest.MonkeyPatch) -> _Traps:
    """Booby-trap every text evaluator; libraries may still exec their own generated source."""
    trap = _Traps()
    for module, name in [
        (builtins, "eval"),
        (builtins, "exec"),
        (sympy, "sympify"),
        (sympy.core.sympify, "sympify"),
        (sympy, "parse_expr"),
        (sympy.parsing.sympy_parser, "parse_expr"),
        (sympy, "lambdify"),
        (sympy.utilities.lambdify, "lambdify"),
    ]:
        if hasattr(module, name):
            monkeypatch.setattr(module, name, trap.wrap(name, getattr(module, name)))
    return trap


def test_the_traps_work(traps: _Traps) -> None:
    traps.student = "x + 1"
    with pytest.raises(AssertionError, match="sympify was called"):
        sympy.sympify("x + 1")
    with pytest.raises(AssertionError, match="eval was called"):
        eval("x + 1", {"x": 1})


def test_suite_is_large_enough() -> None:
    assert len(HOSTILE) >= 40


class _Work:
    """The work (work.Meter) done inside a with-block: parser steps and evaluation units."""

    def __enter__(self) -> _Work:
        self.steps, self.units = Meter.steps, Meter.units
        return self

    def __exit__(self, *exc: object) -> None:
        self.steps, self.units = Meter.steps - self.steps, Meter.units - self.units


# A parse reads each character once and makes at most this many tokens and nodes: refused input costs no more.
PARSE_STEPS = MAX_LENGTH + MAX_TOKENS + MAX_NODES
# One comparison: the student's budget, the reference's (worked out once), and the 50-digit confirmation's.
COMPARISON_UNITS = 2 * MAX_WORK + (1 + 4) * MAX_PRECISE_WORK


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=[repr(t[:30]) for t, _ in HOSTILE])
def test_hostile_input_is_refused_with_bounded_work(traps: _Traps, text: str, message: str) -> None:
    traps.student = text
    with _Work() as work, pytest.raises(ExprError) as info:
        parse(text, SCOPE)
    assert work.steps <= PARSE_STEPS and work.units == 0
    err = info.value
    assert message in str(err)
    assert "\n" not in str(err) and len(str(err)) < 400  # the longest list what the answer may use
    assert isinstance(err, LocatedExprError) and str(err).startswith(f"column {err.column}: ")
    assert err.caret.count("\n") == 2 and err.caret.splitlines()[2].strip() == "^"


@pytest.mark.parametrize(
    "text",
    [
        "exp(exp(exp(exp(x))))",
        "x^x^x^x^x",
        "2^1000*2^1000*2^1000",
        "(x+1)^1000",
        "f(x)(x)",
        "sqrt(2^1000 + 1)",
        "σ'(" * 45 + "x" + ")" * 45,  # sigma'(a) is sigma(a)*(1 - sigma(a)): never a tree that doubles per level
        "Derivative(f(" + "σ'(" * 24 + "x" + ")" * 24 + "), " + "σ'(" * 24 + "x" + ")" * 24 + ")",
    ],
    ids=lambda t: repr(t[:30]),
)
def test_nasty_but_valid_input_stays_within_its_budgets(traps: _Traps, text: str) -> None:
    traps.student = text
    with _Work() as work:
        tree = parse(text, SCOPE)
        equivalent(tree, tree, SCOPE)
        compile_numeric(tree, SCOPE)({"x": 0.5, "f": lambda t: t, "fprime": lambda t: t})
        to_sympy(tree)
    assert work.steps <= PARSE_STEPS and work.units <= COMPARISON_UNITS + MAX_WORK


FORBIDDEN_CALLS = {"eval", "exec", "compile", "sympify", "parse_expr", "lambdify", "parse_latex", "S", "__import__"}


@pytest.mark.parametrize("source", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_package_never_calls_text_evaluators(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    patterns = {id(node) for statement in tree.body for node in ast.walk(statement) if _module_pattern(statement, node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in patterns:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            assert name not in FORBIDDEN_CALLS, f"{source.name}:{node.lineno} calls {name}"


def _module_pattern(statement: ast.stmt, node: ast.AST) -> bool:
    """re.compile(...) assigned at module level (the lexer's token pattern): made at import, before any text."""
    func = getattr(node, "func", None)
    return (
        isinstance(statement, ast.Assign)
        and isinstance(func, ast.Attribute)
        and func.attr == "compile"
        and isinstance(func.value, ast.Name)
        and func.value.id == "re"
    )


WIDE = Scope(variables=("x",), indices=("i", "j", "k", "l"), vectors={"v": "C"})


def _worked(fn: Callable[[], Any]) -> tuple[Any, _Work]:
    with _Work() as work:
        try:
            out: Any = fn()
        except ExprError as exc:
            out = exc
    return out, work


BUDGET_CASES = [
    # each evaluation stays under the cap, but not 256 index combinations of it (the reference is cheap and equal)
    ("Sum(Sum(" + "x*" * 99 + "x, (p, 1, 30)), (q, 1, 30)) + 0*i*j*k*l", "900*x^100", False),
    ("Sum(Sum(" + "x*" * 299 + "x, (p, 1, C)), (q, 1, 300)) + 0*i*j*k*l", "1200*x^300", False),
    ("Sum(" + "softmax(v)[i]*" * 60 + "f(x), (p, 1, 700)) + 0*i*j*k*l", "700*softmax(v)[i]^60*f(x)", False),
    ("Sum(" + "f(" * 45 + "x" + ")" * 45 + "*0*i*j*k*l, (p, 1, 1000))", "0*x", False),
    # sums over a size: nothing known at parse time, charged at evaluation before any term
    ("Sum(Sum(Sum(" + "v[p]*" * 99 + "x, (p, 1, C)), (q, 1, 100)), (r, 1, 100))", "x", False),
    # one evaluation just under the cap: evaluated, and equal in float64; too large to confirm at 50 digits
    ("Sum(Sum(" + "x*" * 99 + "x, (p, 1, 30)), (q, 1, 32))", "960*x^100", None),
    (
        "Sum(Sum(" + "σ'(" * 45 + "x" + ")" * 45 + ", (p, 1, 30)), (q, 1, 30))",
        "900*" + "σ'(" * 45 + "x" + ")" * 45,
        None,
    ),
]


@pytest.mark.parametrize(("text", "reference", "equal"), BUDGET_CASES, ids=lambda t: repr(t)[:30])
def test_evaluation_has_one_budget_for_the_whole_comparison(
    traps: _Traps, text: str, reference: str, equal: bool | None
) -> None:
    scope = Scope(variables=("x",), indices=("i", "j", "k", "l"), vectors={"v": "C"}, functions=("f",))
    traps.student = text
    student = parse(text, scope)
    with _Work() as work:
        result = equivalent(student, parse(reference, scope), scope)
    assert work.units <= COMPARISON_UNITS
    assert result.equal is equal
    if equal is False:
        assert result.evidence == f"could not be evaluated: evaluation needs more than {MAX_WORK} steps"
    else:
        assert result.evidence == "undecided: the formula is too large to check to 50 digits"
        assert equivalent(student, parse(reference, scope), scope, rtol=1e-6).equal is True  # float64 alone


@pytest.mark.parametrize(
    ("inner", "outer"), [(316, 316), (706, 706), (706, 705), (705, 705), (1000, 499), (1000, 498), (498, 1000)]
)
def test_what_parses_evaluates_within_the_same_budget(inner: int, outer: int) -> None:
    text = f"Sum(Sum(x, (p, 1, {inner})), (q, 1, {outer}))"
    tree, _ = _worked(lambda: parse(text, WIDE))
    if isinstance(tree, ExprError):
        assert "nested sums too large" in str(tree)
        return
    value, work = _worked(lambda: compile_numeric(tree, WIDE)({"x": np.ones(3)}))
    assert not isinstance(value, ExprError), value
    assert value.tolist() == [inner * outer] * 3 and work.units <= MAX_WORK


def test_a_constant_just_under_the_budget_evaluates_quickly() -> None:
    from hwsolver.grading.formulas import Formulas

    for factors, terms in ((30, 50), (60, 30), (300, 10)):
        text = f"Sum(Sum({'*'.join(['1.01'] * factors)}, (p, 1, {terms})), (q, 1, {terms}))"
        value, work = _worked(lambda text=text: Formulas().constant(text))
        assert work.units <= MAX_WORK
        assert isinstance(value, ExprError) or value == pytest.approx(terms * terms * 1.01**factors)
