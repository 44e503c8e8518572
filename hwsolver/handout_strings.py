"""The handouts' interface text in every language: headings, labels, the sentences around the formulas.

Keys are the same in every language (a test checks); each kind's sentences sit under the kind's short name.
Values are Math Markdown: $...$ is a formula.
"""

from __future__ import annotations

from typing import Any

from hwsolver.handout_text_calc import CALC, OPS
from hwsolver.handout_text_layers import CONV, POOL
from hwsolver.handout_text_mlp import MLP

_COMMON: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "神经网络作业详解",
        "colon": "：",
        "comma": "，",
        "semi": "；",
        "stop": "。",
        "gap": "",
        "paren": "（%s）",
        "contents": "目录",
        "statement": "题目",
        "answers": "答案",
        "yes": "是",
        "no": "否",
        "sample": "样本",
        "your_answer": "你的答案",
        "no_answer": "（未作答）",
        "points": "分",
        "verdicts": {
            "correct": "正确",
            "partial": "部分正确",
            "incorrect": "错误",
            "missing": "未作答",
            "invalid": "无法识别",
        },
        "parts": {},
        "generic_note": "这一类题目的详细步骤尚未编写，下面只列出题目与答案。",
    },
    "en": {
        "title": "Neural-network homework: worked solutions",
        "colon": ": ",
        "comma": ", ",
        "semi": "; ",
        "stop": ".",
        "gap": " ",
        "paren": " (%s)",
        "contents": "Contents",
        "statement": "Problem.",
        "answers": "Answers",
        "yes": "yes",
        "no": "no",
        "sample": "Sample",
        "your_answer": "Your answer",
        "no_answer": "(no answer)",
        "points": "points",
        "verdicts": {
            "correct": "correct",
            "partial": "partly correct",
            "incorrect": "incorrect",
            "missing": "missing",
            "invalid": "unreadable",
        },
        "parts": {},
        "generic_note": "The step-by-step account of this kind of problem is not written yet; here are the answers.",
    },
}

PART_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "forward": "前向传播",
        "output_before": "更新前的输出",
        "loss_before": "更新前的损失",
        "errors": "误差项",
        "gradients": "梯度",
        "params_after": "更新后的参数",
        "output_after": "更新后的输出",
        "loss_after": "更新后的损失",
        "loss_decreased": "损失是否减小",
        "loss_history": "损失的变化",
        "forward_mults_per_layer": "每层前向乘法次数",
        "forward_adds_per_layer": "每层前向加法次数",
        "backward_mults_per_layer": "每层反向乘法次数",
        "backward_adds_per_layer": "每层反向加法次数",
        "forward_mults_total": "前向乘法总数",
        "forward_adds_total": "前向加法总数",
        "backward_mults_total": "反向乘法总数",
        "backward_adds_total": "反向加法总数",
        "leading_order": "乘法次数的主项",
        "recursion": "误差项递推公式",
        "activation_prev": "上一层的激活值",
        "output": "输出",
        "delta_prev": "上一层的误差项",
        "grad_kernel": "卷积核的梯度",
        "grad_bias": "偏置的梯度",
        "argmax": "误差传回的位置",
        "d1": "一阶导数",
        "d2": "二阶导数",
        "d3": "三阶导数",
        "gradient": "梯度",
        "jacobian": "雅可比矩阵",
    },
    "en": {
        "forward": "Forward pass",
        "output_before": "Output before the update",
        "loss_before": "Loss before the update",
        "errors": "Error terms",
        "gradients": "Gradients",
        "params_after": "Parameters after the update",
        "output_after": "Output after the update",
        "loss_after": "Loss after the update",
        "loss_decreased": "Did the loss decrease",
        "loss_history": "Loss history",
        "forward_mults_per_layer": "Forward multiplications per layer",
        "forward_adds_per_layer": "Forward additions per layer",
        "backward_mults_per_layer": "Backward multiplications per layer",
        "backward_adds_per_layer": "Backward additions per layer",
        "forward_mults_total": "Forward multiplications in all",
        "forward_adds_total": "Forward additions in all",
        "backward_mults_total": "Backward multiplications in all",
        "backward_adds_total": "Backward additions in all",
        "leading_order": "Multiplications to leading order",
        "recursion": "The error-term recursion",
        "activation_prev": "Activations of the previous layer",
        "output": "Output",
        "delta_prev": "Error terms of the previous layer",
        "grad_kernel": "Kernel gradient",
        "grad_bias": "Bias gradient",
        "argmax": "Where the errors are routed",
        "d1": "First derivative",
        "d2": "Second derivative",
        "d3": "Third derivative",
        "gradient": "Gradient",
        "jacobian": "Jacobian",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    lang: {
        **_COMMON[lang],
        "parts": PART_LABELS[lang],
        "mlp": MLP[lang],
        "ops": OPS[lang],
        "conv": CONV[lang],
        "pool": POOL[lang],
        "calc": CALC[lang],
    }
    for lang in _COMMON
}
