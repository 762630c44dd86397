"""Resolving an import path step by step: where it stops, and what the owner offers instead."""

from __future__ import annotations

from apicompat.frameworks.locate import locate


def test_a_callable_resolves() -> None:
    assert locate("os.path.join").ok


def test_a_missing_attribute_names_its_owner_and_offers_names() -> None:
    found = locate("os.path.joinn")
    assert not found.ok and found.missing == "joinn" and "join" in found.candidates
    assert found.message == "module 'os.path' has no attribute 'joinn'"


def test_a_missing_submodule_stops_at_the_package() -> None:
    found = locate("json.decodr.JSONDecoder")
    assert found.message == "module 'json' has no attribute 'decodr'" and "decoder" in found.candidates


def test_a_class_attribute() -> None:
    found = locate("collections.OrderedDict.popitm")
    assert found.message == "class 'collections.OrderedDict' has no attribute 'popitm'"


def test_something_that_cannot_be_called() -> None:
    found = locate("os.sep")
    assert found.message == "'os.sep' is not callable (it is a str)"


def test_a_package_that_does_not_exist() -> None:
    found = locate("nosuchpackage_apicompat.f")
    assert not found.ok and "nosuchpackage_apicompat" in found.message
