"""The handouts' interface text every kind shares, in every language: the title, headings, punctuation, verdicts,
the precision sentence. A kind's own labels and sentences live with the kind (kinds/<kind>/explain.py).

Keys are the same in every language (a test checks). Values are Math Markdown: $...$ is a formula.
"""

from __future__ import annotations

from typing import Any

STRINGS: dict[str, dict[str, Any]] = {
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
        "network": {
            "figure_label": "网络结构图：单元、权重的更新前后数值",
            "input_layer": "输入层",
            "hidden_layer": "隐藏层",
            "output_layer": "输出层",
        },
        "precision": {
            "give": "数值{}。",
            "for_parts": "{}：数值{}。",
            "sigfigs": "至少保留 {} 位有效数字",
            "within": "的{}",
            "exactly": "须精确",
            "sigfigs_or_within": "至少保留 {} 位有效数字，或{}",
            "rtol": "相对误差不超过 {}%",
            "atol": "绝对误差不超过 {}",
            "or": "或",
            "and": "、",
        },
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
        "network": {
            "figure_label": "The network: units, and each weight before and after the update",
            "input_layer": "input layer",
            "hidden_layer": "hidden layer",
            "output_layer": "output layer",
        },
        "precision": {
            "give": "Give numbers {}.",
            "for_parts": "{}: give numbers {}.",
            "sigfigs": "to at least {} significant figures",
            "within": "within {}",
            "exactly": "exactly",
            "sigfigs_or_within": "to at least {} significant figures, or within {}",
            "rtol": "a relative error of {}%",
            "atol": "an absolute error of {}",
            "or": " or ",
            "and": ", ",
        },
    },
}
