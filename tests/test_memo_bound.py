"""The grader's memos are bounded: a class (or a hostile file) writing ever new texts never fills memory."""

from __future__ import annotations

from hwsolver.memo import Bounded


def test_a_full_memo_starts_again_empty_and_keeps_the_new_entry() -> None:
    memo: Bounded[int, str] = Bounded(3)
    assert [memo.keep(n, str(n)) for n in range(3)] == ["0", "1", "2"]
    assert dict(memo) == {0: "0", 1: "1", 2: "2"}
    assert memo.keep(3, "3") == "3"
    assert dict(memo) == {3: "3"}
    for n in range(1000):
        memo.keep(n, "x")
        assert len(memo) <= 3
