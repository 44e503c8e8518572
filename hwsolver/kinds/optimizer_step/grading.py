"""How students go wrong on an optimizer_step problem, and what their own earlier answers imply.

Mutants re-run the steps in float64 with one switch of compute.optimizers.Slip flipped (compared within
tolerance, never shown as answers); a slip that changes no answer on this problem (eps inside the square root
when eps is 1e-8 and the gradients are large) names nothing. Follow-through: the parameters after from the
student's trajectory, the objective at their points, the state from the gradients at their points, the
bias-corrected moments from their state or their points (each a re-run of the steps with their values: Own).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hwsolver.compute.optimizers import Own, Slip
from hwsolver.errors import SolveError
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.optimizer_step.steps import answers, run
from hwsolver.kinds.pairs import merged, paired
from hwsolver.model import Mutant, Problem, Route, Solution
from hwsolver.witness import disagreement

HALF = Fraction(1, 2)
MISTAKES = (
    Mistake(
        "no_bias_correction",
        HALF,
        {
            "en": "The moments were used without bias correction: divide m by 1 - beta1^t and v by 1 - beta2^t "
            "(t counts steps from 1) before the update.",
            "zh": "一阶、二阶矩没有做偏差修正：更新前应把 m 除以 1 - beta1^t，v 除以 1 - beta2^t（t 从 1 开始计步）。",
        },
    ),
    Mistake(
        "bias_correction_step",
        HALF,
        {
            "en": "The bias correction used the wrong step number: at step t (counted from 1) it is 1 - beta^t.",
            "zh": "偏差修正用错了步数：第 t 步（从 1 开始计）的修正是 1 - beta^t。",
        },
    ),
    Mistake(
        "eps_inside_sqrt",
        HALF,
        {
            "en": "Epsilon was put inside the square root: the denominator is sqrt(v) + eps, not sqrt(v + eps).",
            "zh": "epsilon 放进了平方根里：分母是 sqrt(v) + eps，而不是 sqrt(v + eps)。",
        },
    ),
    Mistake(
        "velocity_sign_flipped",
        HALF,
        {
            "en": "The step went along the velocity's other sign, uphill: the parameters move by -lr*buf "
            "(or by +v with v = mu*v - lr*g).",
            "zh": "沿速度的相反方向走了（上坡）：参数的变化是 -lr*buf（或 v = mu*v - lr*g 时为 +v）。",
        },
    ),
    Mistake(
        "lr_in_velocity",
        HALF,
        {
            "en": "The learning rate was put inside the momentum buffer (buf = mu*buf + lr*g): torch keeps "
            "buf = mu*buf + g and steps by -lr*buf.",
            "zh": "学习率被放进了动量缓冲（buf = mu*buf + lr*g）："
            "torch 的缓冲是 buf = mu*buf + g，参数变化为 -lr*buf。",
        },
        variants={
            "heavy_ball": {
                "en": "The learning rate was applied after the velocity (v = mu*v - g, then lr*v): the heavy-ball "
                "velocity is v = mu*v - lr*g and the parameters move by v.",
                "zh": "学习率放在了速度之外（v = mu*v - g，再乘 lr）：重球法的速度是 v = mu*v - lr*g，参数变化为 v。",
            }
        },
    ),
    Mistake(
        "accumulator_reset",
        HALF,
        {
            "en": "The sum of squared gradients was started again at every step: AdaGrad adds each step's g^2 to "
            "the sum of all earlier ones.",
            "zh": "梯度平方和每一步都重新开始累加了：AdaGrad 把每一步的 g^2 加到之前所有步的和上。",
        },
    ),
    Mistake(
        "weight_decay_switched",
        HALF,
        {
            "en": "Weight decay was applied to the weights (decoupled, theta*(1 - lr*wd)) where this optimizer adds "
            "it to the gradient (L2: g + wd*theta).",
            "zh": "权重衰减直接作用在了参数上（解耦，theta*(1 - lr*wd)），"
            "而这个优化器是把它加到梯度上（L2：g + wd*theta）。",
        },
        variants={
            "decoupled": {
                "en": "Weight decay was added to the gradient (L2: g + wd*theta) where AdamW applies it to the "
                "weights, decoupled: theta*(1 - lr*wd) before the Adam step.",
                "zh": "权重衰减加到了梯度上（L2：g + wd*theta），"
                "而 AdamW 是解耦的：先 theta*(1 - lr*wd)，再做 Adam 的更新。",
            }
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
_VISIBLE = 1e-6  # a slip whose answers are all this close to the right ones (relative) names nothing here


def _slips(given: Any) -> list[tuple[str, Slip, str | None]]:
    """(mistake, switch, feedback variant) that apply to this optimizer."""
    opt = given.optimizer
    found: list[tuple[str, Slip, str | None]] = []
    if opt.name in ("adam", "adamw"):
        found += [("no_bias_correction", Slip(no_bias_correction=True), None)]
        # t + 1: the count started at 0 (t - 1 would divide by 1 - beta^0 = 0 at the first step: no answer)
        found.append(("bias_correction_step", Slip(bias_step=1), None))
    if opt.name in ("adagrad", "rmsprop", "adam", "adamw"):
        found.append(("eps_inside_sqrt", Slip(eps_inside_sqrt=True), None))
    if opt.name in ("momentum", "nesterov"):
        found.append(("velocity_sign_flipped", Slip(velocity_sign_flipped=True), None))
        found.append(("lr_in_velocity", Slip(lr_moved=True), "heavy_ball" if opt.form == "heavy_ball" else None))
    if opt.name == "adagrad":
        found.append(("accumulator_reset", Slip(accumulator_reset=True), None))
    if opt.weight_decay:
        found.append(("weight_decay_switched", Slip(decay_switched=True), "decoupled" if opt.decoupled else None))
    return found


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """The classic slips this optimizer allows, each with the answers it leads to (where they differ)."""
    given = problem.given
    right = answers(given, run(given, exact=False), exact=False)
    found = []
    for mistake_id, slip, variant in _slips(given):
        try:
            wrong = answers(given, run(given, exact=False, slip=slip), exact=False)
        except SolveError:  # the objective cannot be evaluated on the slipped path: nothing to compare
            continue
        if disagreement(right, wrong, rtol=_VISIBLE, atol=1e-12) is None:
            continue
        mistake = _TABLE[mistake_id]
        found.append(Mutant(mistake.id, mistake.says("en", variant), wrong, mistake.credit))
    return tuple(found)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two of this optimizer's slips at once (their Slips merged; the step shifted both ways is not a pair)."""
    given = problem.given
    right = answers(given, run(given, exact=False), exact=False)

    def changed(slip: Slip) -> dict[str, Any] | None:
        try:
            wrong = answers(given, run(given, exact=False, slip=slip), exact=False)
        except SolveError:
            return None
        return wrong if disagreement(right, wrong, rtol=_VISIBLE, atol=1e-12) is not None else None

    switches = [(mistake_id, slip) for mistake_id, slip, _ in _slips(given)]
    return paired(switches, merged, changed)


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """Later parts from the student's own trajectory (their points) or state."""
    given = problem.given
    names = given.names

    def points(values: Mapping[str, Any]) -> list[dict[str, float]]:
        trajectory = values["trajectory"]
        if len(trajectory) != given.steps + 1:
            raise ValueError("a trajectory has the start and one point per step")
        return [{name: float(point[name]) for name in names} for point in trajectory]

    def states(values: Mapping[str, Any]) -> Any:
        if len(values["state"]) != given.steps:
            raise ValueError("one state per step")
        return values["state"]

    def rerun(part: str, own: Any) -> Any:
        """The part from the run that takes the student's own points or states (Own) instead of its own."""
        return lambda values: answers(given, run(given, exact=False, own=own(values)), exact=False)[part]

    routes = [Route("params_after", ("trajectory",), lambda values: points(values)[-1])]
    if given.objective is not None:
        routes.append(
            Route("objective_history", ("trajectory",), lambda v: tuple(map(given.objective.float_value, points(v))))
        )
    # the state from the gradient at the student's points (given gradients too, where weight decay reads them)
    for part in ("state", "corrected_moments"):
        routes.append(Route(part, ("trajectory",), rerun(part, lambda values: Own(points=points(values)[:-1]))))
    routes.append(Route("corrected_moments", ("state",), rerun("corrected_moments", lambda v: Own(states=states(v)))))
    return tuple(route for route in routes if route.part in solution.answers)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """Parameters that never leave the start (a trajectory standing still, the start copied as the result)."""
    start = {name: float(v) for name, v in problem.given.start.items()}
    try:
        if part == "trajectory":
            return all(_same(point, start) for point in value)
        if part == "params_after":
            return _same(value, start)
    except (TypeError, ValueError, KeyError):
        return False
    return False


def _same(point: Mapping[str, Any], start: Mapping[str, float]) -> bool:
    return all(abs(float(point[name]) - v) <= 1e-9 * max(1.0, abs(v)) for name, v in start.items())
