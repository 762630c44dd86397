"""Traced names: the part each call plays, the names a spec may carry for it, and the init line."""

from __future__ import annotations

import pytest

from apicompat.records.scan import ApiCategory
from apicompat.scan.names import aliases, categorize, init_command

CATEGORIES = [
    ("torch.nn.functional.conv2d", ApiCategory.OPERATION),
    ("torch.Tensor.add", ApiCategory.OPERATION),
    ("torch.Tensor.__getitem__", ApiCategory.OPERATION),
    ("torch.lstm", ApiCategory.OPERATION),
    ("torch.nn.functional.dropout", ApiCategory.RANDOM),
    ("torch.randn", ApiCategory.RANDOM),
    ("torch.empty", ApiCategory.CREATION),
    ("torch.zeros_like", ApiCategory.CREATION),
    ("torch.nn.init.kaiming_uniform_", ApiCategory.CREATION),
    ("torch.Tensor.uniform_", ApiCategory.CREATION),
    ("torch.Tensor.shape.__get__", ApiCategory.ATTRIBUTE),
    ("torch.Tensor.size", ApiCategory.ATTRIBUTE),
    ("torch.Tensor.item", ApiCategory.ATTRIBUTE),
    ("torch.Tensor.backward", ApiCategory.AUTOGRAD),
    ("_set_grad_enabled", ApiCategory.AUTOGRAD),
]


@pytest.mark.parametrize(("name", "category"), CATEGORIES)
def test_each_call_gets_its_part(name: str, category: ApiCategory) -> None:
    assert categorize(name) is category


def test_a_method_is_measured_by_the_functions_spec() -> None:
    assert aliases("torch.Tensor.softmax")[:3] == (
        "torch.Tensor.softmax",
        "torch.softmax",
        "torch.nn.functional.softmax",
    )
    assert "torch.add" in aliases("torch.Tensor.add_")  # in place: the same values
    assert "torch.add" in aliases("torch.Tensor.__add__")  # an operator: its function
    assert "torch.matmul" in aliases("torch.Tensor.__matmul__")
    assert "torch.nn.functional.relu" in aliases("torch.relu")


def test_a_dunder_is_not_taken_for_an_in_place_method() -> None:
    assert "torch.getitem" in aliases("torch.Tensor.__getitem__")
    assert not any(a.endswith("__getitem_") for a in aliases("torch.Tensor.__getitem__"))


def test_init_lines_name_a_source_that_exists_and_candidates_to_check() -> None:
    assert init_command("torch.nn.functional.gelu") == (
        "apicompat init torch.nn.functional.gelu mindspore.mint.nn.functional.gelu mindspore.ops.gelu"
    )
    assert init_command("torch.lstm") == "apicompat init torch.lstm mindspore.mint.lstm mindspore.ops.lstm"
    # Not every method has a torch.<name> function: the method itself is the source.
    assert init_command("torch.Tensor.view") == "apicompat init torch.Tensor.view mindspore.Tensor.view"
    assert init_command("torch.Tensor.__getitem__").endswith("mindspore.Tensor.__getitem__")
