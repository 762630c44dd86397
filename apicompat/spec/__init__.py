"""Specs: what an API's parameters are and how each framework names them."""

from __future__ import annotations

from apicompat.records import Implementation
from apicompat.spec.loader import load_spec, load_specs
from apicompat.spec.model import KnownDifference, Param, ParamKind, Spec

__all__ = ["Implementation", "KnownDifference", "Param", "ParamKind", "Spec", "load_spec", "load_specs"]
