"""Shipped specs: most references are declared; every Python one names the torch behaviour it encodes."""

from __future__ import annotations

from pathlib import Path

from apicompat.references.locate import load_reference
from apicompat.spec import load_specs

SPECS = load_specs([Path(__file__).resolve().parents[2] / "specs"], check_imports=False)


def test_at_least_70_percent_of_specs_declare_their_reference() -> None:
    declared = sum(spec.declarative for spec in SPECS)
    assert declared / len(SPECS) >= 0.7, f"{declared} of {len(SPECS)} specs use a declarative reference"


def test_every_python_reference_has_a_docstring_naming_torch() -> None:
    for spec in SPECS:
        if spec.declarative:
            continue
        doc = load_reference(spec.reference).__doc__ or ""
        assert "torch." in doc, (
            f"{spec.id}: the reference {spec.reference} needs a docstring naming torch's API"
        )


def test_spec_ids_are_unique_across_families() -> None:
    ids = [spec.id for spec in SPECS]
    assert len(ids) == len(set(ids))
