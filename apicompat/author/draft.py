"""Draft a spec from introspected APIs: guess kinds and domains, match target parameters, write YAML.

A guess is marked in the YAML with `# TODO(init)` and the reason, so the author knows
what to check; nothing here runs or imports a framework.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from apicompat.author.introspect import ApiInfo, ParamDoc

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
    if draft.kind in ("axis", "axes", "out", "index") and first_tensor is not None and first_tensor != p.name:
        draft.keys["of"] = first_tensor
    if draft.kind in ("tensor", "tensors", "out", "index") and not required and default is not None:
        draft.todo.append(f"the default {p.default} of a tensor parameter cannot be expressed; check it")
        draft.default = None
    return draft


def _default(text: str | None) -> object:
    """A default's repr as a YAML value: None, booleans and numbers; other text is kept."""
    if text is None or text == "None":
        return None
    if text in ("True", "False"):
        return text == "True"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


def draft_params(source: ApiInfo) -> list[DraftParam]:
    """Every source parameter, guessed."""
    named = params_of(source)
    first = next((p.name for p in named if _looks_like_tensor(p)), named[0].name if named else None)
    drafts = [guess_param(p, first) for p in named]
    axis = next((d.name for d in drafts if d.kind == "axis"), None)
    for d in drafts:
        if d.kind == "index" and axis is not None:
            d.keys["along"] = axis  # gather(input, dim, index): the index runs along dim
    return drafts


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
        for p in params_of(source)
        if p.kind in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD") and p.default is None
    ]


def render_spec(
    source: ApiInfo, targets: Sequence[ApiInfo], reference_exists: bool, ident: str | None = None
) -> str:
    """The drafted spec as YAML text, with the guesses an author must check marked TODO(init)."""
    ident = ident or spec_id(source.api)
    params = draft_params(source)
    lines = [
        "# yaml-language-server: $schema=../apicompat/spec/schema.json",
        f"# Drafted by `apicompat init` from the live signatures and docstrings of {source.api} and",
        f"# {', '.join(t.api for t in targets)}. Check every line marked {TODO}, then run",
        "# `apicompat report` on it: the parameter table shows whether the mapping is right.",
        "apicompat: 1",
        f"id: {ident}",
        f"title: {ident}",
        f"summary: {_yaml_text(source.summary or f'{TODO}: what the API computes')}",
        "",
        f"# {source.signature}",
        "params:",
    ]
    for p in params:
        lines += _param_lines(p)
    reference = f"apicompat.references:{ident}"
    note = "" if reference_exists else f"  # {TODO}: write this NumPy reference (apicompat/references/)"
    lines += [
        "",
        f"reference: {reference}{note}",
        "",
        "source:",
        "  framework: " + source.framework,
        f"  api: {source.api}",
    ]
    positional = source_positional(source)
    if positional:
        lines.append(f"  positional: [{', '.join(positional)}]")
    lines += ["", "targets:"]
    for info in targets:
        lines += _target_lines(source, match_target(source, info))
    return "\n".join(lines) + "\n"


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
