"""How a pooling_backprop solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/pooling_backprop/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "zh": {"output": "输出", "argmax": "误差传回的位置", "delta_prev": "上一层的误差项"},
    "en": {
        "output": "Output",
        "argmax": "Where the errors are routed",
        "delta_prev": "Error terms of the previous layer",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "derivation": "反向传播的规则",
        "windows": r"窗口 $R_{p,q}$ 是 $%s \times %s$ 的输入区域，步长 %s：",
        "otherwise": "其他",
        "max_rule": "所以每个窗口的误差只传给窗口中的最大值（有并列时取按行优先的第一个），其余位置为 0：",
        "average_rule": "所以每个窗口的误差平均分给窗口中的每个位置：",
        "overlap": "窗口重叠时，一个位置从各个窗口得到的误差相加。",
        "numbers": "数值计算",
        "marked": "输入中红色粗体的是各窗口的最大值，误差传回这些位置：",
        "window": "窗口",
        "position": "最大值位置 [行, 列]",
        "result": "于是：",
    },
    "en": {
        "derivation": "The backward rule",
        "windows": r"Window $R_{p,q}$ is a $%s \times %s$ region of the input, at stride %s:",
        "otherwise": "otherwise",
        "max_rule": "So a window's error goes to its maximum alone (the first in row-major order on a tie); the "
        "other entries get 0:",
        "average_rule": "So a window's error is shared equally by all its entries:",
        "overlap": "Where windows overlap, an entry adds up what it receives from each.",
        "numbers": "The numbers",
        "marked": "The windows' maxima are in bold red; the errors are routed back to them:",
        "window": "window",
        "position": "maximum at [row, column]",
        "result": "Hence:",
    },
}
