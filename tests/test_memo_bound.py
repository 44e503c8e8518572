"""The grader's memos are bounded: a class (or a hostile file) writing ever new texts never fills memory; and
memo.cached works a property out once per instance."""

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


def test_cached_works_a_property_out_once_per_instance() -> None:
    """memo.cached: the first read works the value out and keeps it in the instance (later reads do not call it),
    each instance its own; read on the class, the descriptor itself."""
    from hwsolver.memo import cached

    calls: list[int] = []

    class Thing:
        def __init__(self, n: int) -> None:
            self.n = n

        @cached
        def twice(self) -> int:
            """2n."""
            calls.append(self.n)
            return 2 * self.n

    one, two = Thing(1), Thing(2)
    assert (one.twice, one.twice, two.twice, one.twice) == (2, 2, 4, 2)
    assert calls == [1, 2]
    assert one.__dict__["twice"] == 2
    assert isinstance(Thing.__dict__["twice"], cached) and Thing.twice.__doc__ == "2n."
