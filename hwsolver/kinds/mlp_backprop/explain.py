"""How an mlp_backprop solution is told, in every language: the part labels, the handout's sentences
(templates/kinds/mlp_backprop/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula), and the
network drawing's coordinates."""

from __future__ import annotations

from typing import Any

from hwsolver.handout.drawing import Drawing, layout
from hwsolver.handout.plots import Chart, Series
from hwsolver.model import Solution

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "forward": "前向传播",
        "output_before": "更新前的输出",
        "loss_before": "更新前的损失",
        "errors": "误差项",
        "gradients": "梯度",
        "iteration_loss": "每次迭代的损失",
        "iteration_params": "每次迭代后的参数",
        "epoch_loss": "每轮（epoch）结束时的损失",
        "run_iteration_loss": "各训练方式每次迭代的损失",
        "run_epoch_loss": "各训练方式每轮结束时的损失",
        "params_after": "更新后的参数",
        "output_after": "更新后的输出",
        "loss_after": "更新后的损失",
        "loss_decreased": "损失是否减小",
        "loss_history": "损失的变化",
    },
    "en": {
        "forward": "Forward pass",
        "output_before": "Output before the update",
        "loss_before": "Loss before the update",
        "errors": "Error terms",
        "gradients": "Gradients",
        "iteration_loss": "Loss of each iteration",
        "iteration_params": "Parameters after each iteration",
        "epoch_loss": "Loss after each epoch",
        "run_iteration_loss": "Each run's loss per iteration",
        "run_epoch_loss": "Each run's loss after each epoch",
        "params_after": "Parameters after the update",
        "output_after": "Output after the update",
        "loss_after": "Loss after the update",
        "loss_decreased": "Did the loss decrease",
        "loss_history": "Loss history",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "notation": "记号",
        "notation_forward": "前向传播",
        "notation_weight": "$w^{(l)}_{jk}$ 是第 $l-1$ 层第 $k$ 个单元连到第 $l$ 层第 $j$ 个单元的权重"
        "（矩阵 $W^{(l)}$ 的第 $j$ 行第 $k$ 列）",
        "notation_error": "误差项",
        "notation_given": "已知",
        "sizes": "各层单元数",
        "activations": "激活函数",
        "loss": "损失",
        "batch_of": "小批量",
        "dataset_of": "数据集样本数",
        "steps": "迭代步数",
        "relu_rule": r"$\mathrm{ReLU}(z) = \max(0, z)$；$\mathrm{ReLU}'(z) = 1$（$z > 0$），"
        r"$\mathrm{ReLU}'(z) = 0$（$z \le 0$，约定 $\mathrm{ReLU}'(0) = 0$）",
        "leaky_rule": r"$\mathrm{LReLU}(z) = z$（$z > 0$），$\mathrm{LReLU}(z) = s z$（$z \le 0$），斜率 $s = %s$；"
        r"导数在 $z > 0$ 时为 1，$z \le 0$ 时为 $s$",
        "frozen_given": "冻结（参与计算但不更新）的参数",
        "frozen": "（冻结，不更新）",
        "iteration_one": "（第 1 次迭代）",
        "sgd": "小批量随机梯度下降",
        "sgd_intro": "数据集按每轮（epoch）的顺序切成大小为 %s 的小批量（最后一批可能较小），"
        "每个小批量更新一次参数，共 %s 轮。",
        "sgd_seed": "各轮的顺序由随机种子 %s 打乱得到（Python 的 `random.Random(seed).shuffle`，每轮打乱一次），"
        "写在下表中。",
        "epoch": "轮",
        "order": "样本顺序",
        "batches": "小批量",
        "sgd_objective": r"第 $k$ 次迭代的目标函数是该小批量 $B_k$ 上各样本损失的平均："
        r"$J_k = \frac{1}{|B_k|}\sum_{n \in B_k} \mathcal{L}^{[n]}$（与 PyTorch 的 `reduction='mean'` 相同），"
        r"更新为 $\theta \leftarrow \theta - \eta\, \partial J_k / \partial \theta$。下面先详细计算第 1 次迭代。",
        "iterations": "全部迭代",
        "iterations_intro": "每次迭代：小批量、更新前的目标函数 $J_k$、梯度与更新后的参数；"
        "每轮结束时在整个数据集上计算损失。",
        "iteration": "第 %s 次迭代（第 %s 轮）",
        "samples": "样本",
        "epoch_end": "第 %s 轮结束，整个数据集上的损失",
        "curves": "损失曲线",
        "curves_intro": "上图：每次迭代的小批量损失 $J_k$（横轴为迭代次数）；"
        "下图：每轮结束时整个数据集上的损失（横轴为轮数，0 为训练前）。",
        "runs_intro": "同样的轮数与样本顺序，不同的批大小：",
        "run": "训练方式",
        "batch_size": "批大小",
        "epoch_losses": "每轮结束时的损失",
        "run_losses": "%s 每次迭代的损失",
        "runs_conclusion": "批越小，每轮的更新次数越多，每次用的梯度也越嘈杂；"
        "全批量梯度下降每轮只更新一次，但每步都沿整个数据集的梯度方向。",
        "objective": "目标函数",
        "figure": "网络结构（边上标注权重：更新前 → **更新后**）：",
        "layer": "第 %s 层",
        "forward": "前向传播",
        "step_one": "（第 1 步）",
        "loss_heading": "损失",
        "backward": "反向传播：误差项",
        "backward_intro": "从输出层往回逐层计算 $e^{(l)}_j$：输出层用损失对输出的导数，隐藏层用上一层的误差项"
        r"按权重加权求和，再乘以本单元激活函数的导数 $f_l'(z^{(l)}_j)$。",
        "gradients": "梯度与参数更新",
        "gradients_intro": r"每个权重的梯度是它指向的单元的误差项乘以它出发的单元的输出："
        r"$\partial \mathcal{L} / \partial w^{(l)}_{jk} = e^{(l)}_j a^{(l-1)}_k$；"
        r"更新为 $w \leftarrow w - \eta\, \partial \mathcal{L} / \partial w$。",
        "parameter": "参数",
        "history": "后续迭代",
        "history_intro": "第 1 步之后，同样的计算再重复，共 %s 步。目标函数随步数的变化：",
        "step": "已完成步数",
        "final_params": "%s 步之后的参数：",
        "after": "用更新后的参数再做一次前向传播",
        "conclusion": "结论",
        "loss_before_after": "更新前后的损失",
        "before": "前",
        "after_short": "后",
        "decreased": "损失减小了，这次更新使网络的输出更接近目标。",
        "not_decreased": "损失没有减小：学习率可能过大，更新越过了最小值。",
    },
    "en": {
        "notation": "Notation",
        "notation_forward": "Forward pass",
        "notation_weight": "$w^{(l)}_{jk}$ is the weight from unit $k$ of layer $l-1$ to unit $j$ of layer $l$ "
        "(row $j$, column $k$ of the matrix $W^{(l)}$)",
        "notation_error": "Error term",
        "notation_given": "Given",
        "sizes": "units per layer",
        "activations": "activations",
        "loss": "loss",
        "batch_of": "mini-batch of",
        "dataset_of": "a dataset of",
        "steps": "steps",
        "relu_rule": r"$\mathrm{ReLU}(z) = \max(0, z)$; $\mathrm{ReLU}'(z) = 1$ for $z > 0$ and "
        r"$\mathrm{ReLU}'(z) = 0$ for $z \le 0$ (by convention $\mathrm{ReLU}'(0) = 0$)",
        "leaky_rule": r"$\mathrm{LReLU}(z) = z$ for $z > 0$ and $s z$ for $z \le 0$, with slope $s = %s$; its "
        r"derivative is 1 for $z > 0$ and $s$ for $z \le 0$",
        "frozen_given": "frozen (used, never updated)",
        "frozen": "(frozen: not updated)",
        "iteration_one": " (iteration 1)",
        "sgd": "Mini-batch SGD",
        "sgd_intro": "Each epoch takes the samples in its order and cuts them into mini-batches of %s (the last one "
        "may be smaller); each mini-batch makes one update; %s epochs in all.",
        "sgd_seed": "The orders are shuffled with seed %s (Python's `random.Random(seed).shuffle`, once per epoch) "
        "and written out below.",
        "epoch": "epoch",
        "order": "order of the samples",
        "batches": "mini-batches",
        "sgd_objective": r"Iteration $k$ minimizes the mean loss of its mini-batch $B_k$: "
        r"$J_k = \frac{1}{|B_k|}\sum_{n \in B_k} \mathcal{L}^{[n]}$ (PyTorch's `reduction='mean'`), and updates "
        r"$\theta \leftarrow \theta - \eta\, \partial J_k / \partial \theta$. Iteration 1 is worked in full first.",
        "iterations": "All iterations",
        "iterations_intro": "Each iteration: its mini-batch, the objective $J_k$ before the update, the gradients "
        "and the parameters after; at the end of each epoch, the loss over the whole dataset.",
        "iteration": "Iteration %s (epoch %s)",
        "samples": "samples",
        "epoch_end": "End of epoch %s, the loss over the whole dataset",
        "curves": "Loss curves",
        "curves_intro": "Top: each iteration's mini-batch objective $J_k$ against the iteration; bottom: the whole "
        "dataset's loss after each epoch against the epoch (0: before training).",
        "runs_intro": "The same epochs and orders with other batch sizes:",
        "run": "run",
        "batch_size": "batch size",
        "epoch_losses": "loss after each epoch",
        "run_losses": "%s, loss of each iteration",
        "runs_conclusion": "A smaller batch makes more updates per epoch, each from a noisier gradient; full-batch "
        "gradient descent makes one update per epoch, always along the whole dataset's gradient.",
        "objective": "Objective",
        "figure": "The network (each edge shows its weight: before → **after**):",
        "layer": "Layer %s",
        "forward": "Forward pass",
        "step_one": " (step 1)",
        "loss_heading": "Loss",
        "backward": "Backward pass: error terms",
        "backward_intro": "From the output layer back: the output layer starts from the derivative of the loss "
        r"with respect to the output; a hidden unit sums the next layer's error terms weighted by its outgoing "
        r"weights; both multiply by the derivative of the unit's activation, $f_l'(z^{(l)}_j)$.",
        "gradients": "Gradients and updates",
        "gradients_intro": r"A weight's gradient is the error term of the unit it enters times the output of "
        r"the unit it leaves: $\partial \mathcal{L} / \partial w^{(l)}_{jk} = e^{(l)}_j a^{(l-1)}_k$; "
        r"the update is $w \leftarrow w - \eta\, \partial \mathcal{L} / \partial w$.",
        "parameter": "parameter",
        "history": "Further steps",
        "history_intro": "After step 1 the same computation repeats, %s steps in all. The objective after each step:",
        "step": "steps done",
        "final_params": "The parameters after %s steps:",
        "after": "Forward pass with the new parameters",
        "conclusion": "Conclusion",
        "loss_before_after": "Loss before and after",
        "before": "before",
        "after_short": "after",
        "decreased": "The loss decreased: the update moved the output towards the target.",
        "not_decreased": "The loss did not decrease: the learning rate may be too large, so the step overshot.",
    },
}


