"""References for loss functions: cross_entropy, nll_loss, mse_loss, computed in float64."""

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


def mse_loss(
    input: np.ndarray, target: np.ndarray, reduction: str = "mean", *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.mse_loss: (input - target) ** 2, broadcast, then none / mean / sum; the
    result has the promoted dtype of input and target."""
    require_category("input", dtypes["input"], ("float",), "mse_loss")
    dtype = promote(dtypes["input"], dtypes["target"])
    with np.errstate(over="ignore", invalid="ignore"):
        losses = (widen(input, "float64") - widen(target, "float64")) ** 2
    return Result(_reduce(np.asarray(losses), reduction), dtype)
