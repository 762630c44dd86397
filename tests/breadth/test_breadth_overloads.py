"""Docstring overloads: the general form is read, and a parameter another overload omits is optional."""

from __future__ import annotations

from apicompat.frameworks.signatures import read_signature


def _builtin(doc: str) -> object:
    """A callable inspect cannot read (like a torch builtin), with `doc` as its docstring."""

    class Builtin:
        __doc__ = doc
        __signature__ = property(lambda self: (_ for _ in ()).throw(ValueError("no signature")))

        def __call__(self) -> None: ...

    fn = Builtin()
    Builtin.__call__.__doc__ = doc
    return fn


SUM = """sum(input, *, dtype=None) -> Tensor

Returns the sum.

.. function:: sum(input, dim, keepdim=False, *, dtype=None) -> Tensor
   :noindex:
"""

MAX = """max(input) -> Tensor

.. function:: max(input, dim, keepdim=False, *, out=None) -> (Tensor, LongTensor)
   :noindex:

.. function:: max(input, other, *, out=None) -> Tensor
   :noindex:
"""


def test_the_overload_with_most_parameters_wins_and_dim_is_optional_when_another_omits_it() -> None:
    sig = read_signature(_builtin(SUM), "torch.sum")  # type: ignore[arg-type]
    assert sig.origin == "docstring"
    assert sig.text == "torch.sum(input, dim=None, keepdim=False, *, dtype=None) -> Tensor"


def test_an_overload_returning_something_else_does_not_make_a_parameter_optional() -> None:
    sig = read_signature(_builtin(MAX), "torch.max")  # type: ignore[arg-type]
    assert sig.text == "torch.max(input, dim, keepdim=False, *, out=None) -> (Tensor, LongTensor)"
