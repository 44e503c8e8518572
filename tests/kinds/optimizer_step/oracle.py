"""torch.optim's update equations written again, independently, in NumPy (the tests' witness; torch itself is not
needed): one function per optimizer over whole parameter vectors, with the classic slips as arguments."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Grad = Callable[[np.ndarray], np.ndarray]


def run(name: str, theta: np.ndarray, grad: Grad, steps: int, **h: float) -> tuple[list[np.ndarray], list[dict]]:
    """The points (start first) and the state after each step, as torch.optim computes them."""
    lr, wd = h.get("lr", 1e-3), h.get("weight_decay", 0.0)
    mu, damp, eps = h.get("momentum", 0.9), h.get("dampening", 0.0), h.get("eps", 1e-8)
    b1, b2, alpha = h.get("beta1", 0.9), h.get("beta2", 0.999), h.get("alpha", 0.99)
    no_bias, shift, inside = h.get("no_bias", False), int(h.get("shift", 0)), h.get("inside", False)
    reset, flip, swap = h.get("reset", False), h.get("flip", False), h.get("swap", False)
    points, states = [theta.copy()], []
    buf = m = v = None
    total = np.full_like(theta, h.get("initial_accumulator_value", 0.0))
    sq = np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = grad(theta)
        decoupled = (name == "adamw") != swap
        if wd and decoupled:
            theta = theta * (1 - lr * wd)
        elif wd:
            g = g + wd * theta
        if name == "sgd":
            theta = theta - lr * g
            states.append({})
        elif name in ("momentum", "nesterov"):
            buf = g.copy() if buf is None else mu * buf + (1 - damp) * g
            step = g + mu * buf if name == "nesterov" else buf
            theta = theta + lr * step if flip else theta - lr * step
            states.append({"momentum_buffer": buf.copy()})
        elif name == "adagrad":
            total = (np.full_like(theta, h.get("initial_accumulator_value", 0.0)) if reset else total) + g * g
            theta = theta - lr * g / (np.sqrt(total + eps) if inside else np.sqrt(total) + eps)
            states.append({"sum": total.copy()})
        elif name == "rmsprop":  # with momentum: buf = momentum * buf + g / denominator, theta - lr * buf
            sq = alpha * sq + (1 - alpha) * g * g
            push = g / (np.sqrt(sq + eps) if inside else np.sqrt(sq) + eps)
            if h.get("momentum"):
                buf = push if buf is None else h["momentum"] * buf + push
                push = buf
            theta = theta - lr * push
            states.append({"square_avg": sq.copy(), **({"momentum_buffer": buf.copy()} if buf is not None else {})})
        else:
            m = (1 - b1) * g if m is None else b1 * m + (1 - b1) * g
            v = (1 - b2) * g * g if v is None else b2 * v + (1 - b2) * g * g
            k = t + shift
            m_hat, v_hat = (m, v) if no_bias else (m / (1 - b1**k), v / (1 - b2**k))
            theta = theta - lr * m_hat / (np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps)
            states.append({"exp_avg": m.copy(), "exp_avg_sq": v.copy(), "m_hat": m_hat, "v_hat": v_hat})
        points.append(theta.copy())
    return points, states
