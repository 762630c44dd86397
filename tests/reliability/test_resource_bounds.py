"""Resource bounds: a per-case timeout and a per-worker memory limit, configurable, with defaults
that the largest generated inputs stay far within.

Enforcement itself (a hang becomes TIMEOUT, a blow-up a MemoryLimit crash, each on its
own case) is proven in tests/reliability/test_fault_run.py and
tests/execute/test_exec_faults.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apicompat.cli import build_parser
from apicompat.commands.running import config_from
from apicompat.execute import RunOptions, Session
from apicompat.records import ArgValue, Case, OutArg, Status, TensorArg, TensorListArg
from apicompat.records.dtypes import carrier
from apicompat.run.pipeline import RunConfig, plan_spec, spec_cases
from apicompat.spec import Spec, load_specs

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = RunOptions()
#: The largest inputs of any generated case, all tensors together: 4 MiB, 1/2048 of the default
#: memory limit, which leaves the rest to the framework itself (torch or MindSpore: 0.5-1 GiB).
MAX_INPUT_BYTES = 4 << 20


def input_bytes(value: ArgValue) -> int:
    """Bytes of the tensors an argument builds (as NumPy carriers)."""
    if isinstance(value, TensorArg):
        return value.size * carrier(value.dtype).itemsize
    if isinstance(value, TensorListArg):
        return sum(input_bytes(item) for item in value.items)
    if isinstance(value, OutArg):
        size = 1
        for dim in value.shape:
            size *= dim
        return size * carrier(value.dtype).itemsize
    return 0


def case_bytes(case: Case) -> int:
    return sum(input_bytes(value) for _, value in case.args)


def shipped_specs() -> list[Spec]:
    return load_specs([ROOT / "specs"])


def test_defaults_are_one_minute_and_8_gib_and_the_cli_agrees() -> None:
    assert (DEFAULTS.timeout, DEFAULTS.memory_mb) == (60.0, 8192)
    args = build_parser().parse_args(["report"])
    assert config_from(args).options == RunOptions(timeout=DEFAULTS.timeout, memory_mb=DEFAULTS.memory_mb)


def test_limits_are_configurable_from_the_command_line() -> None:
    args = build_parser().parse_args(["report", "--timeout", "2.5", "--memory-mb", "300"])
    options = config_from(args).options
    assert (options.timeout, options.memory_mb) == (2.5, 300)


@pytest.mark.parametrize("budget", [None, 200])
def test_the_largest_generated_inputs_stay_far_within_the_memory_limit(budget: int | None) -> None:
    sizes = {
        spec.id: max(case_bytes(c) for c in spec_cases(spec, RunConfig(budget=budget)))
        for spec in shipped_specs()
    }
    too_big = {spec: size for spec, size in sizes.items() if size > MAX_INPUT_BYTES}
    assert not too_big, f"cases with more than {MAX_INPUT_BYTES} bytes of inputs: {too_big}"
    assert (DEFAULTS.memory_mb or 0) << 20 >= MAX_INPUT_BYTES * 2048


@pytest.mark.frameworks
@pytest.mark.slow
def test_the_largest_cases_of_every_spec_run_well_within_the_limits() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("mindspore")
    # A tenth of the default time and a quarter of the default memory: the defaults have room.
    tight = RunOptions(timeout=DEFAULTS.timeout / 10, memory_mb=(DEFAULTS.memory_mb or 0) // 4)
    config = RunConfig(options=tight)
    with Session(tight) as session:
        for spec in shipped_specs():
            plan = plan_spec(spec, session, config)
            largest = sorted(plan.cases, key=case_bytes, reverse=True)[:3]
            observations = session.run(plan.jobs, largest)
            for (api, _device), found in observations.items():
                for observation in found:
                    assert observation.status is not Status.TIMEOUT, (spec.id, api, observation)
                    assert observation.error_type != "MemoryLimit", (spec.id, api, observation)
