"""References for the torch.nn.functional losses a formula cannot write, in float64: cross_entropy and
nll_loss (class indices, weights, ignore_index), binary cross entropy (on probabilities and on logits:
shape and range checks) and kl_div (batchmean). (l1, mse, smooth_l1 and huber are formulas in their specs.)"""

from __future__ import annotations

import numpy as np

from apicompat.references.core import Result, check_same_dtype, require_category, widen
from apicompat.references.promotion import promote

REDUCTIONS = ("none", "mean", "sum")


def _reduce(values: np.ndarray, reduction: str, weights: np.ndarray | None = None) -> np.ndarray:
    """none, sum, or mean (divided by the summed weights when there are class weights, as torch does)."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if reduction == "none":
        return values
    if reduction == "sum":
        return np.asarray(values.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(values.sum() / (weights.sum() if weights is not None else values.size))


def _classes_last(input: np.ndarray) -> np.ndarray:
    """(N, C, d1, ...) as (N, d1, ..., C); a (C,) input as (1, C)."""
    return input[None] if input.ndim == 1 else np.moveaxis(input, 1, -1)


def _check_target(input: np.ndarray, target: np.ndarray, dtypes: dict[str, str], api: str) -> None:
    check_same_dtype(dtypes, ("input", "weight"), api)
    if dtypes["target"] != "int64":
        raise RuntimeError(f"{api}: expected target of dtype int64 (class indices), got {dtypes['target']}")
    expected = () if input.ndim == 1 else (input.shape[0], *input.shape[2:])
    if tuple(target.shape) != expected:
        raise ValueError(f"{api}: expected target of shape {list(expected)}, got {list(target.shape)}")


def nll_loss(
    input: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.nll_loss: -weight[t] * input[n, t]; targets equal to ignore_index count
    neither in the sum nor in the mean's divisor."""
    api = "nll_loss"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    _check_target(input, target, dtypes, api)
    x = _classes_last(widen(input, "float64"))
    t = target.astype(np.int64).reshape(x.shape[:-1])
    classes = x.shape[-1]
    keep = t != ignore_index
    if np.any((t[keep] < 0) | (t[keep] >= classes)):
        raise IndexError(f"{api}: target out of bounds")
    w = widen(weight, "float64") if weight is not None else np.ones(classes)
    safe = np.where(keep, t, 0)
    picked = np.take_along_axis(x, safe[..., None], axis=-1)[..., 0]
    per = np.where(keep, w[safe], 0.0)
    losses = -picked * per
    out = _reduce(losses, reduction, per)
    return Result(out.reshape(target.shape) if reduction == "none" else out, dtype)


def cross_entropy(
    input: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.cross_entropy with class-index targets: nll_loss of log_softmax over dim 1,
    mixed with label_smoothing / C times the (weighted) sum over every class."""
    api = "cross_entropy"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    _check_target(input, target, dtypes, api)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"{api}: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    x = _classes_last(widen(input, "float64"))
    with np.errstate(invalid="ignore", over="ignore"):
        shifted = x - x.max(axis=-1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    t = target.astype(np.int64).reshape(x.shape[:-1])
    classes = x.shape[-1]
    keep = t != ignore_index
    if np.any((t[keep] < 0) | (t[keep] >= classes)):
        raise IndexError(f"{api}: target out of bounds")
    w = widen(weight, "float64") if weight is not None else np.ones(classes)
    safe = np.where(keep, t, 0)
    picked = np.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    per = np.where(keep, w[safe], 0.0)
    nll = -picked * per
    smooth = np.where(keep, -(log_probs * w).sum(axis=-1), 0.0)
    losses = (1 - label_smoothing) * nll + (label_smoothing / classes) * smooth
    if reduction == "mean" and label_smoothing > 0:
        # torch divides both terms by the summed target weights.
        out = _reduce(losses, "sum") / per.sum() if per.sum() else np.asarray(np.nan)
    else:
        out = _reduce(losses, reduction, per)
    return Result(out.reshape(target.shape) if reduction == "none" else out, dtype)


def _weighted(losses: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    """Losses times a weight that broadcasts to them."""
    return losses if weight is None else losses * widen(weight, "float64")


def binary_cross_entropy(
    input: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.binary_cross_entropy: -w (t log x + (1 - t) log(1 - x)), each log clamped
    to at least -100; input must lie in [0, 1], target have input's shape and dtype."""
    api = "binary_cross_entropy"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    check_same_dtype(dtypes, ("input", "target"), api)  # a weight of another dtype is accepted
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({list(target.shape)}) that is different to the input size")
    x, t = widen(input, "float64"), widen(target, "float64")
    if np.any((x < 0) | (x > 1)) or np.isnan(x).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_x = np.maximum(np.log(x), -100.0)
        log_1mx = np.maximum(np.log1p(-x), -100.0)
        losses = -(t * log_x + (1 - t) * log_1mx)
    return Result(_reduce(_weighted(np.asarray(losses), weight), reduction), dtype)


def binary_cross_entropy_with_logits(
    input: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    pos_weight: np.ndarray | None = None,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.binary_cross_entropy_with_logits: -w (pw t log sigmoid(x) + (1 - t)
    log(1 - sigmoid(x))), computed stably; target must have input's shape."""
    api = "binary_cross_entropy_with_logits"
    dtype = dtypes["input"]
    require_category("input", dtype, ("float",), api)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({list(target.shape)}) must be the same as input size ({list(input.shape)})"
        )
    x, t = widen(input, "float64"), widen(target, "float64")
    pw = 1.0 if pos_weight is None else widen(pos_weight, "float64")
    with np.errstate(over="ignore", invalid="ignore"):
        log_sig = -np.logaddexp(0.0, -x)  # log sigmoid(x)
        log_one_minus = -np.logaddexp(0.0, x)  # log (1 - sigmoid(x))
        losses = -(pw * t * log_sig + (1 - t) * log_one_minus)
    return Result(_reduce(_weighted(np.asarray(losses), weight), reduction), dtype)


def kl_div(
    input: np.ndarray,
    target: np.ndarray,
    reduction: str = "mean",
    log_target: bool = False,
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.kl_div: target (log target - input) (0 where target is 0), or with
    log_target exp(target) (target - input); `batchmean` divides the sum by the batch size."""
    api = "kl_div"
    require_category("input", dtypes["input"], ("float",), api)
    dtype = promote(dtypes["input"], dtypes["target"])
    x, t = widen(input, "float64"), widen(target, "float64")
    with np.errstate(all="ignore"):
        # Without log_target torch uses xlogy: 0 * log(0) is 0, and a negative target gives NaN.
        plain = np.where(t == 0, 0.0, t * np.log(t)) - t * x
        losses = np.exp(t) * (t - x) if log_target else plain
    losses = np.asarray(np.broadcast_to(losses, np.broadcast_shapes(x.shape, t.shape)))
    if reduction == "batchmean":
        batch = losses.shape[0] if losses.ndim else 1
        with np.errstate(all="ignore"):
            return Result(np.asarray(losses.sum() / batch), dtype)
    return Result(_reduce(losses, reduction), dtype)
