"""How an op_count solution is told, in every language: the part labels, the handout's sentences
(templates/kinds/op_count/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula), and the other
conventions' answers the handout sets beside the problem's own."""

from __future__ import annotations

from typing import Any

from hwsolver.compute.opcount.conventions import CONVENTIONS
from hwsolver.kinds.op_count import under_each_convention
from hwsolver.model import Solution

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "forward_mults_per_layer": "每层前向乘法次数",
        "forward_adds_per_layer": "每层前向加法次数",
        "backward_mults_per_layer": "每层反向乘法次数",
        "backward_adds_per_layer": "每层反向加法次数",
        "forward_mults_total": "前向乘法总数",
        "forward_adds_total": "前向加法总数",
        "backward_mults_total": "反向乘法总数",
        "backward_adds_total": "反向加法总数",
        "leading_order": "乘法次数的主项",
    },
    "en": {
        "forward_mults_per_layer": "Forward multiplications per layer",
        "forward_adds_per_layer": "Forward additions per layer",
        "backward_mults_per_layer": "Backward multiplications per layer",
        "backward_adds_per_layer": "Backward additions per layer",
        "forward_mults_total": "Forward multiplications in all",
        "forward_adds_total": "Forward additions in all",
        "backward_mults_total": "Backward multiplications in all",
        "backward_adds_total": "Backward additions in all",
        "leading_order": "Multiplications to leading order",
    },
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "convention": "计数约定",
        "convention_intro": "本题按约定",
        "summaries": {
            "course": "课程参考答案的算法：矩阵运算、加偏置、逐元素乘积和参数更新都计入，每层相同；"
            "Sigmoid 及其导数的求值不计入。讲课、作业按这个约定作答。",
            "strict": "一步 SGD 真正执行的每一次加、减、乘、除都计入（除法算作乘法），不计算用不到的量"
            "（第一层不求 $W^\\top e$）。分析真实运算量、写底层实现时用它。",
            "flops": "FLOP 计数器（如 torch.utils.flop_counter）在批大小为 1 时报告的数：只计矩阵乘法，"
            "一次乘加算两个 FLOP；逐元素运算和参数更新不计。与框架、论文里的 FLOPs 对比时用它。",
        },
        "table": "一层的运算",
        "table_intro": "$n$ 个单元的一层在一步训练中做的运算（减法按加法计）：",
        "phase": "阶段",
        "operation": "运算",
        "formula": "公式",
        "mults": "乘法",
        "adds": "加法",
        "where": "所在层",
        "counted": "是否计入",
        "phases": {"forward": "前向", "backward": "反向"},
        "names": {
            "weighted sums": "加权求和",
            "bias": "加偏置",
            "sigmoid": "Sigmoid",
            "output difference": "输出差",
            "loss derivative constant": "损失导数的常数",
            "sigmoid derivative": "Sigmoid 的导数",
            "error term": "误差项",
            "back-propagated gradient": "反向传递的梯度",
            "weight gradient": "权重梯度",
            "bias gradient": "偏置梯度",
            "weight update": "权重更新",
            "bias update": "偏置更新",
        },
        "notes": {
            "a division (as a mult) and an addition per unit; exp is not arithmetic": "每个单元一次除法（算作乘法）"
            "和一次加法；指数函数不算算术运算",
            "from the stored a": "用前向时保存的 a",
            "the first layer has no use for it": "第一层用不到",
            "no arithmetic: the error term itself": "无需运算：就是误差项本身",
            "c = 2 for squared_error": "平方误差时 c = 2",
            "c = 2/n for mean_squared_error": "均方误差时 c = 2/n",
        },
        "scopes": {
            "every layer": "每一层",
            "the output layer only": "仅输出层",
            "every layer but the first": "除第一层外",
        },
        "per_layer": "每层合计",
        "uniform": "按这个约定，每一层（第一层、隐藏层、输出层）的次数相同：",
        "not_uniform": "按这个约定，第一层、隐藏层和输出层的次数不同：",
        "roles": {"first": "第一层", "hidden": "隐藏层", "output": "输出层"},
        "counts": {
            "forward_mults": "前向乘法",
            "forward_adds": "前向加法",
            "backward_mults": "反向乘法",
            "backward_adds": "反向加法",
        },
        "totals": "全网合计",
        "totals_intro": "把 $L$ 层的次数相加（反向含参数更新）：",
        "fwd": "前向",
        "bwd": "反向",
        "fwd_total": "前向乘法合计",
        "bwd_total": "反向乘法合计",
        "leading": "主项",
        "leading_note": "反向传播的乘法大约是前向的三倍：求误差项、求权重梯度、更新权重各需一次矩阵规模的乘法。",
        "others": "其他计数约定",
    },
    "en": {
        "convention": "Counting convention",
        "convention_intro": "This problem counts by the convention",
        "summaries": {
            "course": "The course's reference answer: matrix work, bias, the elementwise product and the update "
            "are counted, the same in every layer; evaluating the sigmoid and its derivative is not. Use it for "
            "lectures and homework.",
            "strict": "Every addition, subtraction, multiplication and division one SGD step really performs "
            "(divisions as multiplications), and nothing that is not used (the first layer skips $W^\\top e$). "
            "Use it to analyse the real cost or write a low-level implementation.",
            "flops": "What FLOP counters (such as torch.utils.flop_counter) report with batch 1: matrix products "
            "only, a multiply-add as two flops; elementwise work and the update are not counted. Use it to "
            "compare with FLOPs quoted by frameworks and papers.",
        },
        "table": "Operations of one layer",
        "table_intro": "What an $n$-unit layer computes in one training step (subtractions count as additions):",
        "phase": "phase",
        "operation": "operation",
        "formula": "formula",
        "mults": "mults",
        "adds": "adds",
        "where": "layers",
        "counted": "counted",
        "phases": {"forward": "forward", "backward": "backward"},
        "names": {},
        "notes": {},
        "scopes": {},
        "per_layer": "Per layer",
        "uniform": "Under this convention every layer (first, hidden, output) costs the same:",
        "not_uniform": "Under this convention the first, hidden and output layers differ:",
        "roles": {"first": "first layer", "hidden": "hidden layer", "output": "output layer"},
        "counts": {
            "forward_mults": "forward mults",
            "forward_adds": "forward adds",
            "backward_mults": "backward mults",
            "backward_adds": "backward adds",
        },
        "totals": "Whole network",
        "totals_intro": "Adding up the $L$ layers (the backward pass includes the update):",
        "fwd": "fwd",
        "bwd": "bwd",
        "fwd_total": "forward mults, total",
        "bwd_total": "backward mults, total",
        "leading": "Leading order",
        "leading_note": "Backpropagation costs about three times the multiplications of the forward pass: one "
        "matrix-sized product each for the error terms, the weight gradients and the weight update.",
        "others": "Other counting conventions",
    },
}


def extras(solution: Solution) -> dict[str, Any]:
    """For the handout's side-by-side table: the answers under every named convention."""
    others = under_each_convention(solution)
    return {"conventions": [(CONVENTIONS[name], other.answers) for name, other in others.items()]}
