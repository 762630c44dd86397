"""Shapes of secondary tensors, following the primary's under a spec's shape rule.

`same` copies the primary's shape; `broadcast` tries shapes that broadcast with
it (and one that does not); `matmul` contracts its last dimension, as
`(..., n, k) @ (..., k, m)` does.
"""

from __future__ import annotations

from apicompat.spec.model import ShapeRule

Shape = tuple[int, ...]

#: The free dimension a matmul partner adds (distinct from the modest shapes' sizes).
MATMUL_COLUMNS = 2


def everyday_shape(rule: ShapeRule, primary: Shape) -> Shape:
    """The shape a secondary tensor gets when no sweep varies it: always a valid partner."""
    if rule is ShapeRule.MATMUL:
        return matmul_partner(primary)
    return primary


def matmul_partner(primary: Shape) -> Shape:
    """A right operand for `primary`: a vector for a vector, else a batch of (k, m) matrices."""
    if not primary:
        return ()
    if len(primary) == 1:
        return primary
    return (*primary[:-2], primary[-1], MATMUL_COLUMNS)


def shape_variants(rule: ShapeRule, primary: Shape) -> list[Shape]:
    """The shapes a parameter sweep tries for a secondary tensor, the last one invalid where one exists."""
    if rule is ShapeRule.SAME:
        return [primary]
    if rule is ShapeRule.BROADCAST:
        return _broadcast_variants(primary)
    return _matmul_variants(primary)


def _broadcast_variants(primary: Shape) -> list[Shape]:
    variants: list[Shape] = [primary, ()]
    if primary:
        variants += [primary[1:], (1,) * len(primary), (2, *primary)]
        mismatch = (*primary[:-1], primary[-1] + 1)
        variants.append(mismatch)
    return _unique(variants)


def _matmul_variants(primary: Shape) -> list[Shape]:
    if not primary:
        return [(), (1,)]
    k = primary[-1]
    variants: list[Shape] = [matmul_partner(primary), (k,), (k, MATMUL_COLUMNS), (2, k, MATMUL_COLUMNS)]
    variants.append((k + 1, MATMUL_COLUMNS))
    return _unique(variants)


def relation(rule: ShapeRule, primary: Shape, shape: Shape) -> str:
    """How `shape` relates to the primary's: `same`, `broadcast`, `rankN` (matmul) or `mismatch`."""
    if rule is ShapeRule.MATMUL:
        return f"rank{len(shape)}" if matmul_compatible(primary, shape) else "mismatch"
    if shape == primary:
        return "same"
    return "broadcast" if broadcast_compatible(primary, shape) else "mismatch"


def broadcast_compatible(a: Shape, b: Shape) -> bool:
    """Whether two shapes broadcast (NumPy's and torch's rule)."""
    return all(x == y or 1 in (x, y) for x, y in zip(reversed(a), reversed(b), strict=False))


def matmul_compatible(a: Shape, b: Shape) -> bool:
    """Whether `a @ b` is defined: both at least 1-D, inner sizes equal, batch dimensions broadcast."""
    if not a or not b:
        return False
    inner = b[0] if len(b) == 1 else b[-2]
    if a[-1] != inner:
        return False
    return broadcast_compatible(a[:-2], b[:-2])


def _unique(shapes: list[Shape]) -> list[Shape]:
    return list(dict.fromkeys(shapes))
