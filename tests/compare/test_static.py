"""Static check: names, one-sided parameters, defaults and spec drift."""

from __future__ import annotations

from apicompat.classify.signatures import static_check
from apicompat.records import DiffKind, Implementation, ParamInfo, SignatureInfo

PARAMS = ("input", "dim", "dtype", "out")
SOURCE = Implementation("torch", "torch.cumsum", tuple((p, p) for p in PARAMS))
TARGET = Implementation(
    "mindspore", "mindspore.ops.cumsum", (("input", "x"), ("dim", "axis"), ("dtype", "dtype"), ("out", None))
)


def sig(api: str, *params: tuple[str, str | None], origin: str = "inspect") -> SignatureInfo:
    infos = tuple(ParamInfo(n, "POSITIONAL_OR_KEYWORD", d) for n, d in params)
    return SignatureInfo(api, infos, origin, api)


def test_cumsum_mapping_rows_and_differences() -> None:
    src = sig(
        "torch.cumsum", ("input", None), ("dim", None), ("dtype", "None"), ("out", "None"), origin="docstring"
    )
    tgt = sig("mindspore.ops.cumsum", ("x", None), ("axis", None), ("dtype", "None"))
    result = static_check(PARAMS, SOURCE, TARGET, src, tgt)
    kinds = sorted((d.kind.value, d.subject) for d in result.differences)
    assert kinds == [("param_name", "dim"), ("param_name", "input"), ("param_only_in_one", "out")]
    assert result.rows[0][:4] == ("input", "input", "x", "Same function, different parameter names")
    assert result.rows[2][:4] == ("dtype", "dtype", "dtype", "-")
    assert result.rows[3][2] is None and "PyTorch only" in result.rows[3][3]
    assert result.drift == ()


def test_default_difference_and_target_only_parameter() -> None:
    src = sig("torch.cumsum", ("input", None), ("dim", None), ("dtype", "None"), ("out", "None"))
    tgt = sig("mindspore.ops.cumsum", ("x", None), ("axis", "0"), ("dtype", "None"), ("reverse", "False"))
    result = static_check(PARAMS, SOURCE, TARGET, src, tgt)
    kinds = {(d.kind, d.subject) for d in result.differences}
    assert (DiffKind.PARAM_DEFAULT, "dim") in kinds
    assert (DiffKind.PARAM_ONLY_IN_ONE, "MindSpore:reverse") in kinds


def test_drift_when_live_signature_lacks_a_mapped_name() -> None:
    src = sig("torch.cumsum", ("input", None), ("dim", None), ("dtype", "None"), ("out", "None"))
    tgt = sig("mindspore.ops.cumsum", ("input", None), ("axis", None), ("dtype", "None"))
    result = static_check(PARAMS, SOURCE, TARGET, src, tgt)
    assert len(result.drift) == 1 and "no parameter 'x'" in result.drift[0]


def test_signature_from_spec_is_not_used_for_defaults_or_drift() -> None:
    tgt = sig("mindspore.ops.cumsum", ("zzz", None), origin="spec")
    result = static_check(PARAMS, SOURCE, TARGET, None, tgt)
    assert result.drift == () and not any(d.kind is DiffKind.PARAM_DEFAULT for d in result.differences)
