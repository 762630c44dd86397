"""torch's ATen operator schemas as `init` reads them: each overload's arguments and their types.

The schemas (`aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *,
ScalarType? dtype=None) -> Tensor`) come from `torch._C._jit_get_schemas_for_operator`,
called in the torch worker; here they are plain text, parsed without torch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# One argument: a type (with optional `(a!)` alias annotation), a name and an optional default.
_ARG = re.compile(r"^(?P<type>[A-Za-z][\w\[\]\d?]*(?:\([a-z!]+\))?\??)\s+(?P<name>\w+)(?:=(?P<default>.+))?$")


@dataclass(frozen=True)
class SchemaArg:
    """One argument of one overload."""

    name: str  # torch's Python name: ATen's `self` is `input`
    type: str  # ATen's type text without alias annotations: Tensor, int[1]?, ScalarType?, Scalar
    default: str | None
    keyword_only: bool
    mutable: bool  # `Tensor(a!)`: written in place (an out= argument)


@dataclass(frozen=True)
class Overload:
    """One ATen overload: its name (`sum.dim_IntList`), its arguments and its text."""

    name: str
    args: tuple[SchemaArg, ...]
    text: str

    @property
    def is_out(self) -> bool:
        """Whether this is an out= variant (it writes into a mutable argument)."""
        return any(a.mutable for a in self.args)


def parse_schema(text: str) -> Overload | None:
    """One overload from its schema text; None when the text is not an operator schema."""
    match = re.match(r"^(?:aten::)?(?P<name>[\w.]+)\((?P<args>.*)\)\s*->", text.strip())
    if match is None:
        return None
    args: list[SchemaArg] = []
    keyword_only = False
    for part in _split(match.group("args")):
        if part == "*":
            keyword_only = True
            continue
        found = _ARG.match(part)
        if found is None:
            return None
        kind = found.group("type")
        mutable = "!" in kind
        kind = re.sub(r"\([a-z!]+\)", "", kind)
        name = "input" if found.group("name") == "self" else found.group("name")
        args.append(SchemaArg(name, kind, found.group("default"), keyword_only, mutable))
    return Overload(match.group("name"), tuple(args), text.strip())


def _split(args: str) -> list[str]:
    """Arguments split at top-level commas (defaults such as `[0, 1]` hold commas)."""
    parts, depth, current = [], 0, ""
    for char in args:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def tensor_overloads(schemas: Sequence[str]) -> list[Overload]:
    """The overloads that take a tensor (TorchScript's list and number ones are not torch's API)."""
    parsed = [o for o in map(parse_schema, schemas) if o is not None]
    return [o for o in parsed if any(a.type.startswith("Tensor") for a in o.args)]


def argument_types(overloads: Sequence[Overload], names: Sequence[str]) -> dict[str, list[str]]:
    """Each name -> the types the overloads give it, in overload order (out= variants last)."""
    found: dict[str, list[str]] = {name: [] for name in names}
    ordered = [o for o in overloads if not o.is_out] + [o for o in overloads if o.is_out]
    for overload in ordered:
        for arg in overload.args:
            if arg.name in found and arg.type not in found[arg.name]:
                if arg.mutable and arg.name != "out":
                    continue
                found[arg.name].append(arg.type)
    return found


def kind_of(name: str, types: Sequence[str]) -> str | None:
    """The spec kind the ATen types of one argument call for, or None when no kind expresses them."""
    if not types:
        return None
    bare = {t.rstrip("?") for t in types}
    if name == "out":
        return "out"
    if bare <= {"Tensor"} or (name == "input" and "Tensor" in bare):
        return "tensor"  # the tensor the op is on (torch.bitwise_and also has a Scalar-self overload)
    if bare & {"Tensor"} and bare & {"Scalar", "float", "int"}:
        return "tensor_or_scalar"  # torch.add's other, torch.clamp's min: overloads for both
    if bare <= {"Tensor[]"}:
        return "tensors"
    if bare & {"int[1]", "int[]", "int[2]"} and (name.startswith("dim") or name.startswith("axis")):
        return "axes"
    if bare <= {"SymInt[]", "int[]"} and name == "size":
        return "size"  # a creation op's size (torch.zeros, Tensor.new_zeros)
    if bare <= {"int"} and (name.startswith("dim") or name in ("axis", "axis0", "axis1")):
        return "axis"
    if bare <= {"ScalarType"}:
        return "dtype"
    if bare <= {"bool"}:
        return "bool"
    if bare <= {"int", "SymInt"}:
        return "int"
    if bare <= {"Scalar", "float"}:
        return "scalar"
    return None


def describe_overloads(overloads: Sequence[Overload]) -> list[str]:
    """One line per overload, for the draft's comments."""
    return [o.text.removeprefix("aten::") for o in overloads]
