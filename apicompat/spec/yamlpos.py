"""Safe YAML loading that remembers the line of every key and value.

Specs are data: only PyYAML's SafeLoader constructors run (no Python tags), and
the node tree it composes gives each key's line, so errors can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from apicompat.records import SpecError

#: A key path into loaded YAML: mapping keys and list indexes, e.g. ("params", 2, "kind").
KeyPath = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"

# Limits for hostile input, far above any real spec or case file: a file is read whole,
# PyYAML composes nested collections recursively, aliases multiply what is walked
# (a "billion laughs" file expands 10 aliases of 10 aliases ... into 10**9 values),
# and Python refuses to parse integers of more than 4300 digits.
MAX_FILE_BYTES = 8 << 20
MAX_DEPTH = 64
MAX_VALUES = 100_000
MAX_REPEATED = 10_000  # values reached again through aliases
MAX_INT_CHARS = 1000


class SpecYamlLoader(yaml.SafeLoader):
    """SafeLoader that also reads `1e-5` as a float (YAML 1.2), as users expect, and limits nesting."""

    _depth = 0

    # Nesting is bounded while scanning, before the composer recurses: PyYAML's scanner
    # rechecks every open flow level at each token, so "[[[[..." costs depth squared.
    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        """Scan `[` or `{`; refuse nesting deeper than MAX_DEPTH."""
        if self.flow_level >= MAX_DEPTH:
            self._too_deep()
        super().fetch_flow_collection_start(TokenClass)

    def add_indent(self, column: int) -> bool:
        """Open an indented block; refuse nesting deeper than MAX_DEPTH."""
        if len(self.indents) >= MAX_DEPTH:
            self._too_deep()
        return super().add_indent(column)

    def _too_deep(self) -> None:
        problem = f"values nested more than {MAX_DEPTH} levels deep"
        raise yaml.scanner.ScannerError(None, None, problem, self.get_mark())

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose one node; refuse nesting deeper than MAX_DEPTH (the composer recurses)."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                problem = f"values nested more than {MAX_DEPTH} levels deep"
                raise yaml.composer.ComposerError(None, None, problem, event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# PyYAML follows YAML 1.1, where a float needs a dot: `1e-5` would be the string "1e-5".
SpecYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def format_path(path: KeyPath) -> str:
    """A key path as users write it: `params[2].kind`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class Positions:
    """1-based lines of every key and value in one YAML document."""

    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    value_lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int | None:
        """The line of the value at `path`, or of its nearest recorded ancestor."""
        for cut in range(len(path), -1, -1):
            found = self.value_lines.get(path[:cut])
            if found is not None:
                return found
        return None

    def key_line(self, path: KeyPath) -> int | None:
        """The line of the key that introduces `path` (its value's line for list items)."""
        return self.key_lines.get(path) or self.line(path)


