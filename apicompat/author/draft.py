"""Draft a spec from introspected APIs: guess kinds and domains, match target parameters, write YAML.

A guess is marked in the YAML with `# TODO(init)` and the reason, so the author knows
what to check; nothing here runs or imports a framework.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from apicompat.author.aten import argument_types, describe_overloads, kind_of, tensor_overloads
from apicompat.author.introspect import ApiInfo, ParamDoc
from apicompat.author.numpy_guess import guess_reference
from apicompat.records import DTYPES

TODO = "TODO(init)"

#: Names that mean the same parameter across frameworks (canonical torch name -> others).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "input": ("x", "input_x", "a", "tensor", "self"),
    "dim": ("axis", "dims", "axes"),
    "dim0": ("axis0",),
    "dim1": ("axis1",),
    "keepdim": ("keepdims", "keep_dims"),
    "other": ("y", "tensor2", "x2"),
    "tensors": ("inputs", "input_x", "x"),
    "unbiased": ("ddof", "correction"),
    "correction": ("ddof",),
    "index": ("indices", "input_indices"),
    "min": ("min_value", "clip_value_min"),
    "max": ("max_value", "clip_value_max"),
}

_VARIADIC = ("VAR_POSITIONAL", "VAR_KEYWORD")
_AXIS_NAMES = ("dim", "axis", "dim0", "dim1", "axis0", "axis1")


@dataclass
class DraftParam:
    """A canonical parameter as drafted: its kind and keys, and what the author should check."""

    name: str
    kind: str
    required: bool
    default: object = None
    keyword_only: bool = False
    keys: dict[str, object] = field(default_factory=dict)  # of, values, dtypes …
    todo: list[str] = field(default_factory=list)


@dataclass
class DraftTarget:
    """A target as drafted: the name map (canonical -> target name or None) and its notes."""

    info: ApiInfo
    names: dict[str, str | None]
    positional: list[str]
    notes: dict[str, str] = field(default_factory=dict)  # canonical -> how it was matched
    extra: list[str] = field(default_factory=list)  # target parameters matched to nothing


def params_of(info: ApiInfo) -> list[ParamDoc]:
    """The named parameters (no *args, **kwargs, self)."""
    return [p for p in info.params if p.kind not in _VARIADIC and p.name != "self"]


def guess_param(p: ParamDoc, first_tensor: str | None) -> DraftParam:
    """Kind, requiredness and domain of one source parameter, from its name, default, annotation and docs."""
    text = f"{p.doc_type} {p.annotation}".lower()
    desc = p.doc.lower()
    required = p.default is None
    default = _default(p.default)
    draft = DraftParam(p.name, "tensor", required, default, keyword_only=p.kind == "KEYWORD_ONLY")
    if p.name == "out":
        draft.kind = "out"
    elif p.name == "dtype" or "dtype" in text:
        draft.kind = "dtype"
        draft.default = dtype_default(default)
        draft.keys["values"] = ["float32", "int64"]
        draft.todo.append("list the dtypes worth trying")
    elif p.name in _AXIS_NAMES or ("int" in text and ("dimension" in desc or "axis" in desc)):
        draft.kind = "axes" if "tuple" in text or "list" in text or "sequence" in text else "axis"
    elif "bool" in text or isinstance(default, bool):
        draft.kind = "bool"
    elif re.search(r"\b(sequence|list|tuple)\b.*tensor", text):
        draft.kind = "tensors"
    elif "longtensor" in text or p.name in ("index", "indices"):
        draft.kind = "index"
        draft.todo.append("check that 'along' names the axis parameter the index values refer to")
    elif "tensor" in text and ("number" in text or "float" in text or "scalar" in text):
        draft.kind = "tensor_or_scalar"
        draft.keys["values"] = [0, 1.5]
        draft.todo.append("pick the numbers worth trying")
    elif "tensor" in text or (p.name in ("input", "other") and not text.strip()):
        draft.kind = "tensor"
    elif "int" in text or isinstance(default, int):
        draft.kind = "int"
        draft.keys["values"] = [default if isinstance(default, int) else 1]
        draft.todo.append("pick the values worth trying")
    elif "float" in text or "number" in text or isinstance(default, float):
        draft.kind = "scalar"
        draft.keys["values"] = [default if isinstance(default, float) else 0.5]
        draft.todo.append("pick the values worth trying")
    else:
        draft.todo.append("kind unknown: neither the annotation nor the docstring says; check it")
    if draft.kind in ("int", "scalar") and isinstance(default, str):
        # torch.linalg.matrix_norm's ord='fro': a string default makes the parameter an option.
        draft.kind = "option"
        draft.keys = {"values": [default]}
        draft.todo = [f"the default {p.default} is a string: drafted as an option; list the strings to try"]
    if draft.kind in ("axis", "axes", "out", "index") and first_tensor is not None and first_tensor != p.name:
        draft.keys["of"] = first_tensor
    if draft.kind in ("tensor", "tensors", "out", "index") and not required and default is not None:
        draft.todo.append(f"the default {p.default} of a tensor parameter cannot be expressed; check it")
        draft.default = None
    return draft


#: torch's spellings of a dtype default (`dtype=torch.long`) in the format's vocabulary.
_TORCH_DTYPES = {"long": "int64", "int": "int32", "float": "float32", "double": "float64", "half": "float16"}


def dtype_default(value: object) -> str | None:
    """A dtype default as a vocabulary name (`torch.long` -> int64), or None when it has none."""
    if not isinstance(value, str):
        return None
    name = value.rsplit(".", 1)[-1]
    name = _TORCH_DTYPES.get(name, name)
    return name if name in DTYPES else None


def _default(text: str | None) -> object:
    """A default's repr as a YAML value: None, booleans, numbers, a quoted string without its quotes,
    a tuple of ints as a list (`dim=(-2, -1)`); other text is kept."""
    if text is None or text == "None":
        return None
    if text in ("True", "False"):
        return text == "True"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    ints = re.fullmatch(r"[(\[]\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*,?\s*[)\]]", text)
    if ints:
        return [int(v) for v in ints.group(1).split(",")]
    return text


def named_params(source: ApiInfo) -> list[ParamDoc]:
    """The source's named parameters; a `*tensors` of the live signature (torch.meshgrid(*tensors,
    indexing=None)) or a signature of none comes from its first ATen overload (`Tensor[] tensors`)."""
    named = params_of(source)
    star = {p.name for p in source.params if p.kind == "VAR_POSITIONAL"}
    if named and not star:
        return named
    overloads = [o for o in tensor_overloads(source.schemas) if not o.is_out]
    if not overloads:
        return named
    have = {p.name for p in named}
    from_aten = [
        ParamDoc(
            a.name, "KEYWORD_ONLY" if a.keyword_only else "POSITIONAL_OR_KEYWORD", a.default, "", a.type, ""
        )
        for a in overloads[0].args
        if a.name not in have and (not named or a.name in star)
    ]
    return [*from_aten, *named]


def draft_params(source: ApiInfo) -> list[DraftParam]:
    """Every source parameter a kind can express: ATen's types first, then names and docstrings."""
    named = named_params(source)
    types = argument_types(tensor_overloads(source.schemas), [p.name for p in named])
    first = next(
        (p.name for p in named if kind_of(p.name, types[p.name]) == "tensor" or _looks_like_tensor(p)),
        named[0].name if named else None,
    )
    drafts = []
    for p in named:
        aten = kind_of(p.name, types[p.name])
        if aten is None and types[p.name] and p.default is not None:
            continue  # layout=, device=, pin_memory=: no kind expresses them (left_out lists them)
        draft = guess_param(p, first)
        # ATen's `Tensor` says less than a docstring's `LongTensor` (an index): keep the finer guess.
        if aten is not None and aten != draft.kind and not (aten == "tensor" and draft.kind == "index"):
            draft = _with_kind(draft, aten, first, " | ".join(types[p.name]))
        drafts.append(draft)
    kinds = {d.name: d.kind for d in drafts}
    for d in drafts:
        if "of" in d.keys and kinds.get(str(d.keys["of"])) not in ("tensor", "tensors"):
            del d.keys["of"]  # torch.linspace's out= has no tensor to follow (start is a number)
    if source.api.startswith("torch.Tensor.") and "input" not in kinds:
        # A Tensor method's docstring leaves out `self`: the receiver is a tensor parameter of its own.
        drafts.insert(0, DraftParam("input", "tensor", True, todo=["the tensor the method is called on"]))
    axis = next((d.name for d in drafts if d.kind == "axis"), None)
    for d in drafts:
        if d.kind == "index":
            if axis is not None:
                d.keys["along"] = axis  # gather(input, dim, index): the index runs along dim
            else:
                d.kind, d.keys = "tensor", {}
                d.todo = ["an index tensor without an axis parameter: drafted as a tensor; check it"]
    return drafts


