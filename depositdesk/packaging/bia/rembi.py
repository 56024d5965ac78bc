"""REMBI (and MIFA) metadata in bia-agent's layout: read, checked, and coerced as bia-agent does.

bia-agent reads a YAML or JSON file into its pydantic (v1) models (bia-rembi-models 1.5,
bia-mifa-models). What those models accept is reproduced here as data: every text value is a
string (a number becomes its decimal text: `year: 2020` -> "2020"), dates are YYYY-MM-DD, the
MIFA blocks (annotations, version) forbid unknown keys, the REMBI ones ignore them. On top of
that, the "# Required" markers of bia-agent's rembi-mifa template are checked (an empty string
passes bia-agent but not a curator). Every problem is a finding with the YAML line where known.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from depositdesk.findings import Finding, Location, finding
from depositdesk.packaging.bia import codes
from depositdesk.packaging.bia.schema import MODELS, SECTIONS, Field


class _LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key."""

    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's core schema for plain scalars, as bia-agent's ruamel reads:
    only true/false are booleans (`role: yes` stays "yes"), no sexagesimal numbers (`1:30` stays text)."""


_CORE = {
    "tag:yaml.org,2002:bool": re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    "tag:yaml.org,2002:int": re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _CORE]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _tag, _rx in _CORE.items():
    _Loader.add_implicit_resolver(_tag, _rx, list("-+0123456789.tTfF"))


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    return int(text[2:], 8) if text.startswith("0o") else int(text, 0) if text.startswith("0x") else int(text)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key is not a plain value", key_node.start_mark) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Rembi:
    """REMBI metadata as bia-agent's container holds it, values coerced; `findings` of reading it."""

    study: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    ok: bool = True
    """False when bia-agent's models would reject the file (no PageTab can be made)."""

    def section(self, name: str) -> dict[str, dict[str, Any]]:
        return self.sections.get(name, {})

    @property
    def has_mifa(self) -> bool:
        return bool(self.section("annotations") or self.section("version"))