def read_text(path: Path, display: str) -> str:
    """The file's text as UTF-8; a SpecError says why it cannot be read."""
    try:
        size = path.stat().st_size if path.is_file() else 0
        if size > MAX_FILE_BYTES:
            raise SpecError(
                display, f"the file is {size} bytes, more than a spec or case file may be ({MAX_FILE_BYTES})"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError(display, "no such file") from None
    except IsADirectoryError:
        raise SpecError(display, "is a directory, not a YAML file") from None
    except OSError as exc:
        raise SpecError(display, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            display,
            f"the file is not valid UTF-8: byte 0x{raw[exc.start]:02x} at column {column}",
            line=line,
            hint="save the file as UTF-8",
        ) from None


def load_yaml(path: Path, display: str) -> tuple[Any, Positions]:
    """Parse one YAML document safely; returns (data, positions), data None when empty."""
    text = read_text(path, display)
    try:
        # The reader checks for unprintable characters as soon as it is built.
        loader = SpecYamlLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise SpecError(
            display, f"invalid YAML: {exc.reason} (character {exc.character!r})", line=line
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions()
        positions = Positions()
        _walk(node, (), positions, display, set(), [0, 0], set())
        positions.key_lines.setdefault((), node.start_mark.line + 1)
        return loader.construct_document(node), positions
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, display) from None
    except yaml.YAMLError as exc:
        raise SpecError(display, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.MarkedYAMLError, display: str) -> SpecError:
    """A YAML error as a SpecError at the line (and column) PyYAML marked."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "syntax error"
    hint: str | None = "check indentation, colons and quotes on this line or the one before"
    if "nested more than" in problem:
        hint = "a spec or case file is a few levels deep; is this file generated by mistake?"
    elif isinstance(exc, yaml.constructor.ConstructorError):
        hint = "specs are plain data: tags such as !!python/... are not allowed"
    elif problem == "but found another document":
        problem, hint = "found a second YAML document ('---'); a file holds one", "remove the '---' line"
    elif exc.context:
        where = exc.context_mark
        starts = (
            f" that starts on line {where.line + 1}" if where and mark and where.line != mark.line else ""
        )
        problem += f" ({exc.context}{starts})"
    if mark is None:
        return SpecError(display, f"invalid YAML: {problem}", hint=hint)
    return SpecError(
        display, f"invalid YAML at column {mark.column + 1}: {problem}", line=mark.line + 1, hint=hint
    )


def _walk(
    node: yaml.Node,
    path: KeyPath,
    positions: Positions,
    display: str,
    active: set[int],
    count: list[int],
    seen: set[int],
) -> None:
    """Record lines under `node`; reject duplicate keys, non-text keys, recursive aliases and bombs.

    `count` holds the number of values walked so far, aliases expanded, and how many of
    them were reached again through an alias (`seen` holds the nodes walked): the data
    built from the file has that many, so a small file that expands to millions is
    refused here, before anything else walks it.
    """
    positions.value_lines[path] = node.start_mark.line + 1
    line = node.start_mark.line + 1
    if id(node) in active:
        raise SpecError(display, "an alias refers to itself", line=line, key=format_path(path))
    count[0] += 1
    if id(node) in seen:
        count[1] += 1
    seen.add(id(node))
    if count[1] > MAX_REPEATED:
        too_big = f"aliases expand to more than {MAX_REPEATED} values (aliases that repeat aliases?)"
    elif count[0] > MAX_VALUES:
        too_big = f"the document holds more than {MAX_VALUES} values"
    elif len(path) > MAX_DEPTH:
        too_big = f"values nested more than {MAX_DEPTH} levels deep"
    else:
        too_big = ""
    if too_big:
        raise SpecError(display, too_big, line=line, key=format_path(path) or None)
    if isinstance(node, yaml.ScalarNode) and node.tag == _INT_TAG and len(node.value) > MAX_INT_CHARS:
        raise SpecError(
            display,
            f"an integer of {len(node.value)} characters is too large",
            line=line,
            key=format_path(path),
        )
    if isinstance(node, yaml.SequenceNode):
        active.add(id(node))
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), positions, display, active, count, seen)
        active.discard(id(node))
    elif isinstance(node, yaml.MappingNode):
        active.add(id(node))
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue  # `<<: *base` merges; the merged keys point at the anchor's lines
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                raise SpecError(
                    display,
                    f"keys must be text, but YAML reads {shown!r} as {_tag_name(key_node.tag)}",
                    line=line,
                    key=format_path((*path, str(shown))),
                    hint=f"quote it: '{shown}'" if isinstance(key_node, yaml.ScalarNode) else None,
                )
            key = str(key_node.value)
            child = (*path, key)
            if key in first_seen:
                raise SpecError(
                    display,
                    f"duplicate key '{key}' (first given on line {first_seen[key]})",
                    line=line,
                    key=format_path(child),
                )
            first_seen[key] = line
            positions.key_lines[child] = line
            _walk(value_node, child, positions, display, active, count, seen)
        active.discard(id(node))


def _tag_name(tag: str) -> str:
    name = tag.rsplit(":", 1)[-1]
    return {"bool": "a boolean", "int": "an integer", "float": "a number", "null": "null"}.get(name, name)


def load_document(
    path: Path, display: str, what: str, version: int, keys: str
) -> tuple[dict[str, Any], Positions]:
    """Load a versioned YAML mapping (a spec or a case file); `keys` lists its main keys for messages."""
    data, positions = load_yaml(path, display)
    if data is None:
        raise SpecError(
            display, f"the file is empty; a {what} is a mapping that starts with 'apicompat: {version}'"
        )
    if not isinstance(data, dict):
        got = "a list" if isinstance(data, list) else f"{data!r}"
        raise SpecError(
            display,
            f"a {what} must be a mapping of keys ({keys}) at the top level, but this file holds {got}",
            line=positions.line(()),
        )
    if "apicompat" in data:
        found = data["apicompat"]
        if not (type(found) is int and found == version):
            raise SpecError(
                display,
                f"unsupported format version {found!r}; this apicompat reads version {version}",
                line=positions.key_line(("apicompat",)),
                key="apicompat",
                hint=f"write 'apicompat: {version}'",
            )
    return data, positions
