"""The relu exercise's shape (2-2-1, one sample, no biases, one step) trained unrolled (two_two_one.py) gives
small.py's run bit for bit: drawn networks of every activation, loss, frozen and slope setting, zeros and kinks,
every slip and pair of slips, and the homework's own variants; counted: the exercise's slips take this path."""

from __future__ import annotations

import random
from dataclasses import replace
from fractions import Fraction

import pytest

from hwsolver.compute.networks import small, two_two_one
from hwsolver.kinds.mlp_backprop import grading
from hwsolver.kinds.mlp_backprop.answers import listed_answers, listed_layouts
from hwsolver.solving import solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants

from .test_mlp_backprop import make_problem
from .test_mlp_small import EVERY, numbers

PARTS = (*grading._SLIPPED_PARTS, "loss_before")  # the parts a slip shows in (the errors laid out otherwise), one not


def random_221(rng: random.Random, n: int):
    """A 2-2-1 network without biases: numbers up to 5 (zeros among them), any activations, loss and learning rate;
    some with a frozen layer or another leaky ReLU slope."""

    def q() -> Fraction:
        return Fraction(rng.randint(-16, 16), rng.choice((16, 10, 7, 3)))

    given = {
        "weights": {"W1": [[q(), q()], [q(), q()]], "W2": [[q(), q()]]},
        "activation": [rng.choice(("relu", "leaky_relu", "identity")) for _ in range(2)],
        "loss": rng.choice(("half_squared_error", "squared_error", "mean_squared_error")),
        "x": [q(), q()],
        "target": [q()],
        "learning_rate": Fraction(rng.randint(1, 16), 8),
    }
    net = make_problem(given).given
    frozen = frozenset({rng.choice(("W1", "W2"))}) if n % 3 == 0 else frozenset()
    slope = Fraction(1, 10) if n % 5 == 0 else net.slope
    return replace(net, frozen=frozen, slope=slope)


def agree(net) -> int:
    """Every run of every slip in EVERY the same bits both ways, and each part laid out as answers.listed_layouts
    lays small.py's runs out (its layout read straight off the flat numbers); the number of runs compared."""
    assert two_two_one.fits(net)
    mine, general = two_two_one.train_each(net, EVERY), small.train_each(net, EVERY)
    for one, other in zip(mine, general, strict=True):
        assert numbers(one) == numbers(other)
    for part in PARTS:
        laid = [run.laid(part) for run in mine]
        assert [repr(layout) for layout in laid] == [repr(layout) for layout in listed_layouts(net, general, part)]
        assert (None in laid) == (part not in ("gradients", "params_after", "output_after", "loss_after"))
    return len(mine)


def test_the_unrolled_path_gives_small_pys_bits() -> None:
    rng = random.Random(29)
    assert sum(agree(random_221(rng, n)) for n in range(400)) == 400 * len(EVERY)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_a_kink_reached_by_rounding_is_settled_alike(activation: str) -> None:
    """z = 0.1*3 - 0.3*1 is 0 exactly and 5.6e-17 in float64 (fused or not): the first pass takes the exact 0 (the
    unit inactive for ReLU'), as small.py settles it."""
    given = {
        "weights": {"W1": [[Fraction(1, 10), Fraction(-3, 10)], [Fraction(1, 2), Fraction(1, 4)]], "W2": [[1, 2]]},
        "activation": activation,
        "loss": "half_squared_error",
        "x": [3, 1],
        "target": 4,
        "learning_rate": 1,
    }
    net = make_problem(given).given
    assert 3 * 0.1 - 0.3 != 0.0
    runs = two_two_one.train_each(net, EVERY)
    assert runs[0].first.zs[0] == [[0.0, 1.75]]
    assert agree(net) == len(EVERY)
    # 1 - (1 - 2**-45) is 2**-45 both ways, within the kink's margin: settled to its exact value, not to 0
    near = Fraction(2**45 - 1, 2**45)
    net = make_problem({**given, "weights": {"W1": [[1, -near], [1, 1]], "W2": [[1, 2]]}, "x": [1, 1]}).given
    assert two_two_one.train_each(net, EVERY)[0].first.zs[0] == [[2.0**-45, 2.0]]
    assert agree(net) == len(EVERY)


def test_the_homeworks_variants_agree() -> None:
    homework = load_set()
    (entry,) = [e for e in homework.entries if e.problem.id == "relu-network-update"]
    maker = ProblemVariants(entry)
    nets = [maker.build(maker.draw(homework.salt or "", f"S{n}").given, texts=()).given for n in range(30)]
    assert len({repr(net.params) for net in nets}) == 30
    assert sum(map(agree, nets)) == 30 * len(EVERY)


def test_other_networks_take_small_py() -> None:
    base = random_221(random.Random(1), 1)
    assert two_two_one.fits(base)
    biased = make_problem(
        {
            "weights": {"W1": [[1, 2], [2, 1]], "W2": [[1, 1]]},
            "biases": {"b1": [1, 1], "b2": [1]},
            "activation": "relu",
            "x": [1, 2],
            "target": 1,
            "loss": "half_squared_error",
            "learning_rate": 1,
        }
    ).given
    for other in (replace(base, steps=2), biased, replace(base, weight_decay=Fraction(1, 10))):
        assert not two_two_one.fits(other)


def test_the_relu_exercises_slips_take_the_unrolled_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: one unrolled training of its four slips and none of small.py's; the answers are small.py's."""
    solution = next(s for s in solve_paths() if s.problem.id == "relu-network-update")
    calls, real = [], two_two_one.train_each
    monkeypatch.setattr(two_two_one, "train_each", lambda net, each: calls.append(len(each)) or real(net, each))
    monkeypatch.setattr(small, "train_each", lambda net, each: pytest.fail("small.py trained the exercise"))
    found = grading.mutants(solution.problem, solution)
    read = {m.id: [m.answers[part] for part in m.answers] for m in found if m.id in grading.SLIPS}
    assert calls == [4]
    monkeypatch.undo()
    net = solution.problem.given
    general = small.train_each(net, [grading.SLIPS[mutant_id] for mutant_id in read])
    assert list(read.values()) == [list(listed_answers(net, run, grading._SLIPPED_PARTS).values()) for run in general]


def test_a_slips_layouts_take_no_answer_and_its_answer_is_made_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: every slip's layout of every part a slip shows in without an answer made; then one slip's answer to
    one part makes that answer alone, once, and it is laid out as its layout says."""
    import hwsolver.kinds.mlp_backprop as kind
    from hwsolver.grading.float_answers import float_layout

    solution = next(s for s in solve_paths() if s.problem.id == "relu-network-update")
    made, real = [], kind.listed_answers
    monkeypatch.setattr(kind, "listed_answers", lambda *args: made.append(args[2]) or real(*args))
    slipped = [m for m in grading.mutants(solution.problem, solution) if m.id in grading.SLIPS]
    laid = {(m.id, part): m.answers.layout(part) for m in slipped for part in PARTS}
    assert made == [] and sum(layout is not None for layout in laid.values()) == 4 * len(slipped)
    first = slipped[1]
    assert first.answers["params_after"] is first.answers["params_after"]
    assert made == [("params_after",)]
    assert repr(float_layout(first.answers["params_after"])) == repr(laid[first.id, "params_after"])