def read_rembi(path: Path) -> Rembi:
    """Read and check a REMBI file (.yaml/.yml or .json). Never raises for bad content."""
    where = Location(file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _unreadable(where, f"cannot read {path.name}: {getattr(exc, 'strerror', None) or exc}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            return _unreadable(Location(file=str(path), line=exc.lineno, column=exc.colno),
                               f"invalid JSON: {exc.msg}")
        except RecursionError:
            return _unreadable(where, "invalid JSON: nested too deeply")
    elif suffix in (".yaml", ".yml"):
        try:
            raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            return _unreadable(Location(file=str(path), line=line), f"invalid YAML: {problem}")
        except RecursionError:
            return _unreadable(where, "invalid YAML: nested too deeply")
    else:
        return _unreadable(where, f"{path.name} is not a .yaml or .json file")
    return check_rembi(raw, str(path))


def _unreadable(where: Location, message: str) -> Rembi:
    return Rembi(findings=[finding(codes.REMBI_UNREADABLE, message, where)], ok=False)


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        self.ok = True

    def add(self, code: str, path: str, message: str, line: int | None, suggestion: str | None = None) -> None:
        if code == codes.REMBI_INVALID:
            self.ok = False
        self.findings.append(finding(code, f"{path}: {message}", Location(file=self.file, line=line),
                                     suggestion))

    def model(self, name: str, raw: Any, path: str, line: int | None) -> dict[str, Any] | None:
        spec = MODELS[name]
        if not isinstance(raw, dict):
            found = "nothing" if raw is None else f"a {_kind(raw)}"
            self.add(codes.REMBI_INVALID, path, f"expected a mapping ({name}), found {found}", line,
                     _indent_hint(path))
            return None
        lines = getattr(raw, "lines", {})
        out: dict[str, Any] = {}
        for fld in spec.fields:
            here = lines.get(fld.key, line)
            out[fld.key] = self.value(fld, raw.get(fld.key), fld.key in raw, f"{path}.{fld.key}", here)
        known = {f.key for f in spec.fields}
        for key in raw:
            if key in known:
                continue
            if spec.forbid_extra:
                self.add(codes.REMBI_INVALID, f"{path}.{key}", f"'{key}' is not a {name} key "
                         "(MIFA forbids unknown keys)", lines.get(key, line))
            elif _indent_hint(f"{path}.{key}"):
                self.add(codes.REMBI_MISPLACED, f"{path}.{key}", f"'{key}' is a REMBI section, found inside "
                         f"a {name}; its blocks are read as part of '{path.split('.')[0]}'",
                         lines.get(key, line), _indent_hint(f"{path}.{key}"))
            else:
                self.add(codes.REMBI_IGNORED, f"{path}.{key}", f"'{key}' is not a {name} key; it is ignored",
                         lines.get(key, line))
        return out

    def value(self, fld: Field, raw: Any, present: bool, path: str, line: int | None) -> Any:
        if raw is None:
            if fld.default is not None:
                value = fld.default()
                self._template(fld, value, path, line)
                return value
            if fld.required:
                said = "is missing" if not present else "is empty"
                self.add(codes.REMBI_INVALID, path, f"a value is required and {said}", line)
            elif fld.template == "required":
                self.add(codes.REMBI_BLANK if fld.blank_ok else codes.REMBI_EMPTY, path,
                         "the template marks it Required", line)
            return None
        value = self._coerce(fld, raw, path, line)
        if value is not None:
            self._template(fld, value, path, line)
        return value

    def _coerce(self, fld: Field, raw: Any, path: str, line: int | None) -> Any:
        kind = fld.kind
        if kind == "text":
            return self.text(raw, path, line)
        if kind == "texts":
            if not isinstance(raw, list):
                self.add(codes.REMBI_INVALID, path, f"expected a list, found a {_kind(raw)}", line)
                return None
            values = [self.text(v, f"{path}[{i}]", line) for i, v in enumerate(raw, 1)]
            return [v for v in values if v is not None]
        if kind == "date":
            return self.date(raw, path, line)
        if kind == "datetime":
            return self.datetime(raw, path, line)
        if kind == "literal":
            if raw != fld.choices[0]:
                self.add(codes.REMBI_INVALID, path, f"must be '{fld.choices[0]}' (found {raw!r})", line)
                return None
            return raw
        if kind == "enums":
            return self.enums(raw, fld.choices, path, line)
        if kind == "affiliation":
            name = "OrganisationURL" if isinstance(raw, dict) and "url" in raw and "name" in raw else "Organisation"
            value = self.model(name, raw, path, line)
            return None if value is None else {"kind": name, **value}
        if kind == "license":
            return self.license(raw, path, line)
        if kind == "any-list":
            return raw if isinstance(raw, list) else self._wrong(path, "a list", raw, line)
        if kind.startswith("list:"):
            if not isinstance(raw, list):
                return self._wrong(path, "a list", raw, line)
            items = [self.model(kind[5:], item, f"{path}[{i}]", line) for i, item in enumerate(raw, 1)]
            return [item for item in items if item is not None]
        return self.model(kind, raw, path, line)

    def _wrong(self, path: str, expected: str, raw: Any, line: int | None) -> None:
        self.add(codes.REMBI_INVALID, path, f"expected {expected}, found a {_kind(raw)}", line)
        return None

    def text(self, raw: Any, path: str, line: int | None) -> str | None:
        if isinstance(raw, str):
            return raw
        if isinstance(raw, (int, float)):  # pydantic v1: str(2020) == "2020" (also for True)
            return str(raw)
        self._wrong(path, "a text", raw, line)
        return None

    def date(self, raw: Any, path: str, line: int | None) -> date | None:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str):
            try:
                return datetime.strptime(raw.strip(), "%Y-%m-%d").date()
            except ValueError:
                pass
        self.add(codes.REMBI_INVALID, path, f"expected a date YYYY-MM-DD, found {raw!r}", line)
        return None

    def datetime(self, raw: Any, path: str, line: int | None) -> datetime | None:
        if isinstance(raw, datetime):
            return raw
        if isinstance(raw, str):
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                pass
        self.add(codes.REMBI_INVALID, path, f"expected a date and time (2015-03-22 01:49:21), found {raw!r}", line)
        return None

    def enums(self, raw: Any, choices: tuple[str, ...], path: str, line: int | None) -> list[str] | None:
        items = raw if isinstance(raw, list) else [raw]
        bad = [v for v in items if v not in choices]
        if bad:
            self.add(codes.REMBI_INVALID, path, f"{', '.join(map(repr, bad))} not one of: {', '.join(choices)}",
                     line)
            return None
        return [str(v) for v in items]

    def license(self, raw: Any, path: str, line: int | None) -> str | None:
        if isinstance(raw, dict):
            raw = raw.get("name", raw.get("license_name"))
        if not isinstance(raw, str) or not raw.strip():
            self._wrong(path, "a licence name (CC0 or CC BY 4.0)", raw, line)
            return None
        return raw

    def _template(self, fld: Field, value: Any, path: str, line: int | None) -> None:
        if fld.template != "required":
            return
        empty = value == [] if isinstance(value, list) else (isinstance(value, str) and not value.strip())
        if empty:
            code = codes.REMBI_BLANK if fld.blank_ok else codes.REMBI_EMPTY
            self.add(code, path, "the template marks it Required" + (" (leave blank if not known)"
                                                                     if fld.blank_ok else ""), line)