def extras(solution: Solution) -> dict[str, Any]:
    """Mini-batch SGD: the loss per iteration and per epoch as charts, drawn from the answers (each run's when
    runs are compared; epoch 0 is the loss before training)."""
    net = solution.problem.given
    if net.schedule is None:
        return {}
    answers = solution.answers
    start = float(answers["loss_before"])
    if net.runs:
        per_iteration = answers["run_iteration_loss"].items()
        per_epoch = answers["run_epoch_loss"].items()
    else:
        per_iteration = [("", answers["iteration_loss"])]
        per_epoch = [("", answers["epoch_loss"])]
    iterations = tuple(Series(name, _counted(values, 1), tuple(map(float, values))) for name, values in per_iteration)
    epochs = tuple(Series(name, _counted(values, 0, 1), (start, *map(float, values))) for name, values in per_epoch)
    return {"iteration_plot": Chart(iterations, steps=True), "epoch_plot": Chart(epochs, steps=True)}


def _counted(values: Any, first: int, extra: int = 0) -> tuple[float, ...]:
    return tuple(float(i) for i in range(first, first + len(values) + extra))


def drawing(solution: Solution) -> Drawing | None:
    """The network with each weight before and after training (an exact solution only: it holds the steps)."""
    if "steps" not in solution.work:
        return None
    return layout(solution.problem.given, solution.work["steps"][-1].params_after)
