"""How a param_count solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/param_count/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "zh": {"layers": "各层的输出形状与参数", "total": "参数总数", "macs": "一次前向传播的乘加次数"},
    "en": {
        "layers": "Output shape and parameters of each layer",
        "total": "Total parameters",
        "macs": "Multiply-accumulates of one forward pass",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "rules": "计数规则",
        "conv_rule": "卷积层（$C'$ 个 $K \\times K$ 卷积核，步长 $S$，每边填充 $P$）"
        "读入 $C \\times H \\times W$ 的输入：",
        "same_rule": "'same' 填充按 TensorFlow/Keras 的约定：$H' = \\lceil H / S \\rceil$，"
        "需要的填充总数为 $\\max((H' - 1) S + K - H, 0)$，前面取较少的一半（PyTorch 的 padding='same' 只允许步长 1）。",
        "dense_rule": "全连接层（$n'$ 个神经元）读入 $n$ 维向量：",
        "pool_rule": "池化层（$K \\times K$ 窗口，步长 $S$）不填充，也没有参数：",
        "flatten_rule": "展平层把 $C \\times H \\times W$ 变成 $CHW$ 维向量，没有参数。",
        "macs_rule": "乘加次数只数乘法与其累加（偏置的加法和池化的比较不算）。",
        "table": "逐层计算",
        "input": "输入",
        "layer": "层",
        "shape": "输出形状",
        "weights": "权重",
        "biases": "偏置",
        "params": "参数",
        "macs": "乘加",
        "total": "合计",
        "steps": "代入数值",
        "padding": "填充（前, 后）",
        "no_bias": "无偏置",
        "names": {
            "dense": "全连接 {units}",
            "conv": "卷积 {kernels} 个 {size}×{size}，步长 {stride}，填充 {padding}",
            "pool": "{pool}池化 {size}×{size}，步长 {stride}",
            "flatten": "展平",
        },
        "pools": {"max": "最大", "average": "平均"},
        "sum": "参数总数是各层参数之和：",
        "sum_macs": "一次前向传播的乘加次数是各层之和：",
    },
    "en": {
        "rules": "How each layer is counted",
        "conv_rule": "A convolution ($C'$ kernels of $K \\times K$, stride $S$, $P$ zeros on each side) reading a "
        "$C \\times H \\times W$ input:",
        "same_rule": "'same' padding follows TensorFlow/Keras: $H' = \\lceil H / S \\rceil$, with "
        "$\\max((H' - 1) S + K - H, 0)$ zeros in all, the smaller half before (PyTorch's padding='same' allows "
        "stride 1 only).",
        "dense_rule": "A dense layer ($n'$ units) reading a vector of $n$:",
        "pool_rule": "A pooling layer ($K \\times K$ windows, stride $S$) pads nothing and has no parameters:",
        "flatten_rule": "A flatten layer turns $C \\times H \\times W$ into a vector of $CHW$; it has no parameters.",
        "macs_rule": "A multiply-accumulate is one multiplication and its addition into a sum (the bias additions "
        "and pooling's comparisons are not counted).",
        "table": "Layer by layer",
        "input": "input",
        "layer": "layer",
        "shape": "output shape",
        "weights": "weights",
        "biases": "biases",
        "params": "parameters",
        "macs": "MACs",
        "total": "total",
        "steps": "With the numbers",
        "padding": "padding (before, after)",
        "no_bias": "no bias",
        "names": {
            "dense": "dense {units}",
            "conv": "conv, {kernels} kernels {size}x{size}, stride {stride}, padding {padding}",
            "pool": "{pool} pooling {size}x{size}, stride {stride}",
            "flatten": "flatten",
        },
        "pools": {"max": "max", "average": "average"},
        "sum": "The total is the sum over the layers:",
        "sum_macs": "The multiply-accumulates of one forward pass add up likewise:",
    },
}
