"""Baseline files, units, verdicts against the baseline, and the one listing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conformance_helpers import CUMSUM_DIFFS, TARGET, diff, result

from apicompat.conformance import (
    ANY_DEVICE,
    Baseline,
    BaselineEntry,
    Outcome,
    Unit,
    entry_for,
    format_finding,
    format_summary,
    format_unit,
    format_verdict,
    judge,
    load_baseline,
    parse_baseline,
    plan_units,
    render_baseline,
    save_baseline,
    unit_message,
    updated_baseline,
)
from apicompat.conformance.baseline import DEFAULT_BASELINE, in_scope
from apicompat.records import ApicompatError, DiffKind, Reproducer


def baseline_of(*results: object) -> Baseline:
    return updated_baseline(Baseline(), results, ("cpu",))  # type: ignore[arg-type]


# --- units -----------------------------------------------------------------


def test_plan_has_signature_units_per_target_and_behaviour_units_per_device() -> None:
    units = plan_units("cumsum", [TARGET], ("cpu", "gpu"))
    names = [u.name for u in units]
    assert names[:3] == [
        f"{TARGET}[any-param_name]",
        f"{TARGET}[any-param_only_in_one]",
        f"{TARGET}[any-param_default]",
    ]
    assert len(units) == 3 + 2 * (len(DiffKind) - 3)
    assert f"{TARGET}[gpu-device_support]" in names and f"{TARGET}[cpu-value_mismatch]" in names
    assert len(set(units)) == len(units)


def test_plan_adds_units_for_entries_of_unknown_targets_once() -> None:
    extra = [Unit("cumsum", "old.api", "cpu", "value_mismatch")] * 2 + [
        Unit("other", "x", "cpu", "value_mismatch")
    ]
    units = plan_units("cumsum", [TARGET], ("cpu",), extra)
    assert units[-1] == Unit("cumsum", "old.api", "cpu", "value_mismatch")
    assert sum(u.target == "old.api" for u in units) == 1
    assert not any(u.spec == "other" for u in units)


# --- the baseline file -----------------------------------------------------


def test_render_is_sorted_deterministic_and_round_trips(tmp_path: Path) -> None:
    baseline = baseline_of(result("b", CUMSUM_DIFFS), result("a", CUMSUM_DIFFS))
    text = render_baseline(baseline)
    keys = [e["key"] for e in json.loads(text)["entries"]]
    assert keys == sorted(keys) and len(keys) == 6
    assert text.endswith("}\n")
    assert render_baseline(parse_baseline(text)) == text
    save_baseline(tmp_path / "deep" / "baseline.json", baseline)
    assert (tmp_path / "deep" / "baseline.json").read_text(encoding="utf-8") == text
    assert load_baseline(tmp_path / "deep" / "baseline.json") == baseline


def test_entries_carry_key_fields_and_reason_only_when_accepted() -> None:
    entries = json.loads(render_baseline(baseline_of(result("cumsum", CUMSUM_DIFFS))))["entries"]
    out = next(e for e in entries if e["kind"] == "param_only_in_one")
    assert out == {
        "key": f"cumsum::{TARGET}::param_only_in_one::out",
        "spec": "cumsum",
        "target": TARGET,
        "kind": "param_only_in_one",
        "subject": "out",
        "summary": "param_only_in_one differs on out",
        "reason": "MindSpore has no out=",
    }
    dtype = next(e for e in entries if e["kind"] == "output_dtype")
    assert dtype["device"] == "cpu" and "reason" not in dtype


def test_a_key_alone_is_a_valid_entry_and_fields_are_derived() -> None:
    baseline = parse_baseline(json.dumps({"entries": [{"key": "s::t.api::value_mismatch::a::b"}]}))
    assert baseline.entries == (
        BaselineEntry("s::t.api::value_mismatch::a::b", "s", "t.api", "value_mismatch", "a::b"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", 'an object with an "entries" list'),
        ('{"baseline_format": 9, "entries": []}', "format 9 is not supported"),
        ('{"entries": [3]}', "entries[0]: expected an object"),
        ('{"entries": [{"summary": "x"}]}', 'entries[0]: missing "key"'),
        ('{"entries": [{"key": "a::b"}]}', "spec::target::kind::subject"),
        ('{"entries": [{"key": "a::b::colour::x"}]}', "unknown kind 'colour'"),
        ('{"entries": [{"key": "a::b::value_mismatch::x", "spec": "z"}]}', "spec 'z' does not match the key"),
        ('{"entries": [{"key": "a::b::value_mismatch::x", "extra": 1}]}', "unknown field(s) extra"),
        ('{"entries": [{"key": "a::b::value_mismatch::x", "summary": 1}]}', "'summary' must be a string"),
        (
            '{"entries": [{"key": "a::b::value_mismatch::x"}, {"key": "a::b::value_mismatch::x"}]}',
            "entries[1]: duplicate key",
        ),
    ],
)
def test_bad_baselines_name_the_file_and_the_entry(text: str, message: str) -> None:
    with pytest.raises(ApicompatError) as info:
        parse_baseline(text, "reports/baseline.json")
    assert str(info.value).startswith("reports/baseline.json")
    assert message in str(info.value)


def test_a_missing_baseline_is_an_error_unless_it_is_being_written(tmp_path: Path) -> None:
    with pytest.raises(ApicompatError, match="--update-baseline"):
        load_baseline(tmp_path / "none.json")
    assert load_baseline(tmp_path / "none.json", missing_ok=True) == Baseline()


def test_the_default_path_is_the_same_in_the_cli_and_the_plugin() -> None:
    import apicompat.pytest_plugin as plugin
    from apicompat.cli import build_parser

    assert build_parser().parse_args(["check"]).baseline == DEFAULT_BASELINE == plugin.DEFAULT_BASELINE


# --- updating --------------------------------------------------------------


def test_update_replaces_what_ran_and_keeps_what_did_not() -> None:
    old = baseline_of(result("a", CUMSUM_DIFFS), result("b", CUMSUM_DIFFS))
    gpu_entry = BaselineEntry(
        f"a::{TARGET}::value_mismatch::x@gpu", "a", TARGET, "value_mismatch", "x@gpu", device="gpu"
    )
    old = Baseline((*old.entries, gpu_entry))
    new = updated_baseline(old, [result("a", CUMSUM_DIFFS[:1])], ("cpu",))
    keys = set(new.by_key())
    assert f"a::{TARGET}::param_only_in_one::out" in keys
    assert f"a::{TARGET}::output_dtype::int8->int64" not in keys  # ran, no longer measured
    assert f"b::{TARGET}::output_dtype::int8->int64" in keys  # did not run
    assert gpu_entry.key in keys  # gpu was not measured


def test_update_keeps_a_reviewers_reason_when_the_spec_gives_none() -> None:
    key = f"a::{TARGET}::value_mismatch::float16"
    old = Baseline((BaselineEntry(key, "a", TARGET, "value_mismatch", "float16", reason="fixed in MS 2.11"),))
    new = updated_baseline(old, [result("a", CUMSUM_DIFFS)], ("cpu",))
    assert new.by_key()[key].reason == "fixed in MS 2.11"


def test_one_entry_per_key_when_two_comparers_report_the_same_finding() -> None:
    twice = (diff("param_only_in_one", "out"), diff("param_only_in_one", "out", device="cpu"))
    assert len(baseline_of(result("a", twice)).entries) == 1


# --- verdicts --------------------------------------------------------------


def test_matching_baseline_passes_every_unit() -> None:
    res = result("cumsum", CUMSUM_DIFFS)
    verdict = judge([res], baseline_of(res), ("cpu",))
    assert not verdict.failed
    assert len(verdict.findings(Outcome.MATCHED)) == 3
    assert len(verdict.units) == len(plan_units("cumsum", [TARGET], ("cpu",)))
    assert format_summary(verdict).startswith("passed: 1 spec, 14 checks, 0 new differences")


def test_a_deleted_entry_is_new_and_fails_its_unit_only() -> None:
    res = result("cumsum", CUMSUM_DIFFS)
    full = baseline_of(res)
    key = f"cumsum::{TARGET}::output_dtype::int8->int64"
    verdict = judge([res], Baseline(tuple(e for e in full.entries if e.key != key)), ("cpu",))
    assert verdict.failed
    assert [f.entry.key for f in verdict.failures] == [key]
    failed = [u for u in verdict.units if u.failed]
    assert [u.unit for u in failed] == [Unit("cumsum", TARGET, "cpu", "output_dtype")]
    assert unit_message(failed[0]) == "1 new difference: int8->int64"


def test_a_fabricated_entry_is_stale_and_fails_only_when_strict() -> None:
    res = result("cumsum", CUMSUM_DIFFS)
    fake = BaselineEntry(
        f"cumsum::{TARGET}::param_default::dim", "cumsum", TARGET, "param_default", "dim", "made up"
    )
    baseline = Baseline((*baseline_of(res).entries, fake))
    strict = judge([res], baseline, ("cpu",))
    assert [(f.outcome, f.entry.key) for f in strict.failures] == [(Outcome.STALE, fake.key)]
    lenient = judge([res], baseline, ("cpu",), strict=False)
    assert not lenient.failed
    assert [f.entry.key for u in lenient.units for f in u.warnings] == [fake.key]
    assert "not failing: strictness is off" in format_verdict(lenient)
    assert "(not strict)" in format_summary(lenient)


def test_entries_of_specs_devices_and_frameworks_not_measured_are_not_stale() -> None:
    res = result("cumsum", (), devices=("cpu",), unavailable=("mindspore:gpu (no CUDA)",))
    other_spec = BaselineEntry(f"other::{TARGET}::value_mismatch::x", "other", TARGET, "value_mismatch", "x")
    gpu = BaselineEntry(
        f"cumsum::{TARGET}::value_mismatch::x@gpu", "cumsum", TARGET, "value_mismatch", "x@gpu", device="gpu"
    )
    baseline = Baseline((other_spec, gpu))
    assert not judge([res], baseline, ("cpu",)).failed
    assert not judge([res], baseline, ("cpu", "gpu")).failed
    # gpu ran for torch but not for MindSpore: the target's gpu units are skipped, its entries not stale
    res_gpu = result("cumsum", (), devices=("cpu", "gpu"), unavailable=("mindspore:gpu (no CUDA)",))
    verdict = judge([res_gpu], baseline, ("cpu", "gpu"))
    assert not verdict.failed
    skipped = [u for u in verdict.units if u.skipped]
    assert skipped and all(u.unit.device == "gpu" for u in skipped)
    assert "mindspore:gpu (no CUDA)" in (skipped[0].skipped or "")
    assert not in_scope(gpu, res_gpu, ("cpu", "gpu"))


def test_a_gpu_entry_is_stale_once_gpu_is_measured() -> None:
    res = result("cumsum", (), devices=("cpu", "gpu"))
    gpu = BaselineEntry(
        f"cumsum::{TARGET}::value_mismatch::x@gpu", "cumsum", TARGET, "value_mismatch", "x@gpu", device="gpu"
    )
    verdict = judge([res], Baseline((gpu,)), ("cpu", "gpu"))
    assert [u.unit for u in verdict.units if u.failed] == [Unit("cumsum", TARGET, "gpu", "value_mismatch")]


def test_an_entry_for_a_target_the_spec_no_longer_has_is_stale_in_its_own_unit() -> None:
    res = result("cumsum", ())
    gone = BaselineEntry(
        "cumsum::paddle.cumsum::param_name::dim", "cumsum", "paddle.cumsum", "param_name", "dim"
    )
    verdict = judge([res], Baseline((gone,)), ("cpu",))
    assert [u.unit for u in verdict.units if u.failed] == [
        Unit("cumsum", "paddle.cumsum", ANY_DEVICE, "param_name")
    ]


def test_signature_differences_share_one_unit_across_devices() -> None:
    res = result("cumsum", (diff("param_name", "dim"),), devices=("cpu", "gpu"))
    verdict = judge([res], Baseline(), ("cpu", "gpu"))
    assert [u.unit.device for u in verdict.units if u.failed] == [ANY_DEVICE]


# --- the listing -----------------------------------------------------------


def test_a_new_finding_shows_key_summary_evidence_and_both_reproducers() -> None:
    res = result("cumsum", CUMSUM_DIFFS)
    verdict = judge([res], Baseline(), ("cpu",))
    unit = next(u for u in verdict.units if u.unit.check == "output_dtype")
    text = format_unit(unit)
    lines = text.splitlines()
    assert lines[0] == f"NEW   cumsum::{TARGET}::output_dtype::int8->int64 (cpu)"
    assert "output_dtype: mindspore.ops.cumsum keeps int8 where torch.cumsum returns int64" in text
    assert "2 cases (case-1, case-2)" in text and "dtypes int8" in text
    assert "# torch.cumsum" in text and f"# {TARGET}" in text
    assert "# torch.int64" in text and "# Int8" in text
    assert all(line.startswith("      ") for line in lines[1:] if line)
    assert text in format_verdict(verdict)  # the CLI shows the very same block


def test_a_finding_the_spec_accepts_but_the_baseline_lacks_says_so() -> None:
    verdict = judge([result("cumsum", CUMSUM_DIFFS[:1])], Baseline(), ("cpu",))
    assert "the spec accepts it (MindSpore has no out=), but the baseline does not list it" in format_verdict(
        verdict
    )


def test_a_stale_finding_shows_what_was_accepted() -> None:
    entry = BaselineEntry(
        f"c::{TARGET}::param_default::dim", "c", TARGET, "param_default", "dim", "default 0", reason="r"
    )
    verdict = judge([result("c", ())], Baseline((entry,)), ("cpu",))
    text = format_finding(verdict.failures[0])
    assert text.splitlines() == [
        f"STALE c::{TARGET}::param_default::dim",
        "      accepted in the baseline, but not measured in this run",
        "      accepted as: default 0",
        "      reason: r",
    ]


def test_the_listing_strips_terminal_escapes_and_cuts_long_output() -> None:
    noisy = diff("error_behavior", "x", summary="boom \x1b[31mred\x1b[0m\x00")
    noisy = dataclasses.replace(noisy, reproducer=Reproducer("a", "b", "\n".join(map(str, range(50))), None))
    text = format_finding(judge([result("c", (noisy,))], Baseline(), ("cpu",)).failures[0])
    assert "\x1b" not in text and "\x00" not in text and "boom red" in text
    assert "# 19" in text and "# 20" not in text and "(30 more lines)" in text
    assert "# (not run)" in text


def test_entry_for_uses_the_difference_key() -> None:
    d = diff("value_mismatch", "float16")
    assert entry_for(d, "cumsum", TARGET).key == d.key("cumsum", TARGET)