def _kind(raw: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number"}.get(type(raw), type(raw).__name__)


def _indent_hint(path: str) -> str:
    """A suggestion when a top-level REMBI section name turns up one level too deep."""
    parts = path.split(".")
    if len(parts) >= 2 and parts[-1] in SECTIONS and parts[0] in SECTIONS:
        return (f"'{parts[-1]}:' looks indented under '{parts[0]}'; move it to the start of the line "
                "(a top-level REMBI section).")
    return ""


def check_rembi(raw: Any, file: str = "") -> Rembi:
    """Check REMBI data already parsed from YAML/JSON (a mapping of study and sections)."""
    checker = _Checker(file)
    if not isinstance(raw, dict):
        checker.add(codes.REMBI_INVALID, "(file)", "expected a mapping with 'study' and the REMBI sections",
                    None)
        return Rembi(findings=checker.findings, ok=False)
    lines = getattr(raw, "lines", {})
    study = None
    if "study" not in raw:
        checker.add(codes.REMBI_INVALID, "study", "the study block is missing", None)
    else:
        study = checker.model("Study", raw["study"], "study", lines.get("study"))
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for name, model in SECTIONS.items():
        sections[name] = _section(checker, name, model, raw.get(name), lines.get(name))
    for key in raw:
        if key != "study" and key not in SECTIONS:
            checker.add(codes.REMBI_IGNORED, str(key), f"'{key}' is not a REMBI section; it is ignored",
                        lines.get(key))
    rembi = Rembi(study=study or {}, sections=sections, findings=checker.findings,
                  ok=checker.ok and study is not None)
    _check_associations(rembi, checker, lines)
    rembi.findings = sorted(checker.findings, key=lambda f: f.location.line or 0)
    rembi.ok = rembi.ok and checker.ok
    return rembi


def _section(checker: _Checker, name: str, model: str, raw: Any, line: int | None) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        checker.add(codes.REMBI_INVALID, name, f"expected a mapping of named {model} blocks, found a {_kind(raw)}",
                    line)
        return {}
    lines = getattr(raw, "lines", {})
    out: dict[str, dict[str, Any]] = {}
    for key, value in raw.items():
        if key is None or isinstance(key, (list, dict)):
            checker.add(codes.REMBI_INVALID, name, "a block has no name", lines.get(key, line))
            continue
        item = checker.model(model, value, f"{name}.{key}", lines.get(key, line))
        if item is not None:
            out[str(key)] = item
    return out


REFS: tuple[tuple[str, str, bool], ...] = (
    ("biosample_id", "biosamples", True), ("specimen_id", "specimens", True),
    ("acquisition_id", "acquisitions", True), ("correlation_id", "correlations", False),
    ("analysis_id", "analysis", False),
)


def _check_associations(rembi: Rembi, checker: _Checker, lines: dict[Any, int]) -> None:
    components = list(rembi.section("study_component"))
    associations = rembi.section("associations")
    line = lines.get("associations", lines.get("study_component"))
    for name, assoc in associations.items():
        for key, section, _required in REFS:
            ref = assoc.get(key)
            if ref and ref not in rembi.section(section):
                known = ", ".join(repr(k) for k in rembi.section(section)) or "none"
                checker.add(codes.REMBI_UNKNOWN_REF, f"associations.{name}.{key}",
                            f"'{ref}' is not one of the {section} (defined: {known})", line)
    for position, component in enumerate(components):
        if position >= len(associations):
            checker.add(codes.REMBI_PAIRING, f"study_component.{component}",
                        f"study component {position + 1} has no association ({len(associations)} given)", line)
            continue
        paired = list(associations)[position]
        if paired != component:
            checker.add(codes.REMBI_PAIR_NAME, f"study_component.{component}",
                        f"is paired with association '{paired}' (position {position + 1})", line)

