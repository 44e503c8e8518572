"""How an initialization solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/initialization/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "gain": "增益",
        "weight_variance": "权重的方差",
        "bound": "均匀分布的边界",
        "std": "正态分布的标准差",
        "preactivation_variance": "净输入的方差",
        "gradients": "第一步的梯度",
        "params_after": "训练后的参数",
        "identical_units": "始终相同的神经元",
        "contrast_gradients": "对照初始值：第一步的梯度",
        "contrast_params_after": "对照初始值：训练后的参数",
        "contrast_identical_units": "对照初始值：始终相同的神经元",
    },
    "en": {
        "gain": "Gain",
        "weight_variance": "Variance of the weights",
        "bound": "Bound of the uniform draw",
        "std": "Standard deviation of the normal draw",
        "preactivation_variance": "Variance of a pre-activation",
        "gradients": "Gradients of the first step",
        "params_after": "Parameters after training",
        "identical_units": "Units that stay identical",
        "contrast_gradients": "Contrast start: gradients of the first step",
        "contrast_params_after": "Contrast start: parameters after training",
        "contrast_identical_units": "Contrast start: units that stay identical",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "scheme": "初始化方法",
        "scheme_intro": "按 torch.nn.init.{}_ 的定义，第 $l$ 层（$n_{{\\text{{in}}}}$ 个输入、"
        "$n_{{\\text{{out}}}}$ 个神经元）的权重的方差为",
        "uniform": "权重从 $U(-a, a)$ 中抽取，$U(-a, a)$ 的方差是 $a^2/3$，所以",
        "normal": "权重从 $N(0, \\sigma^2)$ 中抽取，所以",
        "gains": {
            "default": "增益取 torch 的默认值 $g = 1$（Glorot 的原始方法）。",
            "activation": "增益 $g$ 由该层的激活函数按 calculate_gain 给出：恒等与 sigmoid 为 1，tanh 为 5/3，"
            "ReLU 为 $\\sqrt{2}$，leaky ReLU（负斜率 $a$）为 $\\sqrt{2/(1 + a^2)}$。",
            "number": "增益由题目给定：$g = {}$。",
        },
        "modes": {
            "fan_in": "其中 $n = n_{\\text{in}}$（mode = fan_in）。",
            "fan_out": "其中 $n = n_{\\text{out}}$（mode = fan_out）。",
        },
        "preactivation": "若每层的输入均值为 0、方差为 $\\mathrm{{Var}}(x) = {}$，且与权重独立（偏置为 0），"
        "净输入 $z_j = \\sum_k w_{{jk}} x_k$ 的方差为",
        "numbers": "代入数值",
        "layer": "第 {} 层",
        "table_layer": "层",
        "activation": "激活函数",
        "symmetry": "从给定的初始参数训练",
        "contrast": "对照：另一组初始参数",
        "start": "初始参数：",
        "why": "同一隐藏层的两个神经元若输入权重（和偏置）相同、输出权重也相同，它们的净输入和激活值相同，"
        "误差项 $e^{(l)}_j = f'(z_j) \\sum_i W^{(l+1)}_{ij} e^{(l+1)}_i$ 相同，梯度也相同，"
        "所以更新后仍然相同：梯度下降永远无法把它们区分开。",
        "step": "第 {} 步",
        "forward": "前向传播",
        "errors": "误差项",
        "gradients": "梯度",
        "after": "更新后",
        "sample": "样本 {}",
        "units": "每个神经元对应的、与它始终相同的编号最小的神经元（从 1 开始）",
        "units_layer": "隐藏层 {}",
    },
    "en": {
        "scheme": "The scheme",
        "scheme_intro": "As torch.nn.init.{}_ defines it, the weights of layer $l$ ($n_{{\\text{{in}}}}$ inputs, "
        "$n_{{\\text{{out}}}}$ units) have the variance",
        "uniform": "They are drawn from $U(-a, a)$, whose variance is $a^2/3$, so",
        "normal": "They are drawn from $N(0, \\sigma^2)$, so",
        "gains": {
            "default": "The gain is torch's default, $g = 1$ (Glorot's own scheme).",
            "activation": "The gain $g$ is calculate_gain of the layer's activation: 1 for the identity and sigmoid, "
            "5/3 for tanh, $\\sqrt{2}$ for ReLU, $\\sqrt{2/(1 + a^2)}$ for leaky ReLU of negative slope $a$.",
            "number": "The problem sets the gain: $g = {}$.",
        },
        "modes": {
            "fan_in": "where $n = n_{\\text{in}}$ (mode fan_in).",
            "fan_out": "where $n = n_{\\text{out}}$ (mode fan_out).",
        },
        "preactivation": "When each layer's inputs have mean 0 and variance $\\mathrm{{Var}}(x) = {}$, independent of "
        "the weights (biases 0), a pre-activation $z_j = \\sum_k w_{{jk}} x_k$ has the variance",
        "numbers": "With the numbers",
        "layer": "Layer {}",
        "table_layer": "layer",
        "activation": "activation",
        "symmetry": "Training from the given start",
        "contrast": "For contrast: another start",
        "start": "The start:",
        "why": "Two units of one hidden layer with the same incoming weights (and bias) and the same outgoing weights "
        "have the same pre-activation and activation, the same error term "
        "$e^{(l)}_j = f'(z_j) \\sum_i W^{(l+1)}_{ij} e^{(l+1)}_i$ and the same gradients, so they are still alike "
        "after the update: gradient descent never tells them apart.",
        "step": "Step {}",
        "forward": "forward pass",
        "errors": "error terms",
        "gradients": "gradients",
        "after": "after the update",
        "sample": "sample {}",
        "units": "For each unit, the lowest-numbered unit (from 1) that stays identical to it",
        "units_layer": "hidden layer {}",
    },
}
