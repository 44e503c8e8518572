"""closeness.allclose says what np.allclose says, on the small float arrays the kinds compare (its second witness)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hwsolver.compute.closeness import allclose

_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 1.0, 1.0 + 1e-9, 1e-12, np.inf, -np.inf]),
)


@given(
    arrays(float, st.tuples(st.integers(1, 3), st.integers(1, 3)), elements=_FLOATS),
    st.sampled_from([0.0, 1e-9, 1e-6, 1e-3]),
    st.sampled_from([0.0, 1e-12, 1e-9]),
    st.data(),
)
def test_it_agrees_with_numpy(got: np.ndarray, rtol: float, atol: float, data: st.DataObject) -> None:
    with np.errstate(all="ignore"):  # a huge float moved overflows: inf, compared as np.allclose does
        near = got * (1 + data.draw(st.sampled_from([0.0, rtol / 2, 2 * rtol, 1e-3])))
        want = data.draw(st.sampled_from([got, near, got[::-1], np.zeros_like(got)]))
        assert allclose(got, want, rtol, atol) == bool(np.allclose(got, want, rtol=rtol, atol=atol))


def test_it_broadcasts_and_tells_a_difference() -> None:
    assert allclose(np.array([[1.0, 2.0]]), np.array([1.0, 2.0 + 1e-12]), 1e-9, 0.0)
    assert not allclose(np.array([1.0, 2.0]), np.array([1.0, 2.1]), 1e-3, 1e-9)
    assert not allclose(np.array([np.nan]), np.array([np.nan]), 1e-3, 1e-9)
    assert allclose(np.array([np.inf]), np.array([np.inf]), 1e-3, 1e-9)
