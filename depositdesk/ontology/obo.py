"""A lenient, streaming reader of OBO flat files.

pronto (fastobo) is strict: it rejects real release files for one bad escape
(``Category\\:…`` in so.obo, a space inside a def xref in bto.obo) or a Typedef
pointing at an undeclared relation (obi.obo). A person adding such a file still
wants its terms, so this scanner reads what a term is made of (id, name,
synonyms, def, is_a, obsolete, replaced_by, alt_id), takes every line it can
understand, and lists the lines it had to skip. It is also several times faster
than pronto on OBO, which is why it is the OBO reader, not only the fallback.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from depositdesk.ontology.model import TermRecord, curie

MAX_NOTES = 20
# relations that make a branch besides is_a: part_of, and FBdv's "substage of"
BRANCH_RELATIONS = frozenset({"part_of", "BFO:0000050", "FBdv:00018001", "substage_of"})


@dataclass
class OboHeader:
    ontology: str = ""
    data_version: str = ""
    title: str = ""
    licence: str = ""


@dataclass
class ScanReport:
    """What the scanner read and what it had to leave out."""

    header: OboHeader = field(default_factory=OboHeader)
    terms: int = 0
    skipped_lines: int = 0
    skipped_stanzas: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, line_no: int, reason: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(f"line {line_no}: {reason}")

    def summary(self) -> str:
        if not (self.skipped_lines or self.skipped_stanzas):
            return ""
        return (f"skipped {self.skipped_lines:,} unreadable line(s) and "
                f"{self.skipped_stanzas:,} term(s) without an id")


def open_text(path: Path) -> IO[str]:
    """Open a possibly gzip-compressed text file (sniffed by magic bytes, not by name)."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        raw: IO[bytes] = gzip.open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115
    else:
        raw = open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline=None)


def _unquote(value: str) -> tuple[str, str] | None:
    """Split ``"quoted text" rest`` into (text, rest), resolving OBO escapes."""
    if not value.startswith('"'):
        return None
    out: list[str] = []
    i = 1
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append({"n": "\n", "t": "\t", "W": " "}.get(nxt, nxt))
            i += 2
            continue
        if ch == '"':
            return "".join(out), value[i + 1:].strip()
        out.append(ch)
        i += 1
    return None


def _strip_comment(value: str) -> str:
    """Drop a trailing ``! comment`` and ``{qualifiers}`` outside quotes."""
    in_quote = False
    escaped = False
    for i, ch in enumerate(value):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            in_quote = not in_quote
        elif not in_quote and (ch == "!" or (ch == "{" and i > 0 and value[i - 1] == " ")):
            return value[:i].rstrip()
    return value.strip()


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\W", " ").replace("\\", "") if "\\" in value else value


class _Stanza:
    __slots__ = ("kind", "line", "tags")

    def __init__(self, kind: str, line: int) -> None:
        self.kind = kind
        self.line = line
        self.tags: list[tuple[str, str, int]] = []


def _to_record(stanza: _Stanza, report: ScanReport) -> TermRecord | None:
    rec = TermRecord(accession="")
    for tag, value, line_no in stanza.tags:
        if tag == "id":
            rec.accession = curie(_strip_comment(value))
        elif tag == "name":
            rec.label = _unescape(_strip_comment(value))
        elif tag in ("synonym", "exact_synonym", "narrow_synonym", "broad_synonym", "related_synonym"):
            parsed = _unquote(value)
            if parsed is None:
                report.skipped_lines += 1
                report.note(line_no, f"synonym without a quoted text: {value[:60]}")
            elif parsed[0].strip():
                rec.synonyms.append(parsed[0].strip())
        elif tag == "def":
            parsed = _unquote(value)
            rec.definition = parsed[0] if parsed else _strip_comment(value).strip('"')
        elif tag == "is_a":
            parent = _strip_comment(value).split()
            if parent:
                rec.parents.append(curie(parent[0]))
        elif tag == "relationship" and value.split(" ", 1)[0] in BRANCH_RELATIONS:
            # stage and anatomy ontologies hang their branches on part_of: "under" must follow it
            target = _strip_comment(value).split()
            if len(target) > 1:
                rec.parents.append(curie(target[1]))
        elif tag == "is_obsolete":
            rec.obsolete = _strip_comment(value).lower() == "true"
        elif tag == "replaced_by":
            rec.replaced_by = curie(_strip_comment(value))
        elif tag == "alt_id":
            rec.alt_ids.append(curie(_strip_comment(value)))
        elif tag == "property_value" and value.startswith(("IAO:0100001 ", "term_replaced_by ")):
            target = _strip_comment(value).split()
            if len(target) > 1 and not rec.replaced_by:
                rec.replaced_by = curie(target[1].strip('"'))
    if not rec.accession:
        report.skipped_stanzas += 1
        report.note(stanza.line, "a [Term] stanza without an id: tag")
        return None
    return rec


def _read_header_line(header: OboHeader, tag: str, value: str) -> None:
    value = _strip_comment(value)
    if tag == "ontology":
        header.ontology = value
    elif tag == "data-version":
        header.data_version = value
    elif tag == "property_value":
        parts = value.split(None, 1)
        if len(parts) == 2 and parts[0] in ("dc:title", "http://purl.org/dc/elements/1.1/title"):
            header.title = parts[1].split('"')[1] if '"' in parts[1] else parts[1]
        elif len(parts) == 2 and parts[0] in ("dc:license", "http://purl.org/dc/terms/license",
                                              "dcterms:license", "http://purl.org/dc/elements/1.1/license"):
            header.licence = parts[1].split()[0].strip('"')
    elif tag == "remark" and value.lower().startswith("version:") and not header.data_version:
        header.data_version = value.split(":", 1)[1].strip()


def scan_obo(stream: IO[str], report: ScanReport) -> Iterator[TermRecord]:
    """Yield the terms of an OBO text stream; fill ``report`` with header and skips."""
    stanza: _Stanza | None = None
    in_header = True
    for line_no, raw in enumerate(stream, 1):
        line = raw.strip()
        if not line or line.startswith("!"):
            continue
        if line.startswith("[") and line.endswith("]"):
            if stanza is not None and stanza.kind == "Term":
                rec = _to_record(stanza, report)
                if rec is not None:
                    report.terms += 1
                    yield rec
            stanza = _Stanza(line[1:-1].strip(), line_no)
            in_header = False
            continue
        tag, sep, value = line.partition(":")
        if not sep or not tag or " " in tag.strip():
            report.skipped_lines += 1
            report.note(line_no, f"not a 'tag: value' line: {line[:60]}")
            continue
        if in_header:
            _read_header_line(report.header, tag.strip(), value.strip())
        elif stanza is not None and stanza.kind == "Term":
            stanza.tags.append((tag.strip(), value.strip(), line_no))
    if stanza is not None and stanza.kind == "Term":
        rec = _to_record(stanza, report)
        if rec is not None:
            report.terms += 1
            yield rec


def read_obo(path: Path, report: ScanReport) -> Iterator[TermRecord]:
    with open_text(path) as stream:
        yield from scan_obo(stream, report)
