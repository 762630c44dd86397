"""Read a callable's live signature: `inspect` first, else its docstring's first line.

Many torch functions are C builtins that `inspect.signature` cannot read; their
docstrings open with the signature instead, e.g.
`cumsum(input, dim, *, dtype=None, out=None) -> Tensor`. That line is parsed with
`ast` as the parameter list of a dummy function, never with ad-hoc regexes.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import io
import tokenize
from collections.abc import Callable, Sequence
from typing import Any

from apicompat.records import Overload, ParamInfo, SignatureInfo

_VAR_ONLY = {"VAR_POSITIONAL", "VAR_KEYWORD"}
# Sphinx directives some docstrings put before their signature lines.
_DIRECTIVES = (".. function::", ".. method::", ".. py:function::", ".. py:method::")


def read_signature(fn: Callable[..., Any], api: str, schemas: Sequence[str] = ()) -> SignatureInfo:
    """The signature of `fn` (named `api` in the text), with its overloads from the docstring and
    from operator `schemas` (torch's ATen schemas); raises ValueError if unreadable."""
    sig = _general(fn, api)
    # A Tensor method's docstring omits `self` (`new_zeros(size, *, dtype=None)`): the schema's
    # `self` is the receiver then, not the first documented parameter.
    method = ".Tensor." in api or api.startswith("Tensor.")
    first = "self" if method else (sig.params[0].name if sig.params else "input")
    overloads = read_overloads(fn, api, schemas, first=first)
    return dataclasses.replace(sig, overloads=overloads) if len(overloads) > 1 else sig


def read_overloads(
    fn: Callable[..., Any], api: str, schemas: Sequence[str], first: str
) -> tuple[Overload, ...]:
    """Every documented form of `fn`: the docstring's signature lines, then each ATen schema whose
    parameter names (`self` read as `first`) no documented line has; out= variants fold into
    the form they write to."""
    parsed = [p for p in (parse_schema(text, first) for text in schemas) if p is not None]
    plain = [(_without_self(params), ret) for params, ret, writes in parsed if not writes]
    outs = {
        _names(_without_self(params)) - {"out"} for params, _, writes in parsed if writes and _has_out(params)
    }
    found: list[Overload] = []
    for params, returns in _docstring_lines(fn):
        params = _schema_defaults(_without_self(params), [p for p, _ in plain], outs)
        found.append(Overload(_text(api, params, returns), tuple(params), "docstring"))
    known = {_names(o.params) - {"out"} for o in found}
    for params, returns in plain:
        key = _names(params)
        if key in known:
            continue
        known.add(key)
        if key in outs:
            params = [*params, ParamInfo("out", "KEYWORD_ONLY", "None")]
        found.append(Overload(_text(api, params, returns), tuple(params), "schema"))
    return tuple(found)


def _schema_defaults(
    params: list[ParamInfo], schemas: Sequence[Sequence[ParamInfo]], outs: set[frozenset[str]]
) -> list[ParamInfo]:
    """A docstring line's parameters with the defaults its ATen schemas give and the line leaves out
    (torch documents `prod(input, *, dtype)`; its schema says `ScalarType? dtype=None`; `any(input,
    *, out)` has an out= variant of `any(input)`, so `out` is optional)."""
    same = [s for s in schemas if _names(s) == _names(params)]
    defaults = {p.name: p.default for p in (same[0] if same else ()) if p.default is not None}
    if "out" in _names(params) and _names(params) - {"out"} in outs:
        defaults.setdefault("out", "None")
    if not defaults:
        return params
    return [
        dataclasses.replace(p, default=defaults[p.name]) if p.default is None and p.name in defaults else p
        for p in params
    ]


def _names(params: Sequence[ParamInfo]) -> frozenset[str]:
    return frozenset(p.name for p in params if p.kind not in _VAR_ONLY)


def _has_out(params: Sequence[ParamInfo]) -> bool:
    return [p.name for p in params if p.kind == "KEYWORD_ONLY"] == ["out"]


def _without_self(params: list[ParamInfo]) -> list[ParamInfo]:
    return params[1:] if params and params[0].name == "self" else params


def _text(api: str, params: Sequence[ParamInfo], returns: str | None) -> str:
    text = f"{api}({format_params(list(_without_self(list(params))))})"
    return f"{text} -> {returns}" if returns else text


def parse_schema(text: str, first: str = "input") -> tuple[list[ParamInfo], str | None, bool] | None:
    """An ATen schema (`aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (...)`) as
    parameters (`self` renamed `first`), the return text, and whether it writes into an argument
    (an out= variant: `Tensor(a!) out`); None when it is not a schema."""
    name, paren, _ = text.partition("(")
    if not paren or "::" not in name:
        return None
    split = _split_call("f" + text[len(name) :])  # the operator's name may hold a dot (max.dim)
    if split is None:
        return None
    inner, rest = split
    pieces = _top_level_pieces(inner)
    if pieces is None:
        return None
    params: list[ParamInfo] = []
    keyword_only = writes = False
    for piece in pieces:
        if piece == "*":
            keyword_only = True
            continue
        declaration, _, default = piece.partition("=")
        words = declaration.split()
        if len(words) < 2 or not words[-1].isidentifier():
            return None
        if words[-1] == "self" and not words[0].startswith("Tensor"):
            return None  # an overload on Python lists or scalars (aten::sum.int), not on tensors
        writes = writes or "!" in words[0]
        pname = first if words[-1] == "self" else words[-1]
        kind = "KEYWORD_ONLY" if keyword_only else "POSITIONAL_OR_KEYWORD"
        params.append(ParamInfo(pname, kind, (default.strip() or None) if default else None))
    rest = rest.strip()
    returns = (rest[2:].strip() or None) if rest.startswith("->") else None
    return params, returns, writes


def _general(fn: Callable[..., Any], api: str) -> SignatureInfo:
    """The one signature a mapping spec describes (the general form among overloads)."""
    from_inspect = _from_inspect(fn, api)
    # A bare (*args, **kwargs) wrapper says nothing; the docstring may say more.
    if from_inspect is not None and not all(p.kind in _VAR_ONLY for p in from_inspect.params):
        return from_inspect
    from_doc = _from_docstring(fn, api)
    if from_doc is not None:
        return from_doc
    if from_inspect is not None:
        return from_inspect
    raise ValueError(
        f"cannot read the signature of {api}: inspect.signature fails and its docstring "
        "does not start with a signature line"
    )


def _from_inspect(fn: Callable[..., Any], api: str) -> SignatureInfo | None:
    try:
        sig = inspect.signature(fn)
    except (ValueError, TypeError):
        return None
    params = [
        ParamInfo(
            name=p.name,
            kind=p.kind.name,
            default=None if p.default is inspect.Parameter.empty else repr(p.default),
        )
        for p in sig.parameters.values()
    ]
    returns = None if sig.return_annotation is inspect.Signature.empty else _annotation(sig.return_annotation)
    return _info(api, params, "inspect", returns)


def _annotation(annotation: Any) -> str:
    """A short name for a return annotation: `Tensor` for torch.Tensor."""
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation)