def left_out(source: ApiInfo) -> list[str]:
    """Optional source parameters no kind expresses (`layout (Layout?)`), for the draft's comments."""
    named = named_params(source)
    types = argument_types(tensor_overloads(source.schemas), [p.name for p in named])
    return [
        f"{p.name} ({' | '.join(types[p.name])})"
        for p in named
        if kind_of(p.name, types[p.name]) is None and types[p.name] and p.default is not None
    ]


def _with_kind(draft: DraftParam, kind: str, first: str | None, types: str) -> DraftParam:
    """`draft` with the kind torch's schema gives, and the keys that kind needs to load."""
    if kind in ("int", "scalar") and draft.kind == "option":
        return draft  # a string default (ord='fro') beside a Scalar overload: the option loads and runs
    draft.kind = kind
    draft.keys = {}
    draft.todo = [t for t in draft.todo if "kind unknown" not in t and "values worth" not in t]
    if kind in ("axis", "axes", "out") and first is not None and first != draft.name:
        draft.keys["of"] = first
    if kind == "tensor_or_scalar":
        draft.keys["values"] = [0, 1.5]
        draft.keys["shape"] = "broadcast"
        draft.todo.append(f"ATen says {types}: pick the numbers worth trying")
    elif kind == "int":
        draft.keys["values"] = [draft.default if isinstance(draft.default, int) else 1]
        draft.todo.append(f"ATen says {types}: pick the values worth trying")
    elif kind == "scalar":
        draft.keys["values"] = [draft.default if isinstance(draft.default, (int, float)) else 0.5]
        draft.todo.append(f"ATen says {types}: pick the values worth trying")
    elif kind == "dtype":
        draft.keys["values"] = ["float32", "int64"]
        draft.todo.append("list the dtypes worth trying")
    elif kind == "size":
        draft.keys["values"] = [[2, 3], [4], []]
        draft.todo.append("pick the sizes worth trying (varargs: true if it takes separate ints)")
    if kind in ("tensor", "tensors", "out", "index", "size") and draft.default is not None:
        draft.default = None
    if kind == "dtype":
        draft.default = dtype_default(draft.default)
    if kind == "bool" and not isinstance(draft.default, bool):
        draft.default = None
    return draft


