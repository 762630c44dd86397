"""References for the margin and likelihood losses of torch.nn.functional: margin_ranking,
soft_margin, cosine_embedding, gaussian_nll, triplet_margin and multilabel_soft_margin, each
as torch's ATen or Python code writes it, in float64 (hinge_embedding is a formula in its spec).

torch checks none of the ±1 targets' values: a target that is neither 1 nor -1 is used as the
formula says, and so it is here.
"""

from __future__ import annotations

import math

import numpy as np

from apicompat.references.core import Result, require_category, widen
from apicompat.references.losses import _reduce
from apicompat.references.promotion import promote


def _floats(dtypes: dict[str, str], names: tuple[str, ...], api: str) -> str:
    """The promoted dtype of the named tensors, after torch's floating-point check on the first."""
    require_category(names[0], dtypes[names[0]], ("float",), api)
    out = dtypes[names[0]]
    for name in names[1:]:
        out = promote(out, dtypes[name])
    return out


def margin_ranking_loss(
    input1: np.ndarray,
    input2: np.ndarray,
    target: np.ndarray,
    margin: float = 0.0,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.margin_ranking_loss: max(0, -target (input1 - input2) + margin), broadcast;
    the three tensors must have the same number of dimensions."""
    api = "margin_ranking_loss"
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(f"{api}: All input tensors should have same dimension")
    dtype = _floats(dtypes, ("input1", "input2", "target"), api)
    x1, x2, t = (widen(a, "float64") for a in (input1, input2, target))
    with np.errstate(all="ignore"):
        losses = np.maximum(-t * (x1 - x2) + margin, 0.0)
    return Result(_reduce(np.asarray(losses), reduction), dtype)


def soft_margin_loss(
    input: np.ndarray, target: np.ndarray, reduction: str = "mean", *, dtypes: dict[str, str]
) -> Result:
    """torch.nn.functional.soft_margin_loss: log(1 + exp(-target * input)) in input's dtype and shape
    (target broadcasts to it; a target that would enlarge it raises)."""
    api = "soft_margin_loss"
    _floats(dtypes, ("input", "target"), api)
    dtype = dtypes["input"]
    if np.broadcast_shapes(input.shape, target.shape) != input.shape:
        raise RuntimeError(f"{api}: output with shape {list(input.shape)} doesn't match the broadcast shape")
    with np.errstate(all="ignore"):
        losses = np.log1p(np.exp(-widen(target, "float64") * widen(input, "float64")))
    return Result(_reduce(np.asarray(losses), reduction), dtype)


#: torch's cosine_embedding_loss adds it to each squared magnitude before the square root.
_COSINE_EPS = 1e-12


def cosine_embedding_loss(
    input1: np.ndarray,
    input2: np.ndarray,
    target: np.ndarray,
    margin: float = 0.0,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.cosine_embedding_loss: 1 - cos(x1, x2) where target is 1, max(0, cos -
    margin) where it is -1, 0 elsewhere; a 1-D target takes (N, D) inputs, a 0-d one (D,) inputs; the
    result has the inputs' promoted dtype (target only selects)."""
    api = "cosine_embedding_loss"
    if target.ndim not in (0, 1):
        raise RuntimeError(f"{api}: 0D or 1D target tensor expected, multi-target not supported")
    if input1.ndim != target.ndim + 1 or input2.ndim != target.ndim + 1:
        raise RuntimeError(f"{api}: {target.ndim}D target tensor expects {target.ndim + 1}D input tensors")
    dtype = _floats(dtypes, ("input1", "input2"), api)
    x1, x2, t = (widen(a, "float64") for a in (input1, input2, target))
    axis = target.ndim
    with np.errstate(all="ignore"):
        dot = (x1 * x2).sum(axis=axis)
        cos = dot / np.sqrt(
            ((x1 * x1).sum(axis=axis) + _COSINE_EPS) * ((x2 * x2).sum(axis=axis) + _COSINE_EPS)
        )
        losses = np.where(t == 1, 1 - cos, 0.0) + np.where(t == -1, np.maximum(cos - margin, 0.0), 0.0)
    return Result(_reduce(np.asarray(losses), reduction), dtype)


def gaussian_nll_loss(
    input: np.ndarray,
    target: np.ndarray,
    var: np.ndarray | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.gaussian_nll_loss: 0.5 (log v + (input - target)^2 / v) with v = var
    clamped to at least eps (a negative var raises); var may lack input's last dimension or be 1 in
    one dimension; full adds 0.5 log(2 pi)."""
    api = "gaussian_nll_loss"
    names = ("input", "target", "var") if "var" in dtypes else ("input", "target")
    dtype = _floats(dtypes, names, api)
    x, t = widen(input, "float64"), widen(target, "float64")
    v = np.full(x.shape, float(var)) if "var" not in dtypes else widen(np.asarray(var), "float64")
    if np.any(v < 0):
        raise ValueError("var has negative entry/entries")
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:
            v = v[..., None]
        elif not (v.ndim == x.ndim and sum(b for a, b in zip(x.shape, v.shape, strict=True) if a != b) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not valid")
    v = np.maximum(v, eps)
    with np.errstate(all="ignore"):
        losses = 0.5 * (np.log(v) + (x - t) ** 2 / v)
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return Result(_reduce(np.asarray(losses), reduction), dtype)


def _pairwise_distance(x1: np.ndarray, x2: np.ndarray, p: float, eps: float) -> np.ndarray:
    """torch.pairwise_distance: the p-norm of x1 - x2 + eps over the last dimension."""
    d = np.abs(x1 - x2 + eps)
    if d.ndim == 0:
        d = d[None]
    if p == 0:
        return np.asarray((d != 0).sum(axis=-1), dtype=np.float64)
    if math.isinf(p):
        return np.asarray(d.max(axis=-1) if p > 0 else d.min(axis=-1))
    return np.asarray((d**p).sum(axis=-1) ** (1.0 / p))


def triplet_margin_loss(
    anchor: np.ndarray,
    positive: np.ndarray,
    negative: np.ndarray,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.triplet_margin_loss: max(0, margin + d(a, p) - d(a, n)) with d the
    pairwise p-norm distance of x1 - x2 + eps over the last dimension; swap uses min(d(a, n), d(p, n));
    the margin must be positive and the three tensors of one rank."""
    api = "triplet_margin_loss"
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"{api}: the anchor, positive, and negative tensors must have the same rank")
    dtype = _floats(dtypes, ("anchor", "positive", "negative"), api)
    a, pos, neg = (widen(x, "float64") for x in (anchor, positive, negative))
    with np.errstate(all="ignore"):
        d_pos = _pairwise_distance(a, pos, p, eps)
        d_neg = _pairwise_distance(a, neg, p, eps)
        if swap:
            d_neg = np.minimum(d_neg, _pairwise_distance(pos, neg, p, eps))
        losses = np.maximum(margin + d_pos - d_neg, 0.0)
    return Result(_reduce(np.asarray(losses), reduction), dtype)


def multilabel_soft_margin_loss(
    input: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None = None,
    reduction: str = "mean",
    *,
    dtypes: dict[str, str],
) -> Result:
    """torch.nn.functional.multilabel_soft_margin_loss: -(t log sigmoid(x) + (1 - t) log sigmoid(-x)),
    times weight, averaged over the last (class) dimension, then reduced over the rest."""
    names = ("input", "target", "weight") if weight is not None else ("input", "target")
    dtype = _floats(dtypes, names, "multilabel_soft_margin_loss")
    x, t = widen(input, "float64"), widen(target, "float64")
    with np.errstate(all="ignore"):
        losses = -(t * -np.logaddexp(0.0, -x) + (1 - t) * -np.logaddexp(0.0, x))
        if weight is not None:
            losses = losses * widen(weight, "float64")
        losses = np.asarray(losses)
        classes = losses.shape[-1] if losses.ndim else 1
        per_sample = np.asarray(losses.sum(axis=-1) / classes if losses.ndim else losses / classes)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not valid")
    return Result(_reduce(per_sample, reduction), dtype)
