"""Validate JUnit XML against the Jenkins junit-10.xsd kept next to this file.

No XSD library is installed, so this reads the schema's few constructs (element
declarations and refs, sequences and choices, attributes with `use="required"`,
mixed content, and the SUREFIRE_TIME pattern) and checks a document with them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

XSD = Path(__file__).with_name("junit-10.xsd")
_XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass
class _Decl:
    children: set[str] = field(default_factory=set)
    attributes: dict[str, str] = field(default_factory=dict)  # name -> type
    required: set[str] = field(default_factory=set)
    text: bool = False


def _complex(node: ET.Element, decl: _Decl) -> None:
    decl.text = node.get("mixed") == "true"
    for child in node.iter():
        if child.tag == f"{_XS}element":
            decl.children.add(child.get("ref") or child.get("name") or "")
        elif child.tag == f"{_XS}attribute":
            name = child.get("name") or ""
            decl.attributes[name] = child.get("type") or "xs:string"
            if child.get("use") == "required":
                decl.required.add(name)


def _schema() -> tuple[dict[str, _Decl], dict[str, re.Pattern[str]]]:
    root = ET.parse(XSD).getroot()
    patterns = {
        simple.get("name") or "": re.compile(f"^(?:{pattern.get('value')})$")
        for simple in root.findall(f"{_XS}simpleType")
        for pattern in simple.iter(f"{_XS}pattern")
    }
    named = {c.get("name"): c for c in root.findall(f"{_XS}complexType")}
    decls: dict[str, _Decl] = {}
    for element in root.findall(f"{_XS}element"):
        decl = _Decl()
        typ = element.get("type")
        if typ == "xs:string":
            decl.text = True
        elif typ in named:
            _complex(named[typ], decl)
        else:
            inner = element.find(f"{_XS}complexType")
            assert inner is not None, element.get("name")
            _complex(inner, decl)
        decls[element.get("name") or ""] = decl
    return decls, patterns


def junit_problems(text: str) -> list[str]:
    """Everything in a JUnit document that junit-10.xsd forbids (empty when valid)."""
    decls, patterns = _schema()
    root = ET.fromstring(text.encode("utf-8"))
    problems: list[str] = []
    if root.tag not in ("testsuites", "testsuite"):
        problems.append(f"root element <{root.tag}> is neither testsuites nor testsuite")

    def check(element: ET.Element, path: str) -> None:
        decl = decls.get(element.tag)
        if decl is None:
            problems.append(f"{path}: undeclared element")
            return
        for name in decl.required - set(element.attrib):
            problems.append(f"{path}: missing required attribute {name!r}")
        for name, value in element.attrib.items():
            typ = decl.attributes.get(name)
            if typ is None:
                problems.append(f"{path}: attribute {name!r} is not allowed")
            elif typ in patterns and not patterns[typ].match(value):
                problems.append(f"{path}: {name}={value!r} does not match {typ}")
        if not decl.text and (element.text or "").strip():
            problems.append(f"{path}: text is not allowed here")
        for child in element:
            if (child.tail or "").strip() and not decl.text:
                problems.append(f"{path}: text is not allowed here")
            if child.tag not in decl.children:
                problems.append(f"{path}: <{child.tag}> is not allowed inside <{element.tag}>")
            else:
                check(child, f"{path}/{child.tag}")

    check(root, root.tag)
    return problems