def _looks_like_tensor(p: ParamDoc) -> bool:
    text = f"{p.doc_type} {p.annotation}".lower()
    return "tensor" in text or p.name in ("input", "x", "tensors")


def match_target(source: ApiInfo, target: ApiInfo) -> DraftTarget:
    """Map each source parameter to a target parameter: by name, synonym, similarity, docs, position."""
    src = params_of(source)
    tgt = params_of(target)
    scores: list[tuple[float, int, int, str]] = []
    for i, s in enumerate(src):
        for j, t in enumerate(tgt):
            score, how = _score(s, t, i == j)
            if score >= 0.5:
                scores.append((score, -i, -j, how))
    names: dict[str, str | None] = {s.name: None for s in src}
    notes: dict[str, str] = {}
    taken: set[int] = set()
    for score, neg_i, neg_j, how in sorted(scores, reverse=True):
        i, j = -neg_i, -neg_j
        if names[src[i].name] is None and j not in taken and src[i].name not in notes:
            names[src[i].name] = tgt[j].name
            notes[src[i].name] = f"{how} ({score:.2f})"
            taken.add(j)
    for s in src:
        if names[s.name] is None:
            notes[s.name] = f"{TODO}: no counterpart found in {target.api}; null means it has none"
    extra = [t.name for j, t in enumerate(tgt) if j not in taken]
    positional = [
        s.name
        for s in src
        if names[s.name] is not None and _positional(tgt, names[s.name]) and s.default is None
    ]
    return DraftTarget(target, names, positional, notes, extra)