def _docstring_lines(fn: Callable[..., Any]) -> list[tuple[list[ParamInfo], str | None]]:
    """The signature lines a docstring opens with (torch: the first line and each directive)."""
    doc = inspect.getdoc(fn) or getattr(fn, "__doc__", None)
    if not isinstance(doc, str):
        return []
    lines = [line.strip() for line in doc.splitlines() if line.strip()]
    if not lines:
        return []
    # Torch docstrings open with the signature; several overloads follow one another.
    # The first line, and each directive line, is a candidate.
    candidates = [lines[0]] + [line for line in lines if line.startswith(_DIRECTIVES)]
    return [p for p in map(parse_signature_line, candidates) if p is not None]


def _from_docstring(fn: Callable[..., Any], api: str) -> SignatureInfo | None:
    parsed = _docstring_lines(fn)
    if not parsed:
        return None
    # Overloads (torch.sum(input, *, dtype) and sum(input, dim, keepdim=False, *, dtype)): the
    # one with the most parameters is the general form a mapping spec describes; ties keep the first.
    params, returns = max(parsed, key=lambda p: len(p[0]))
    return _info(api, _optional_by_overload(params, returns, parsed), "docstring", returns)


def _optional_by_overload(
    params: list[ParamInfo], returns: str | None, overloads: list[tuple[list[ParamInfo], str | None]]
) -> list[ParamInfo]:
    """Mark a required parameter optional (None) where an overload returning the same thing lacks it.

    torch documents `sum(input, dim, ...)` and `sum(input, *, dtype)` as two overloads of one
    function, and `sum(x, dim=None)` works. `max(input)` returns a tensor but `max(input, dim)` a
    (values, indices) tuple: a different function, so there `dim` stays required.
    """
    same = [{p.name for p in other} for other, ret in overloads if ret == returns and other is not params]
    out = []
    for p in params:
        if p.default is None and p.kind not in _VAR_ONLY and any(p.name not in names for names in same):
            p = ParamInfo(p.name, p.kind, "None")
        out.append(p)
    return out


def parse_signature_line(line: str) -> tuple[list[ParamInfo], str | None] | None:
    """Parse `name(params) -> ret` into parameters and the return text; None if it is not one."""
    for directive in _DIRECTIVES:
        if line.startswith(directive):
            line = line[len(directive) :].strip()
    split = _split_call(line)
    if split is None:
        return None
    inner, rest = split
    rest = rest.strip()
    returns = (rest[2:].strip() or None) if rest.startswith("->") else None
    if rest and not rest.startswith("->"):
        return None  # prose that happens to contain parentheses
    params = _parse_params(inner)
    if params is None:
        return None
    return params, returns


