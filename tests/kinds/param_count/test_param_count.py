"""param_count: shapes and counts of the course's two networks against numbers worked by hand, every count against
a forward pass run in NumPy here (real arrays, multiplications counted as they happen), TensorFlow's 'same'
padding, and clear errors for stacks that cannot be built."""

from __future__ import annotations

from math import ceil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.cli import cli
from hwsolver.compute.stack import Conv, Dense, Flatten, Pool, ShapeError, count, same_padding
from hwsolver.errors import SpecError
from hwsolver.kinds.param_count.given import parse_given
from hwsolver.solving import solve_paths
from hwsolver.spec.reader import parse_text

ROOT = Path(__file__).resolve().parents[3]
FC = ROOT / "problems" / "fc-param-count.yaml"
CNN = ROOT / "problems" / "cnn-param-count.yaml"


def test_the_fully_connected_homework_counts_every_weight_and_bias() -> None:
    (solution,) = solve_paths([FC])
    # by hand: 160000*40000 + 40000, 40000*2000 + 2000, 2000*100 + 100
    assert [layer["params"] for layer in solution.answers["layers"]] == [6_400_040_000, 80_002_000, 200_100]
    assert solution.answers["total"] == 6_480_242_100
    assert [layer["output_shape"] for layer in solution.answers["layers"]] == [(40000,), (2000,), (100,)]


def test_the_convolutional_homework_matches_the_counts_worked_by_hand() -> None:
    (solution,) = solve_paths([CNN])
    rows = [(l["output_shape"], l["weights"], l["biases"]) for l in solution.answers["layers"]]
    assert rows == [
        ((3, 64, 80), 3 * 5 * 5, 3),  # 3 kernels 5x5 on 1 channel
        ((3, 32, 40), 0, 0),
        ((5, 32, 40), 5 * 4 * 4 * 3, 5),  # 5 kernels 4x4x3
        ((5, 16, 20), 0, 0),
        ((5, 16, 20), 5 * 4 * 4 * 5, 5),  # 5 kernels 4x4x5
        ((5, 8, 10), 0, 0),
        ((400,), 0, 0),  # the statement's 400
        ((100,), 400 * 100, 100),
    ]
    assert solution.answers["total"] == 78 + 245 + 405 + 40100


# -- a second witness: the stack run forward on real arrays --------------------------------------------------------


class Counter:
    macs = 0


def _conv_forward(x: np.ndarray, layer: Conv, rng: np.random.Generator, counter: Counter) -> tuple[np.ndarray, int]:
    """A convolution of random weights over x, padded as TensorFlow pads; every multiplication counted."""
    c, h, w = x.shape
    k, s = layer.size, layer.stride
    if layer.padding == "same":
        out_h, out_w = ceil(h / s), ceil(w / s)
        pad_h, pad_w = max((out_h - 1) * s + k - h, 0), max((out_w - 1) * s + k - w, 0)
        pads = ((pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2))
    else:
        p = 0 if layer.padding == "valid" else layer.padding
        pads = ((p, p), (p, p))
    padded = np.pad(x, ((0, 0), *pads))
    kernel = rng.normal(size=(layer.kernels, c, k, k))
    bias = rng.normal(size=layer.kernels) if layer.bias else None
    rows = []
    for i in range(0, padded.shape[1] - k + 1, s):
        row = []
        for j in range(0, padded.shape[2] - k + 1, s):
            window = padded[:, i : i + k, j : j + k]
            counter.macs += kernel.size  # each kernel times each input value of the window
            row.append(np.tensordot(kernel, window, axes=3))
        rows.append(row)
    out = np.array(rows).transpose(2, 0, 1)
    params = kernel.size + (bias.size if bias is not None else 0)
    return (out + bias[:, None, None] if bias is not None else out), params


