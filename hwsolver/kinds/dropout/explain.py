"""How a dropout solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/dropout/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwsolver.model import Solution

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "dropped": "训练时 dropout 之后的激活",
        "train_output": "训练时的输出",
        "test_weights": "测试时使用的权重",
        "test_output": "测试时的输出",
        "expected_output": "训练输出对掩码的期望",
        "grad_input": "传回激活的梯度",
        "grad_weights": "权重的梯度",
    },
    "en": {
        "dropped": "Activations after dropout at training time",
        "train_output": "Output at training time",
        "test_weights": "Weights used at test time",
        "test_output": "Output at test time",
        "expected_output": "Expected training output over the masks",
        "grad_input": "Gradient passed back to the activations",
        "grad_weights": "Gradient of the weights",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "convention": "保留概率与缩放约定",
        "unit": {"dropout": "单元", "dropconnect": "权重"},
        "keep_given": "这里 $p = %s$ 是一个%s被**保留**的概率（讲义中的 p）；它被丢弃的概率是 $1 - p = %s$"
        "（torch.nn.Dropout 的 p）。",
        "drop_given": "题目给的是丢弃概率 $q = %s$（torch.nn.Dropout 的 p）；一个%s被保留的概率是 $p = 1 - q = %s$。",
        "test_time": "缩放按讲义的代码：训练时只乘掩码；测试时保留所有%s，把激活乘以 $p$"
        "（等价地，把后面一层的权重乘以 $p$：权重比例推断规则）。",
        "inverted": "缩放用 inverted dropout：训练时把保留下来的值除以 $p$，测试时直接使用原来的层，不再缩放。",
        "mask_note": "掩码中 1 表示保留，0 表示丢弃。",
        "training": "训练时",
        "dense": "再经过全连接层：",
        "dropconnect_train": "DropConnect 把掩码乘在权重上：",
        "batch": "每一行是一个样本。",
        "test": "测试时",
        "activation_scaling": "激活乘以 $p$：",
        "weight_scaling": "或者把权重乘以 $p$（权重比例推断规则），结果相同：",
        "no_scaling": "inverted dropout 在训练时已经缩放过，测试时不做任何缩放，也不用掩码：",
        "test_no_mask": "测试时不用掩码：所有%s都参与。",
        "expectation": "训练输出的期望",
        "expectation_intro": "掩码的每一项独立地以概率 $p$ 取 1、以概率 $1 - p$ 取 0，所以 $E[m] = p$。"
        "训练输出对掩码是线性的，期望可以移到掩码上：",
        "identity": "这正是测试时的输出：训练时输出的期望等于测试时的输出，这就是测试时要乘以 $p$"
        "（或训练时要除以 $p$）的原因。",
        "backward": "反向传播",
        "backward_note": "被丢弃的%s在前向传播中没有贡献，所以它的梯度为 0：反向传播乘以与前向传播相同的掩码和缩放。",
        "sum_samples": "权重的梯度对小批量中的样本求和。",
    },
    "en": {
        "convention": "Keep probability and scaling",
        "unit": {"dropout": "unit", "dropconnect": "weight"},
        "keep_given": "Here $p = %s$ is the probability that a %s is **kept** (the lecture's p); it is dropped with "
        "probability $1 - p = %s$ (torch.nn.Dropout's p).",
        "drop_given": "The problem gives the drop probability $q = %s$ (torch.nn.Dropout's p); a %s is kept with "
        "probability $p = 1 - q = %s$.",
        "test_time": "The scaling is the lecture's code: training only applies the mask; at test time every %s is "
        "kept and the activations are multiplied by $p$ (or, the same, the weights after them: the weight scaling "
        "inference rule).",
        "inverted": "The scaling is inverted dropout: at training time the kept values are divided by $p$, so that "
        "test time uses the layer as it is.",
        "mask_note": "In the mask, 1 means kept and 0 dropped.",
        "training": "Training time",
        "dense": "Then the dense layer:",
        "dropconnect_train": "DropConnect multiplies the weights by the mask:",
        "batch": "Each row is a sample.",
        "test": "Test time",
        "activation_scaling": "The activations times $p$:",
        "weight_scaling": "Or the weights times $p$ (the weight scaling inference rule), with the same result:",
        "no_scaling": "Inverted dropout scaled at training time already: test time neither scales nor masks:",
        "test_no_mask": "At test time there is no mask: every %s takes part.",
        "expectation": "The expected training output",
        "expectation_intro": "Each entry of the mask is 1 with probability $p$ and 0 with probability $1 - p$, "
        "independently, so $E[m] = p$. The training output is linear in the mask, so the expectation moves onto "
        "the mask:",
        "identity": "This is the test-time output: the expected training output equals the output at test time, "
        "which is why test time multiplies by $p$ (or training divides by $p$).",
        "backward": "Backward pass",
        "backward_note": "A dropped %s contributed nothing forward, so it gets no gradient: the backward pass "
        "multiplies by the same mask and scale as the forward pass.",
        "sum_samples": "The weights' gradient sums over the samples of the mini-batch.",
    },
}


def extras(solution: Solution) -> Mapping[str, Any]:
    """The drop probability q = 1 - p, which the handout names beside p (computed here: templates only format)."""
    return {"drop": solution.problem.given.drop}
