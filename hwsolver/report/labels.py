"""The class report's words, in Chinese and English (the templates only place them)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Class report",
        "count": "{n} submissions, {graded} graded",
        "not_graded": "Files that could not be graded",
        "whole": "Whole assignment",
        "problem": "whole problem",
        "points": "{top} points",
        "part": "part",
        "n": "n",
        "mean": "mean",
        "median": "median",
        "sd": "SD",
        "facility": "facility",
        "discrimination": "discrimination",
        "verdicts": "verdicts",
        "mistakes": "Named mistakes",
        "mistake": "mistake",
        "times": "students",
        "examples": "for example",
        "no_mistakes": "No named mistakes.",
        "histogram": "Scores: students in each tenth of the points",
        "quintiles": "Mean score of each fifth of the class ranked by total score (1: the lowest fifth)",
        "range": "scores",
        "fifth": "fifth",
        "correct": "correct",
        "partial": "partial",
        "incorrect": "incorrect",
        "missing": "missing",
        "invalid": "invalid",
        "by_value": "Facility against each varied value",
        "bin": "bin",
        "value": "values",
        "by_value_chart": "Facility (%) of each part in each bin (the table's numbers); solid: flagged",
        "flag": "Part {part}: facility differs with {value} by more than chance explains.",
        "note_by_value": (
            "Facility against each varied value (from the variants' lock): students are grouped by the value "
            "they were given, one group per value when there are at most 5 values (or a choice), else in 4 "
            "groups of near equal size by the value's order (equal values in one group). p is a permutation "
            "test (1999 shuffles with a fixed seed) of the between-group sum of squares of the part's scores; "
            "⚠ marks p < 0.05 / m, m the number of tests of the problem (Bonferroni)."
        ),
        "notes": "How to read this report",
        "note_n": "n counts every graded submission; a missing or invalid answer is a score of 0.",
        "note_sd": "SD is the sample standard deviation (n - 1).",
        "note_facility": "Facility is the mean score divided by the points: 100% means everyone got it right.",
        "note_discrimination": (
            "Discrimination is the correlation of a part's score with the rest of the total (the total minus that "
            "part): near 0 or negative, the part does not separate strong from weak students. — means it cannot "
            "be computed: everyone scored the same on the part (or on the rest)."
        ),
        "note_quintiles": (
            "Quintiles: the class ranked by total score, in five equal fifths; a student on a border counts in "
            "both fifths with the share that lies on each side, and students with equal totals are spread evenly."
        ),
    },
    "zh": {
        "title": "班级成绩分析",
        "count": "共 {n} 份提交，已评分 {graded} 份",
        "not_graded": "未能评分的文件",
        "whole": "整份作业",
        "problem": "本题合计",
        "points": "满分 {top}",
        "part": "小题",
        "n": "人数",
        "mean": "平均分",
        "median": "中位数",
        "sd": "标准差",
        "facility": "得分率",
        "discrimination": "区分度",
        "verdicts": "判定",
        "mistakes": "已识别的典型错误",
        "mistake": "错误",
        "times": "人数",
        "examples": "例如",
        "no_mistakes": "没有识别出典型错误。",
        "histogram": "得分分布：每十分之一分值区间内的人数",
        "quintiles": "按总分排名分为五组，每组的平均分（1 为总分最低的一组）",
        "range": "得分",
        "fifth": "组",
        "correct": "正确",
        "partial": "部分正确",
        "incorrect": "错误",
        "missing": "未作答",
        "invalid": "无法读取",
        "by_value": "各变化数值下的得分率",
        "bin": "组",
        "value": "取值",
        "by_value_chart": "各小题在各组的得分率（%，即表中数字）；实线：已标记",
        "flag": "小题 {part}：得分率随 {value} 的差异超出随机波动所能解释的范围。",
        "note_by_value": (
            "各变化数值下的得分率（依据变式锁定文件）：学生按所得数值分组，取值不超过 5 种（或为选项）时每种取值一组，"
            "否则按数值大小分为人数相近的 4 组（相同数值在同一组）。p 为置换检验（固定种子，1999 次重排）"
            "对小题得分组间平方和的检验；⚠ 表示 p < 0.05 / m，m 为本题的检验次数（Bonferroni 校正）。"
        ),
        "notes": "如何阅读本报告",
        "note_n": "人数包括每一份已评分的提交；未作答或无法读取的答案记 0 分。",
        "note_sd": "标准差为样本标准差（除以 n - 1）。",
        "note_facility": "得分率为平均分除以分值：100% 表示所有人都答对。",
        "note_discrimination": (
            "区分度为此小题得分与总分中其余部分（总分减去此小题得分）的相关系数：接近 0 或为负时，"
            "此小题不能区分成绩好与差的学生。— 表示无法计算：所有人此小题（或其余部分）得分相同。"
        ),
        "note_quintiles": (
            "五分组：按总分排名，将全班等分为五组；处在两组分界上的学生按其落在两侧的比例计入两组，总分相同的学生均匀分摊其名次。"
        ),
    },
}