def run_forward(shape: tuple[int, ...], layers: tuple) -> list[tuple[tuple[int, ...], int, int]]:
    """Per layer: (output shape, parameters allocated, multiplications done), from a real forward pass."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    found = []
    for layer in layers:
        counter = Counter()
        params = 0
        if isinstance(layer, Conv):
            x, params = _conv_forward(x, layer, rng, counter)
        elif isinstance(layer, Dense):
            w = rng.normal(size=(layer.units, x.size))
            b = rng.normal(size=layer.units) if layer.bias else np.zeros(0)
            counter.macs = w.size
            x, params = w @ x + (b if layer.bias else 0), w.size + b.size
        elif isinstance(layer, Pool):
            k, s = layer.size, layer.stride
            reduce = np.max if layer.pool == "max" else np.mean
            x = np.array(
                [
                    [
                        [reduce(ch[i : i + k, j : j + k]) for j in range(0, ch.shape[1] - k + 1, s)]
                        for i in range(0, ch.shape[0] - k + 1, s)
                    ]
                    for ch in x
                ]
            )
        else:
            x = x.reshape(-1)
        found.append((x.shape, params, counter.macs))
    return found


def test_the_convolutional_homework_agrees_with_a_forward_pass_run_here() -> None:
    (solution,) = solve_paths([CNN])
    given = solution.problem.given
    ran = run_forward(given.input, given.layers)
    assert [(l["output_shape"], l["params"]) for l in solution.answers["layers"]] == [(s, p) for s, p, _ in ran]
    assert solution.answers["macs"] == sum(m for _, _, m in ran)


layers = st.one_of(
    st.builds(
        Conv,
        kernels=st.integers(1, 3),
        size=st.integers(1, 4),
        stride=st.integers(1, 3),
        padding=st.sampled_from(["same", "valid", 0, 1, 2]),
        bias=st.booleans(),
    ),
    st.builds(Pool, pool=st.sampled_from(["max", "average"]), size=st.integers(1, 3), stride=st.integers(1, 3)),
)


@settings(max_examples=60, deadline=None)
@given(
    channels=st.integers(1, 3),
    height=st.integers(4, 11),
    width=st.integers(4, 11),
    body=st.lists(layers, min_size=1, max_size=3),
    units=st.integers(1, 4),
)
def test_random_stacks_agree_with_a_forward_pass(channels, height, width, body, units) -> None:
    stack = (*body, Flatten(), Dense(units))
    shape = (channels, height, width)
    try:
        counts = count(shape, stack)
    except ShapeError:
        return  # a kernel or window that does not fit: parse_given refuses it (tested below)
    ran = run_forward(shape, stack)
    assert [(c.output_shape, c.params, c.macs) for c in counts] == ran


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "expected"),
    [
        # TensorFlow's formulas: out = ceil(in / s), pad = max((out - 1) s + k - in, 0), the smaller half on top
        (5, 4, 2, (1, 2)),  # out 3: 2*2 + 4 - 5 = 3 zeros
        (6, 4, 2, (1, 1)),  # out 3: 2*2 + 4 - 6 = 2
        (7, 3, 3, (1, 1)),  # out 3: 2*3 + 3 - 7 = 2
        (32, 4, 1, (1, 2)),  # stride 1: K - 1 = 3 zeros, output as large as the input
        (5, 1, 2, (0, 0)),  # out 3: 2*2 + 1 - 5 = 0
    ],
)
def test_same_padding_is_tensorflows(size: int, kernel: int, stride: int, expected: tuple[int, int]) -> None:
    assert same_padding(size, kernel, stride) == expected
    (counted,) = count((1, size, size), (Conv(1, kernel, stride, "same"),))
    assert counted.output_shape[1:] == (ceil(size / stride),) * 2


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            "[{dense: 10}]",
            "given.yaml:2:10: layers[0]: a dense layer needs a vector input, got 1 x 8 x 8: flatten it first",
        ),
        ("[{conv: 2, size: 9}]", "given.yaml:2:10: layers[0]: a 9x9 kernel does not fit the 8x8 padded input"),
        (
            "[{pool: max, size: 2, strid: 1}]",
            "given.yaml:2:38: layers[0].strid: unknown key 'strid'; did you mean 'stride'?",
        ),
        (
            "[{conv: 2, pool: max, size: 2}]",
            "given.yaml:2:10: layers[0]: a layer is one of dense, conv, pool, flatten; got conv and pool together",
        ),
        (
            "[{conv: 2, size: 3, padding: full}]",
            "given.yaml:2:38: layers[0].padding: expected same, valid or a number of zeros on each side, got 'full'",
        ),
        (
            "[{flatten: true}, {conv: 1, size: 1}]",
            "given.yaml:2:27: layers[1]: a convolution needs a C x H x W input, got 64",
        ),
        ("[]", "given.yaml:2:9: layers: expected at least one layer"),
        (
            "[{flatten: true}, {dense: 1000000000000000}, {dense: 10000}]",
            "given.yaml:2:54: layers[2]: this layer is too large to count: an array of more than 10^18 entries",
        ),
    ],
)
def test_a_stack_that_cannot_be_built_is_refused_at_its_layer(layers: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        parse_given(parse_text(f"input: [1, 8, 8]\nlayers: {layers}", "given.yaml"))
    assert str(error.value) == message


def test_an_input_is_an_image_or_a_vector() -> None:
    with pytest.raises(SpecError) as error:
        parse_given(parse_text("input: [8, 8]\nlayers: [{dense: 1}]", "given.yaml"))
    assert str(error.value) == "given.yaml:1:8: input: expected [C, H, W] or [features], got a list of 2"


def test_solve_shows_the_stack_as_a_table() -> None:
    result = CliRunner().invoke(cli, ["solve", str(CNN)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "== cnn-param-count: Shapes and parameters of a convolutional network ==",
        "  Give numbers exactly.",
        "  input 1 x 64 x 80; 'same' padding as in TensorFlow/Keras: H' = ceil(H / S)",
    ]
    table = [line.split() for line in lines[5:13]]
    (solution,) = solve_paths([CNN])
    for row, layer in zip(table, solution.answers["layers"], strict=True):
        shape = " x ".join(map(str, layer["output_shape"]))
        assert " ".join(row[-4 - shape.count(" ") : -3]) == shape
        assert [int(v) for v in row[-3:]] == [layer["weights"], layer["biases"], layer["params"]]
    assert lines[-2:] == ["  total parameters: 40828", "  multiply-accumulates of one forward pass: 859200"]
