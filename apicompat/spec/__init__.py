"""Specs: what an API's parameters are and how each framework names them."""

from __future__ import annotations

from apicompat.spec.model import Implementation, KnownDifference, Param, ParamKind, Spec

__all__ = ["Implementation", "KnownDifference", "Param", "ParamKind", "Spec"]
