"""`require:` constraints: named per kind, checked where written, and a rule set no draw meets is an error naming
the constraint met least often and its acceptance rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsolver.errors import SpecError
from hwsolver.spec.assignments import Entry
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.variants.drawing import MAX_DRAWS, ProblemVariants

ROOT = Path(__file__).resolve().parents[2]
RELU = (ROOT / "problems" / "relu-network-update.yaml").read_text(encoding="utf-8")
POOLING = (ROOT / "problems" / "pooling-backprop.yaml").read_text(encoding="utf-8")


def variants_of(text: str) -> ProblemVariants:
    root = parse_text(text, "p.yaml")
    return ProblemVariants(Entry(problem_from_node(root), "1", root))


BAD = [
    (
        "  loss_decreases: true",
        "  loss_decrease: true",
        "unknown constraint 'loss_decrease' for kind mlp_backprop; did you mean 'loss_decreases'?",
    ),
    (
        "  loss_decreases: true",
        "  no_ties: true",
        "its constraints: no_relu_kink, loss_decreases, terminating_decimals",
    ),
    (
        "  no_relu_kink: 0.01",
        "  no_relu_kink: -0.01",
        "p.yaml:41:17: require.no_relu_kink: expected a margin >= 0, got -0.01",
    ),
    (
        "  terminating_decimals: 6",
        "  terminating_decimals: 2.5",
        "require.terminating_decimals: expected an integer, got 2.5",
    ),
    ("  loss_decreases: true", "  loss_decreases: false", "a constraint that is not required is left out"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_every_bad_constraint_is_named_where_it_is_written(old: str, new: str, message: str) -> None:
    assert old in RELU
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(RELU.replace(old, new, 1), "p.yaml"))
    assert message in str(error.value)


def test_constraints_may_be_listed_by_name_with_their_defaults() -> None:
    maker = variants_of(
        RELU.replace(
            "  no_relu_kink: 0.01\n  loss_decreases: true\n  terminating_decimals: 6\n",
            "  [no_relu_kink, {terminating_decimals: 4}]\n",
        ).replace("require:\n  [", "require: [")
    )
    assert [(r.name, r.argument) for r in maker.requirements] == [("no_relu_kink", 0), ("terminating_decimals", 4)]


def test_a_rule_set_no_draw_meets_names_the_constraint_and_its_acceptance_rate() -> None:
    always_tied = POOLING.replace("input: {range: [0, 9], step: 1}", "input: {range: [3, 3], step: 1}")
    with pytest.raises(SpecError) as error:
        variants_of(always_tied).draw("salt", "PB1")
    message = str(error.value)
    assert message.startswith("p.yaml:")
    assert f"no variant of pooling-backprop for student 'PB1' passes every test in {MAX_DRAWS} draws" in message
    assert message.endswith(f"least often met: no_ties: 0 of {MAX_DRAWS} draws (0%)")


def test_a_mistake_that_never_shows_makes_the_rules_unmeetable() -> None:
    # every hidden unit active: leaving out ReLU' changes nothing, in every draw
    all_active = RELU.replace(
        "weights.W1: {range: [0.1, 0.9], step: 0.1, sign: random}", "weights.W1: {range: [0.1, 0.9], step: 0.1}"
    )
    with pytest.raises(SpecError, match=r"least often met: every mistake shows: 0 of \d+ draws \(0%\)"):
        variants_of(all_active).draw("salt", "PB1")


def test_draws_that_are_no_valid_problem_are_counted_as_such() -> None:
    negative = RELU.replace(
        "  target: {range: [0.1, 0.9], step: 0.1}",
        "  target: {range: [0.1, 0.9], step: 0.1}\n  learning_rate: {range: [-2, -1], step: 1}",
    )
    with pytest.raises(
        SpecError, match=rf"least often met: a valid problem that solves: 0 of {MAX_DRAWS} draws \(0%\)"
    ):
        variants_of(negative).draw("salt", "PB1")


STEP_DECAY = (ROOT / "problems" / "step-decay.yaml").read_text(encoding="utf-8")
STEP_RULES = """\
  initial_lr: {range: [0.05, 0.2], step: 0.05}
  schedule.step_size: {range: [4, 12], step: 2}
  schedule.gamma: {choice: [0.5, 0.25, 0.2]}
  threshold: {range: [0.01, 0.05], step: 0.01}
"""


@pytest.mark.parametrize(
    ("rules", "unmet"),
    [
        # the first drop after step 30: one rate repeated
        ("  schedule.step_size: {range: [30, 40], step: 10}\n", "decay_within_horizon"),
        # the threshold crossed, but only after the 30 asked steps (solving searches further): halving every 12
        # steps from 0.05 or more stays above 0.01 until step 36
        ("  schedule.step_size: {range: [12, 12], step: 1}\n  threshold: {range: [0.01, 0.01], step: 0.01}\n", ""),
    ],
)
def test_a_schedule_variant_shows_its_decay_and_crossing_within_the_asked_steps(rules: str, unmet: str) -> None:
    assert STEP_RULES in STEP_DECAY
    if not unmet:
        rules, unmet = "  schedule.gamma: {range: [0.5, 0.5], step: 0.5}\n" + rules, "below_within_horizon"
    text = STEP_DECAY.replace(STEP_RULES, "  initial_lr: {range: [0.05, 0.2], step: 0.05}\n" + rules)
    with pytest.raises(SpecError, match=rf"least often met: {unmet}: 0 of \d+ draws \(0%\)"):
        variants_of(text).draw("salt", "PB1")
    variant = variants_of(STEP_DECAY).draw("salt", "PB1")
    rates, first = variant.solution.answers["rates"], variant.solution.answers["first_below"]
    assert len(set(rates)) > 1 and rates[first] < variant.problem.given.threshold <= rates[first - 1]