def _split_call(line: str) -> tuple[str, str] | None:
    """For `name(inner) rest`, the text of `inner` and `rest`; tokenize finds the closing
    parenthesis, so brackets and strings in defaults are handled."""
    name, paren, _ = line.partition("(")
    # A (possibly dotted) name: `cumsum(`, `linalg.norm(`.
    if not paren or not all(part.isidentifier() for part in name.strip().split(".")):
        return None
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line).readline):
            if tok.type != tokenize.OP:
                continue
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
                if depth == 0:
                    start = len(name) + 1
                    end = tok.start[1]
                    return line[start:end], line[tok.end[1] :]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return None


def _parse_params(inner: str) -> list[ParamInfo] | None:
    """Parameters of `def f(<inner>)`; falls back to one parameter at a time for lists
    that are not valid Python (torch's `arange(start=0, end, ...)`, `zeros(*size, *, ...)`)."""
    args = _parse_args(inner)
    if args is not None:
        return _from_arguments(args)
    pieces = _top_level_pieces(inner)
    if pieces is None:
        return None
    params: list[ParamInfo] = []
    keyword_only = False
    for piece in pieces:
        if piece == "*":
            keyword_only = True
            continue
        if piece == "/":
            params = [ParamInfo(p.name, "POSITIONAL_ONLY", p.default) for p in params]
            continue
        one = _parse_args(piece)
        if one is None:
            return None
        for p in _from_arguments(one):
            if keyword_only and p.kind == "POSITIONAL_OR_KEYWORD":
                p = ParamInfo(p.name, "KEYWORD_ONLY", p.default)
            keyword_only = keyword_only or p.kind == "VAR_POSITIONAL"
            params.append(p)
    return params


def _parse_args(inner: str) -> ast.arguments | None:
    try:
        tree = ast.parse(f"def f({inner}): pass")
    except SyntaxError:
        return None
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    return func.args


def _top_level_pieces(inner: str) -> list[str] | None:
    """`inner` split at commas outside brackets and strings, each piece stripped."""
    pieces: list[str] = []
    depth = 0
    last = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(inner).readline):
            if tok.type != tokenize.OP:
                continue
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
            elif tok.string == "," and depth == 0:
                pieces.append(inner[last : tok.start[1]].strip())
                last = tok.end[1]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    tail = inner[last:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def _from_arguments(args: ast.arguments) -> list[ParamInfo]:
    """ParamInfos, in order, from a parsed parameter list."""
    params: list[ParamInfo] = []
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for i, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = "POSITIONAL_ONLY" if i < len(args.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        params.append(ParamInfo(arg.arg, kind, _unparse(default)))
    if args.vararg is not None:
        params.append(ParamInfo(args.vararg.arg, "VAR_POSITIONAL", None))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(ParamInfo(arg.arg, "KEYWORD_ONLY", _unparse(kw_default)))
    if args.kwarg is not None:
        params.append(ParamInfo(args.kwarg.arg, "VAR_KEYWORD", None))
    return params


def _unparse(default: ast.expr | None) -> str | None:
    """A default's source text (`None`, `-1`, `torch.strided`); None when required."""
    return None if default is None else ast.unparse(default)


def _info(api: str, params: list[ParamInfo], origin: str, returns: str | None) -> SignatureInfo:
    """A SignatureInfo without `self` (methods are described by their other parameters)."""
    if params and params[0].name == "self":
        params = params[1:]
    text = f"{api}({format_params(params)})"
    if returns:
        text += f" -> {returns}"
    return SignatureInfo(api=api, params=tuple(params), origin=origin, text=text)


def format_params(params: tuple[ParamInfo, ...] | list[ParamInfo]) -> str:
    """The parameter list as Python writes it: `input, dim, *, dtype=None`."""
    parts: list[str] = []
    star_written = False
    for i, p in enumerate(params):
        previous = params[i - 1].kind if i else None
        if previous == "POSITIONAL_ONLY" and p.kind != "POSITIONAL_ONLY":
            parts.append("/")
        if p.kind == "KEYWORD_ONLY" and not star_written:
            parts.append("*")
            star_written = True
        if p.kind == "VAR_POSITIONAL":
            parts.append(f"*{p.name}")
            star_written = True
        elif p.kind == "VAR_KEYWORD":
            parts.append(f"**{p.name}")
        else:
            parts.append(p.name if p.default is None else f"{p.name}={p.default}")
    if params and params[-1].kind == "POSITIONAL_ONLY":
        parts.append("/")
    return ", ".join(parts)