def _positional(params: Sequence[ParamDoc], name: str | None) -> bool:
    kinds = {p.name: p.kind for p in params}
    return kinds.get(name or "") in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")


def _score(s: ParamDoc, t: ParamDoc, same_position: bool) -> tuple[float, str]:
    """How likely two parameters are the same, and which evidence says so."""
    if s.name == t.name:
        return 1.0, "same name"
    if t.name in SYNONYMS.get(s.name, ()) or s.name in SYNONYMS.get(t.name, ()):
        base, how = 0.85, "known synonym"
    else:
        base, how = difflib.SequenceMatcher(None, s.name, t.name).ratio() * 0.8, "similar name"
    doc = _doc_similarity(s, t)
    if doc > 0.5 and doc * 0.6 > base:
        base, how = doc * 0.6, "similar docstring"
    if same_position:
        base += 0.1
        how += ", same position"
    return min(base, 0.99), how


def _doc_similarity(s: ParamDoc, t: ParamDoc) -> float:
    """Word overlap (Jaccard) of the two parameters' docstring types and descriptions."""
    words_s = set(re.findall(r"[a-z]{3,}", f"{s.doc_type} {s.doc}".lower()))
    words_t = set(re.findall(r"[a-z]{3,}", f"{t.doc_type} {t.doc}".lower()))
    if not words_s or not words_t:
        return 0.0
    return len(words_s & words_t) / len(words_s | words_t)


def spec_id(api: str) -> str:
    """A spec id from the source api: `torch.nn.functional.softmax` -> `softmax`."""
    return api.replace(":", ".").rsplit(".", 1)[-1]


def source_positional(source: ApiInfo) -> list[str]:
    """Required parameters the source takes by position, in order."""
    return [
        p.name
        for p in named_params(source)
        if p.kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD") and p.default is None
    ]


def render_spec(
    source: ApiInfo,
    targets: Sequence[ApiInfo],
    reference_exists: bool,
    ident: str | None = None,
    aliases: dict[str, str] | None = None,
    source_method: ApiInfo | None = None,
) -> str:
    """The drafted spec as YAML text, with the guesses an author must check marked TODO(init).

    `aliases` maps a target api to the candidate it is the same object as; `source_method`
    is torch's method form, drafted when a target is a `mindspore.Tensor` method.
    """
    ident = ident or spec_id(source.api)
    params = draft_params(source)
    lines = [
        "# yaml-language-server: $schema=../apicompat/spec/schema.json",
        f"# Drafted by `apicompat init` from the live signatures and docstrings of {source.api} and",
        f"# {', '.join(t.api for t in targets) or 'no target'}. Check every line marked {TODO}, then run",
        "# `apicompat report` on it: the parameter table shows whether the mapping is right.",
        "apicompat: 1",
        f"id: {ident}",
        f"title: {ident}",
        f"summary: {_yaml_text(source.summary or f'{TODO}: what the API computes')}",
        "",
        f"# {source.signature}",
    ]
    own = source.api.rsplit(".", 1)[-1]
    if source.name and source.name not in (own, f"_{own}") and not source.name.startswith("_"):
        lines.append(f"# {TODO}: {source.api} is an alias: its function is named {source.name}")
    overloads = describe_overloads(tensor_overloads(source.schemas))
    if overloads:
        lines.append(f"# ATen overloads ({len(overloads)}), the kinds below follow their types:")
        lines += [f"#   {text}" for text in overloads]
    skipped = left_out(source)
    if skipped:
        lines.append(f"# left out (no kind expresses them): {', '.join(skipped)}")
    lines.append("params:")
    for p in params:
        lines += _param_lines(p)
    lines += ["", *_reference_lines(ident, params, reference_exists)]
    lines += ["", "source:", "  framework: " + source.framework, f"  api: {source.api}"]
    if source.api.startswith("torch.Tensor."):
        lines.append("  method: true")
    positional = [name for name in source_positional(source) if any(p.name == name for p in params)]
    if positional:
        lines.append(f"  positional: [{', '.join(positional)}]")
    drafted = [match_target(source, info) for info in targets]
    if source_method is not None and any(t.info.api.startswith("mindspore.Tensor.") for t in drafted):
        lines += ["", "source_method:", "  framework: torch", f"  api: {source_method.api}"]
        if positional:
            lines.append(f"  positional: [{', '.join(positional)}]")
        # out= (and any parameter) the method form does not take: torch.Tensor.add has no out.
        method_names = {p.name for p in source_method.params}
        absent = [p.name for p in params if p.kind == "out" and method_names and p.name not in method_names]
        if absent:
            lines.append("  params: {" + ", ".join(f"{name}: null" for name in absent) + "}")
    lines += ["", "targets:"]
    if not drafted:
        lines.append(f"  # {TODO}: no MindSpore candidate found; name one")
    kept = {p.name for p in params}
    for target in drafted:
        alias = (aliases or {}).get(target.info.api)
        if alias is not None:
            lines.append(f"  # {target.info.api} is the same function as {alias}")
        target.names = {k: v for k, v in target.names.items() if k in kept}
        receiver = next((p.name for p in params if p.kind in ("tensor", "tensors")), None)
        if target.info.api.startswith("mindspore.Tensor.") and receiver is not None:
            target.names[receiver] = receiver  # the tensor the method is called on
            target.notes.pop(receiver, None)
        target.positional = [k for k in target.positional if k in kept]
        lines += _target_lines(source, target)
    return "\n".join(lines) + "\n"


