"""Traced torch names: what part each call plays, and the other names the same API goes by."""

from __future__ import annotations

from apicompat.records.scan import ApiCategory

_TENSOR = "torch.Tensor."
_FUNCTIONAL = "torch.nn.functional."

#: Metadata reads and conversions: what a port rewrites mechanically, never a computation.
_ATTRIBUTE_METHODS = frozenset(
    {
        "dim", "ndimension", "size", "numel", "nelement", "stride", "storage_offset", "is_contiguous",
        "is_floating_point", "is_complex", "element_size", "data_ptr", "item", "tolist", "numpy",
        "__len__", "__repr__", "__format__", "__bool__", "__int__", "__float__", "__index__", "__hash__",
        "get_device", "has_names", "is_set_to", "requires_grad_", "retain_grad", "detach", "detach_",
        "cpu", "cuda", "to", "type", "contiguous", "clone", "__deepcopy__", "__reduce_ex__",
        "__setstate__", "__array__", "untyped_storage", "_is_view", "is_shared", "is_pinned",
    }
)  # fmt: skip

_AUTOGRAD = frozenset({"torch.Tensor.backward", "torch.autograd.backward", "torch.autograd.grad"})

#: Factories and initializers: they make inputs and parameters, they do not compute from them.
_CREATION_FUNCTIONS = frozenset(
    {
        "empty", "zeros", "ones", "full", "tensor", "as_tensor", "from_numpy", "arange", "linspace",
        "logspace", "eye", "empty_like", "zeros_like", "ones_like", "full_like", "empty_strided",
        "manual_seed", "scalar_tensor",
    }
)  # fmt: skip
_CREATION_METHODS = frozenset(
    {"fill_", "zero_", "uniform_", "normal_", "copy_", "new_empty", "new_zeros", "new_ones", "new_full",
     "new_tensor", "bernoulli_", "random_", "exponential_", "geometric_", "cauchy_", "log_normal_"}
)  # fmt: skip

#: Calls whose outputs are random: their distribution can be ported, their values cannot be compared.
_RANDOM = frozenset(
    {
        "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
        "rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like", "bernoulli",
        "multinomial", "normal", "poisson", "gumbel_softmax", "rrelu", "native_dropout",
    }
)  # fmt: skip

#: Operator methods and their function names (`a + b` is Tensor.__add__, measured by an add spec).
_DUNDERS = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add", "__sub__": "sub", "__rsub__": "sub",
    "__isub__": "sub", "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul", "__truediv__": "div",
    "__rtruediv__": "div", "__itruediv__": "div", "__floordiv__": "floor_divide", "__mod__": "remainder",
    "__pow__": "pow", "__rpow__": "pow", "__matmul__": "matmul", "__rmatmul__": "matmul",
    "__neg__": "neg", "__abs__": "abs", "__eq__": "eq", "__ne__": "ne", "__lt__": "lt", "__le__": "le",
    "__gt__": "gt", "__ge__": "ge", "__and__": "bitwise_and", "__or__": "bitwise_or",
    "__xor__": "bitwise_xor", "__invert__": "bitwise_not", "__getitem__": "getitem",
    "__setitem__": "setitem",
}  # fmt: skip

#: Namespaces a bare function name may live in, most specific first.
_NAMESPACES = ("torch.", _FUNCTIONAL, "torch.special.", "torch.linalg.", "torch.fft.")


def short_name(name: str) -> str:
    """The last part of a traced name, with an operator method turned into its function name."""
    last = name.rsplit(".", 1)[-1]
    return _DUNDERS.get(last, last)


def categorize(name: str) -> ApiCategory:
    """What part a call plays in the script, from its name."""
    if name in _AUTOGRAD or "_set_grad_enabled" in name or name.startswith("torch.autograd."):
        return ApiCategory.AUTOGRAD
    if name.endswith(("__get__", "__set__")) or name in ("torch.is_tensor", "torch.is_grad_enabled"):
        return ApiCategory.ATTRIBUTE
    last = name.rsplit(".", 1)[-1]
    if name.startswith(_TENSOR) and last in _ATTRIBUTE_METHODS:
        return ApiCategory.ATTRIBUTE
    if name.startswith("torch.nn.init."):
        return ApiCategory.CREATION
    if last in _RANDOM:
        return ApiCategory.RANDOM
    if name.startswith(_TENSOR) and last in _CREATION_METHODS:
        return ApiCategory.CREATION
    if not name.startswith(_TENSOR) and last in _CREATION_FUNCTIONS:
        return ApiCategory.CREATION
    return ApiCategory.OPERATION


def aliases(name: str) -> tuple[str, ...]:
    """The names a spec's source may carry for the same API, the traced name first.

    A method (`torch.Tensor.softmax`, `torch.Tensor.add_`, `torch.Tensor.__add__`) is measured by
    the function's spec (`torch.softmax` or `torch.nn.functional.softmax`, `torch.add`); a function
    in one namespace by a spec of the same function in another (`torch.relu` and `F.relu`).
    """
    found = [name]
    base = short_name(name)
    if name.startswith(_TENSOR) and base.endswith("_") and not base.endswith("__"):
        base = base[:-1]  # an in-place method: the out-of-place function computes the same values
    for namespace in _NAMESPACES:
        found.append(namespace + base)
    if name.startswith(_TENSOR):
        found.append(_TENSOR + base)
    return tuple(dict.fromkeys(found))


def init_command(name: str) -> str:
    """A ready `apicompat init` line for an API no spec measures, with a MindSpore candidate to check."""
    base = short_name(name)
    if name.startswith(_TENSOR):
        # A method keeps its own name: not every method has a torch.<name> function (view, __getitem__).
        method = name[len(_TENSOR) :]
        return f"apicompat init {name} mindspore.Tensor.{method}"
    source = name if name.startswith("torch.") else f"torch.{name}"
    if source.startswith(_FUNCTIONAL):
        target = f"mindspore.mint.nn.functional.{base}"
    else:
        target = f"mindspore.mint.{base}"
    return f"apicompat init {source} {target} mindspore.ops.{base}"
