"""Feedback file names: readable in any script, safe on every system, never two alike, never another's."""

from __future__ import annotations

import pytest

from hwsolver.grading.names import feedback_names, safe_name


@pytest.mark.parametrize(
    ("student", "name"),
    [
        ("PB21000001", "PB21000001"),
        ("Иван Петров", "Иван_Петров"),
        ("김민준", "김민준"),
        ("😀🎓", "😀🎓"),
        ("张三", "张三"),
        ("../../etc/passwd", "etc_passwd"),
        ('a<b>c:d"e/f\\g|h?i*j', "a_b_c_d_e_f_g_h_i_j"),
        ("a__b", "a__b"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1", "_com1"),
        ("Lpt9.x.y", "_Lpt9.x.y"),
        ("console", "console"),
        ("...", "submission"),
        (".bashrc", "bashrc"),
        ("trailing.", "trailing"),
        ("x" * 300, "x" * 120),
        ("张" * 100, "张" * 40),  # 120 bytes of UTF-8
    ],
)
def test_safe_name(student: str, name: str) -> None:
    assert safe_name(student) == name


def test_names_are_unique_without_regard_to_case_and_none_takes_anothers() -> None:
    ids = ["ab", "AB", "x", "x", "x-1", "é", "e\u0301", "Straße", "STRASSE", "solo"]
    assert feedback_names(ids) == [
        "ab-1",
        "AB-2",
        "x-2",  # x-1 is another student's name
        "x-3",
        "x-1",
        "é-1",  # the same letter, composed and decomposed (as macOS writes it)
        "é-2",
        "Straße-1",
        "STRASSE-2",
        "solo",
    ]
    folded = [n.casefold() for n in feedback_names(ids)]
    assert len(set(folded)) == len(folded)
