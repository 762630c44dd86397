"""What `apicompat init` learns about an API: its signature and what its docstring says per parameter.

The framework is imported only in a worker: `introspection_script` is a script the
worker runs (Session.run_script); it prints one JSON line that `parse_introspection`
reads back. Everything else here is plain text processing, safe in the main process.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from apicompat.records import ApicompatError

#: Marks the JSON line among whatever else the script's imports print.
MARKER = "APICOMPAT-INTROSPECT "

# A Google-style argument line: `dim (int): the dimension` or `keepdim (bool, optional): ...`.
_ARG_LINE = re.compile(r"^\s{0,12}\*{0,2}([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*:\s*(.*)$")
_SECTION = re.compile(
    r"^\s*(Args|Arguments|Parameters|Keyword args|Keyword arguments)\s*:\s*$", re.IGNORECASE
)
_OTHER_SECTION = re.compile(r"^\s*[A-Z][A-Za-z ]+:\s*$")


@dataclass(frozen=True)
class ParamDoc:
    """One parameter as the live signature and the docstring describe it."""

    name: str
    kind: str  # inspect's kind name
    default: str | None  # repr of the default; None when required
    annotation: str  # the annotation's text, or "" when there is none
    doc_type: str  # the type in the docstring's Args line (`int, optional`), or ""
    doc: str  # the description that follows it, or ""


@dataclass(frozen=True)
class ApiInfo:
    """A callable as introspected in its framework's worker."""

    api: str
    framework: str
    signature: str  # e.g. "torch.cumsum(input, dim, *, dtype=None, out=None) -> Tensor"
    origin: str  # "inspect" or "docstring"
    params: tuple[ParamDoc, ...]
    summary: str  # the docstring's first sentence that is not a signature, in plain text
    schemas: tuple[str, ...] = ()  # torch's ATen schemas of the operator, one per overload
    name: str = ""  # the callable's own __name__ (another name than the api's: an alias)


def introspection_script(api: str) -> str:
    """A script that reads `api`'s signature and docstring in its framework and prints them as JSON."""
    return (
        "import inspect, json, sys\n"
        "from apicompat.frameworks.base import resolve_callable\n"
        "from apicompat.frameworks.signatures import read_signature\n"
        f"api = {api!r}\n"
        "fn = resolve_callable(api)\n"
        "try:\n"
        "    sig = read_signature(fn, api)\n"
        "    text, origin, params = sig.text, sig.origin, [[p.name, p.kind, p.default] for p in sig.params]\n"
        "except ValueError:  # no readable signature: the ATen schemas below still give the parameters\n"
        "    text, origin, params = api + '(...)', 'aten', []\n"
        "annotations = {}\n"
        "try:\n"
        "    for p in inspect.signature(fn).parameters.values():\n"
        "        if p.annotation is not inspect.Parameter.empty:\n"
        "            a = p.annotation\n"
        "            annotations[p.name] = a if isinstance(a, str) else getattr(a, '__name__', str(a))\n"
        "except (TypeError, ValueError):\n"
        "    pass\n"
        "schemas = []\n"
        "torch_module = sys.modules.get('torch') if api.startswith('torch.') else None\n"
        "if torch_module is not None:\n"
        "    op = 'aten::' + api.rsplit('.', 1)[-1]\n"
        "    schemas = [str(s) for s in torch_module._C._jit_get_schemas_for_operator(op)]\n"
        "data = {'text': text, 'origin': origin, 'params': params,\n"
        "        'annotations': annotations, 'doc': inspect.getdoc(fn) or '',\n"
        "        'schemas': schemas, 'name': str(getattr(fn, '__name__', ''))}\n"
        f"print({MARKER!r} + json.dumps(data))\n"
    )


def parse_introspection(api: str, framework: str, stdout: str, error: str | None) -> ApiInfo:
    """The ApiInfo from what the script printed; a clear error when the API could not be read."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(MARKER)), None)
    if line is None:
        why = error.splitlines()[0] if error else "it printed nothing"
        raise ApicompatError(f"cannot introspect {api} in {framework}: {why}")
    data = json.loads(line[len(MARKER) :])
    docs = parse_args_section(str(data["doc"]))
    annotations: dict[str, str] = data["annotations"]
    params = tuple(
        ParamDoc(
            name=name,
            kind=kind,
            default=default,
            annotation=str(annotations.get(name, "")),
            doc_type=docs.get(name, ("", ""))[0],
            doc=docs.get(name, ("", ""))[1],
        )
        for name, kind, default in data["params"]
    )
    return ApiInfo(
        api,
        framework,
        str(data["text"]),
        str(data["origin"]),
        params,
        summary_line(str(data["doc"])),
        tuple(str(s) for s in data.get("schemas", [])),
        str(data.get("name", "")),
    )


def parse_args_section(doc: str) -> dict[str, tuple[str, str]]:
    """Parameter name -> (type text, description) from the Args / Keyword args sections."""
    found: dict[str, tuple[str, str]] = {}
    inside = False
    for line in doc.splitlines():
        if _SECTION.match(line):
            inside = True
            continue
        if inside and _OTHER_SECTION.match(line) and not _ARG_LINE.match(line):
            inside = False
            continue
        if inside:
            match = _ARG_LINE.match(line)
            if match and match.group(1) not in found:
                found[match.group(1)] = (match.group(2).strip(), match.group(3).strip())
    return found


def summary_line(doc: str) -> str:
    """The docstring's first prose sentence in plain text (skipping signature lines and directives)."""
    for line in doc.splitlines():
        text = line.strip()
        if not text or text.startswith("..") or re.match(r"^[\w.]+\(.*\)(\s*->.*)?$", text):
            continue
        sentence = plain_text(text).split(". ")[0].rstrip(".")
        return sentence + "."
    return ""


def plain_text(text: str) -> str:
    """Sphinx and reST markup removed: :attr:`dim` -> dim, :class:`~torch.Tensor` -> Tensor, ``x`` -> x."""
    text = re.sub(
        r":[a-z]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`",
        lambda m: (
            m.group(1).rsplit(".", 1)[-1]
            if m.group(0).startswith((":class:`~", ":func:`~", ":meth:`~"))
            else m.group(1)
        ),
        text,
    )
    # A role written backwards, as torch.meshgrid's docstring has it: `attr`:tensors -> tensors.
    text = re.sub(r"`(?:attr|class|func|meth)`:(\w+)", r"\1", text)
    text = re.sub(r"``([^`]*)``", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*|\*([^*]+)\*", lambda m: m.group(1) or m.group(2), text)
    return re.sub(r"\s+", " ", text).strip()
