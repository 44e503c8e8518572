"""How a conv_backprop solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/conv_backprop/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "recursion": "误差项递推公式",
        "activation_prev": "上一层的激活值",
        "output": "输出",
        "delta_prev": "上一层的误差项",
        "grad_kernel": "卷积核的梯度",
        "grad_bias": "偏置的梯度",
    },
    "en": {
        "recursion": "The error-term recursion",
        "activation_prev": "Activations of the previous layer",
        "output": "Output",
        "delta_prev": "Error terms of the previous layer",
        "grad_kernel": "Kernel gradient",
        "grad_bias": "Bias gradient",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "derivation": "递推公式的推导",
        "forward": "前向计算（下标从 0 开始）：",
        "which_outputs": "$a^{(l-1)}_{i,j}$ 出现在所有满足 $p + u = i$、$q + v = j$ 的输出 $z^{(l)}_{p,q}$ 中，"
        r"对应的权重是 $w_{i-p,\,j-q}$：",
        "chain_rule": "由链式法则，对这些输出求和：",
        "substitute": "令 $u = i - p$、$v = j - q$，把求和改写为对卷积核下标的求和：",
        "general": "对本题的步长、填充与通道数，同样由链式法则得到：",
        "zero_outside": "超出 $e^{(l)}$ 或卷积核范围的项记为 0。",
        "rot180": "旋转 180° 与全卷积",
        "rot180_intro": "把整个数组一起看，这个求和就是 $e^{(l)}$ 与旋转 180° 的卷积核做“全”卷积"
        "（$e^{(l)}$ 四周补 $K-1$ 圈 0）：",
        "rot180_why": "前向时 $w_{u,v}$ 读取输出位置右下方偏移 $(u, v)$ 处的输入；反向时输入 $(i, j)$ 的误差来自"
        "左上方偏移 $(u, v)$ 处的输出 $(i-u, j-v)$。核的下标反过来用，就是把核上下、左右各翻转一次。",
        "numbers": "数值计算",
        "given_values": "已知",
        "stride": "步长",
        "padding": "填充",
        "step_activation": "先求上一层的激活值：",
        "step_output": "前向卷积得到本层的输出：",
        "step_fprime": "激活函数在 $z^{(l-1)}$ 处的导数（ReLU 取 0 或 1）：",
        "step_delta": "按递推公式（即 $f'(z^{(l-1)})$ 与全卷积结果逐元素相乘）得到上一层的误差项：",
        "step_grad": "卷积核的梯度是输入与误差项的互相关：",
    },
    "en": {
        "derivation": "Deriving the recursion",
        "forward": "The forward computation (indices from 0):",
        "which_outputs": "$a^{(l-1)}_{i,j}$ enters every output $z^{(l)}_{p,q}$ with $p + u = i$ and $q + v = j$, "
        r"through the weight $w_{i-p,\,j-q}$:",
        "chain_rule": "The chain rule sums over these outputs:",
        "substitute": "With $u = i - p$ and $v = j - q$ the sum runs over the kernel's indices instead:",
        "general": "For this problem's stride, padding and channels the chain rule gives likewise:",
        "zero_outside": "Terms outside $e^{(l)}$ or the kernel count as 0.",
        "rot180": "Rotation by 180° and full convolution",
        "rot180_intro": "As whole arrays, the sum is the full convolution of $e^{(l)}$ (padded with $K-1$ rings of "
        "zeros) with the kernel rotated by 180°:",
        "rot180_why": "In the forward pass $w_{u,v}$ reads the input $(u, v)$ down and to the right of the output; "
        "backwards, input $(i, j)$ hears from the output $(i-u, j-v)$, up and to the left. Reading the kernel's "
        "indices backwards is flipping it top to bottom and left to right.",
        "numbers": "The numbers",
        "given_values": "Given",
        "stride": "stride",
        "padding": "padding",
        "step_activation": "First the activations of the previous layer:",
        "step_output": "The forward convolution gives this layer's output:",
        "step_fprime": "The activation's derivative at $z^{(l-1)}$ (ReLU' is 0 or 1):",
        "step_delta": "The recursion (the full convolution, times $f'(z^{(l-1)})$ elementwise) gives the previous "
        "layer's error terms:",
        "step_grad": "The kernel gradient is the cross-correlation of the input with the error terms:",
    },
}
