"""The IDF (investigation description format) as a document: named lines of values.

An IDF is a list of lines ``Field Name<TAB>value<TAB>value...``. Multi-valued
lines line up by position (the 2nd Person Last Name goes with the 2nd Person
Email), which is what `Idf.records` exposes: one dict per person, protocol,
factor, publication or term source.

Field names are matched case-insensitively and ignoring spaces, so
"PersonLastName", "person last name" and "Person Last Name" are one field;
the MAGE-TAB 1.0 and 1.1 spellings of the term-source lines are aliases.
Comment[...] lines and unknown lines are kept in file order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from depositdesk.findings import Finding
from depositdesk.magetab.textio import atomic_write, format_rows

IDF_SECTIONS: dict[str, list[str]] = {
    "investigation": [
        "MAGE-TAB Version", "Investigation Title", "Experimental Design",
        "Experimental Design Term Source REF", "Experimental Design Term Accession Number",
        "Quality Control Type", "Quality Control Term Source REF", "Quality Control Term Accession Number",
        "Replicate Type", "Replicate Term Source REF", "Replicate Term Accession Number",
        "Normalization Type", "Normalization Term Source REF", "Normalization Term Accession Number",
        "Date of Experiment", "Public Release Date", "Experiment Description",
    ],
    "experimental_factor": [
        "Experimental Factor Name", "Experimental Factor Type",
        "Experimental Factor Term Source REF", "Experimental Factor Term Accession Number",
    ],
    "person": [
        "Person Last Name", "Person First Name", "Person Mid Initials", "Person Email", "Person Phone",
        "Person Fax", "Person Address", "Person Affiliation", "Person Roles",
        "Person Roles Term Source REF", "Person Roles Term Accession Number",
    ],
    "publication": [
        "PubMed ID", "Publication DOI", "Publication Author List", "Publication Title",
        "Publication Status", "Publication Status Term Source REF", "Publication Status Term Accession Number",
    ],
    "protocol": [
        "Protocol Name", "Protocol Type", "Protocol Term Source REF", "Protocol Term Accession Number",
        "Protocol Description", "Protocol Parameters", "Protocol Hardware", "Protocol Software",
        "Protocol Contact",
    ],
    "sdrf": ["SDRF File"],
    "term_source": ["Term Source Name", "Term Source File", "Term Source Version"],
}

ALIASES = {
    "Experimental Factor Type Term Source REF": "Experimental Factor Term Source REF",
    "Experimental Factor Type Term Accession Number": "Experimental Factor Term Accession Number",
    "Protocol Type Term Source REF": "Protocol Term Source REF",
    "Protocol Type Term Accession Number": "Protocol Term Accession Number",
    "Quality Control Type Term Source REF": "Quality Control Term Source REF",
    "Quality Control Type Term Accession Number": "Quality Control Term Accession Number",
    "Replicate Type Term Source REF": "Replicate Term Source REF",
    "Replicate Type Term Accession Number": "Replicate Term Accession Number",
    "Normalization Type Term Source REF": "Normalization Term Source REF",
    "Normalization Type Term Accession Number": "Normalization Term Accession Number",
    "Person Role": "Person Roles",
    "Person Role Term Source REF": "Person Roles Term Source REF",
    "Person Role Term Accession Number": "Person Roles Term Accession Number",
    "Person Middle Initials": "Person Mid Initials",
    "Experimental Designs": "Experimental Design",
    "Normalisation Type": "Normalization Type",
    "Normalisation Term Source REF": "Normalization Term Source REF",
    "PMID": "PubMed ID",
    "SDRF Files": "SDRF File",
}

SECTION_OF: dict[str, str] = {f: s for s, fs in IDF_SECTIONS.items() for f in fs}


def field_key(name: str) -> str:
    """The matching key of a field name: no spaces/underscores, lower case; Comment[x] by its x."""
    text = name.strip()
    match = re.match(r"(?i)^comments?\s*\[\s*(.*?)\s*\]$", text)
    if match:
        return "comment[" + match.group(1).lower() + "]"
    return re.sub(r"[\s_]+", "", text).lower()


_CANONICAL: dict[str, str] = {field_key(f): f for f in SECTION_OF}
_CANONICAL.update({field_key(a): c for a, c in ALIASES.items()})


def canonical_field(name: str) -> tuple[str, bool]:
    """(canonical name, known?). Comment[...] is known and keeps its inner text."""
    key = field_key(name)
    if key.startswith("comment["):
        inner = re.match(r"(?i)^comments?\s*\[\s*(.*?)\s*\]$", name.strip())
        return f"Comment[{inner.group(1) if inner else ''}]", True
    if key in _CANONICAL:
        return _CANONICAL[key], True
    return name.strip(), False


@dataclass
class IdfLine:
    """One line of the IDF: its canonical field name and its values (no trailing empties)."""

    name: str
    values: list[str] = field(default_factory=list)


class Idf:
    """An investigation description: ordered lines, accessed by field name."""

    def __init__(self, lines: Sequence[IdfLine] | None = None, path: Path | None = None) -> None:
        self.path = path
        self.lines: list[IdfLine] = list(lines or [])
        self._listeners: list[Callable[[str], None]] = []

    @classmethod
    def read(cls, path: Path) -> tuple[Idf, list[Finding]]:
        from depositdesk.magetab.idf_reader import read_idf

        return read_idf(Path(path))

    @classmethod
    def blank(cls, title: str = "") -> Idf:
        """A new IDF with every standard line present (empty), MAGE-TAB 1.1."""
        idf = cls([IdfLine(f) for fs in IDF_SECTIONS.values() for f in fs])
        idf.lines[0].values = ["1.1"]
        if title:
            idf.set("Investigation Title", [title])
        return idf

    def write(self, path: Path | None = None) -> None:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this IDF has no path to be written to")
        atomic_write(target, self.to_text())

    def to_text(self) -> str:
        return format_rows([[line.name, *line.values] for line in self.lines])

    def copy(self) -> Idf:
        return Idf([IdfLine(line.name, list(line.values)) for line in self.lines], self.path)

    # --- access ------------------------------------------------------------------------------
    def _find(self, name: str) -> IdfLine | None:
        key = field_key(canonical_field(name)[0])
        for line in self.lines:
            if field_key(line.name) == key:
                return line
        return None

    def get(self, name: str) -> list[str]:
        """Values of a field (first line of that name); [] when absent."""
        line = self._find(name)
        return list(line.values) if line else []

    def first(self, name: str) -> str:
        values = self.get(name)
        return values[0] if values else ""

    def has(self, name: str) -> bool:
        return self._find(name) is not None

    def set(self, name: str, values: Sequence[str]) -> None:
        """Set a field's values (trailing empty values dropped); adds the line in its section."""
        clean = [str(v) for v in values]
        while clean and clean[-1] == "":
            clean.pop()
        canonical = canonical_field(name)[0]
        line = self._find(canonical)
        if line is None:
            line = IdfLine(canonical)
            self.lines.insert(self._insert_position(canonical), line)
        line.values = clean
        for listener in list(self._listeners):
            listener(canonical)

    def remove(self, name: str) -> None:
        line = self._find(name)
        if line is not None:
            self.lines.remove(line)
            for listener in list(self._listeners):
                listener(line.name)

    def _insert_position(self, canonical: str) -> int:
        """After the last earlier line of the same section, else before its first later line, else at the end."""
        section = SECTION_OF.get(canonical)
        if section is None:
            return len(self.lines)
        order = IDF_SECTIONS[section]
        mine = order.index(canonical)
        same = [(i, order.index(line.name)) for i, line in enumerate(self.lines)
                if SECTION_OF.get(line.name) == section]
        before = [i for i, rank in same if rank < mine]
        if before:
            return before[-1] + 1
        after = [i for i, rank in same if rank > mine]
        return after[0] if after else len(self.lines)

    def replace_lines(self, lines: Sequence[IdfLine]) -> None:
        """Replace every line (journal recovery, reload); listeners hear each field that was or is there."""
        changed = {line.name for line in self.lines} | {line.name for line in lines}
        self.lines = [IdfLine(line.name, list(line.values)) for line in lines]
        for name in sorted(changed):
            for listener in list(self._listeners):
                listener(name)

    def fields(self) -> list[tuple[str, list[str]]]:
        return [(line.name, list(line.values)) for line in self.lines]

    def records(self, section: str) -> list[dict[str, str]]:
        """One dict per position of a multi-valued section (persons, protocols, ...)."""
        names = IDF_SECTIONS[section]
        columns = {n: self.get(n) for n in names}
        count = max((len(v) for v in columns.values()), default=0)
        return [{n: (columns[n][i] if i < len(columns[n]) else "") for n in names} for i in range(count)]

    def set_records(self, section: str, records: Sequence[Mapping[str, str]]) -> None:
        for name in IDF_SECTIONS[section]:
            values = [str(rec.get(name, "") or "") for rec in records]
            if self.has(name) or any(values):
                self.set(name, values)

    def subscribe(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[str], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # --- conveniences used by the rules and the graph ------------------------------------------
    def protocol_names(self) -> list[str]:
        return [v for v in self.get("Protocol Name") if v.strip()]

    def factor_names(self) -> list[str]:
        return [v for v in self.get("Experimental Factor Name") if v.strip()]

    def term_source_names(self) -> list[str]:
        return [v for v in self.get("Term Source Name") if v.strip()]

    def sdrf_files(self) -> list[str]:
        return [v.strip() for v in self.get("SDRF File") if v.strip()]

    def __repr__(self) -> str:
        return f"Idf({self.path!s}, {len(self.lines)} lines)"