def _reference_lines(ident: str, params: Sequence[DraftParam], reference_exists: bool) -> list[str]:
    """The reference: the package's Python one when it exists, else a declarative guess from NumPy."""
    if reference_exists:
        return [f"reference: apicompat.references:{ident}"]
    tensors = [p.name for p in params if p.kind in ("tensor", "tensors", "tensor_or_scalar")]
    others = [p.name for p in params if p.name not in tensors]
    guess = guess_reference(ident, tensors, others)
    if guess is None:
        return [
            f"# {TODO}: NumPy has no function named {ident}: write a Python reference in",
            "# specs/references/ (see docs/spec-format.md#python-references); numpy.copy runs meanwhile.",
            "reference:",
            "  numpy: numpy.copy",
            "  args: {" + ", ".join(f"{t}: {i}" for i, t in enumerate(tensors[:1])) + "}",
            "  promotion: default",
        ]
    args = ", ".join(f"{k}: {_yaml_value(v)}" for k, v in guess.args.items())
    return [
        f"reference:  # {TODO}: {guess.todo}",
        f"  numpy: {guess.numpy}",
        f"  args: {{{args}}}",
        f"  promotion: {guess.promotion}",
    ]


def _param_lines(p: DraftParam) -> list[str]:
    lines = [
        f"  - name: {p.name}",
        f"    kind: {p.kind}" + (f"  # {TODO}: " + "; ".join(p.todo) if p.todo else ""),
    ]
    if not p.required:
        lines += ["    required: false", f"    default: {_yaml_value(p.default)}"]
    if p.keyword_only:
        lines.append("    keyword_only: true")
    for key, value in p.keys.items():
        lines.append(f"    {key}: {_yaml_value(value)}")
    return lines


def _target_lines(source: ApiInfo, target: DraftTarget) -> list[str]:
    lines = [
        f"  # {target.info.signature}",
        f"  - framework: {target.info.framework}",
        f"    api: {target.info.api}",
    ]
    if target.info.api.startswith("mindspore.Tensor."):
        lines.append("    method: true")
    renamed = {k: v for k, v in target.names.items() if v != k}
    if renamed:
        lines.append("    params:")
        for canonical, name in renamed.items():
            lines.append(f"      {canonical}: {_yaml_value(name)}  # {target.notes.get(canonical, '')}")
    if target.positional:
        lines.append(f"    positional: [{', '.join(target.positional)}]")
    if target.extra:
        lines.append(f"    # only in {target.info.api}: {', '.join(target.extra)} (reports list them)")
    return lines


def _yaml_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    return _yaml_text(str(value))


def _yaml_text(text: str) -> str:
    """A YAML scalar for free text: plain when safe, else single-quoted."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", text) and text.lower() not in (
        "null",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
    ):
        return text
    return "'" + text.replace("'", "''") + "'"
