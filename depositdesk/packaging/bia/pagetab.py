"""PageTab, the BioStudies submission format, as bia-agent writes it.

The model follows bia-agent's `biostudies.py` (Submission, Section, Attribute, Link, File) and
its two serialisations: the TSV text of `Submission.as_tsv()` plus the newline `print` adds
(a `None` value is written as an empty cell, a reference attribute as `<name>`, a subsection
names its parent's accno in the third cell), and the JSON of pydantic's `.json()` (every
attribute with `reference`, `nmqual`, `valqual`; every section with `subsections`, `links`,
`files`), indented by 4 as bia-agent's golden files are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Attribute:
    name: str
    value: str | None
    reference: bool = False

    def as_tsv(self) -> str:
        value = self.value if self.value else ""
        name = f"<{self.name}>" if self.reference else self.name
        return f"{name}\t{value}\n"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "reference": self.reference,
                "nmqual": [], "valqual": []}


@dataclass
class Link:
    url: str
    attributes: list[Attribute] = field(default_factory=list)

    def as_tsv(self) -> str:
        return f"\nLink\t{self.url}\n" + "".join(a.as_tsv() for a in self.attributes)

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "attributes": [a.as_json() for a in self.attributes]}


@dataclass
class File:
    path: str
    size: int
    attributes: list[Attribute] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "attributes": [a.as_json() for a in self.attributes],
                "type": "file"}


@dataclass
class Section:
    type: str
    accno: str | None = None
    attributes: list[Attribute] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def as_tsv(self, parent_accno: str | None = None) -> str:
        accno = self.accno or ""
        if parent_accno:
            head = f"{self.type}\t{accno}\t{parent_accno}"
        else:
            head = f"{self.type}\t{accno}" if self.accno else self.type
        text = f"\n{head}\n"
        text += "".join(a.as_tsv() for a in self.attributes)
        text += "".join(link.as_tsv() for link in self.links)
        text += "".join(s.as_tsv(self.accno) for s in self.subsections)
        return text

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "accno": self.accno,
                "attributes": [a.as_json() for a in self.attributes],
                "subsections": [s.as_json() for s in self.subsections],
                "links": [link.as_json() for link in self.links], "files": []}


@dataclass
class Submission:
    accno: str | None
    attributes: list[Attribute]
    section: Section

    def as_tsv(self) -> str:
        """The PageTab TSV text, ending as bia-agent's printed output does (with a blank line)."""
        head = f"Submission\t{self.accno}" if self.accno else "Submission"
        return f"{head}\n" + "".join(a.as_tsv() for a in self.attributes) + self.section.as_tsv() + "\n"

    def as_json(self) -> dict[str, Any]:
        return {"accno": self.accno, "section": self.section.as_json(),
                "attributes": [a.as_json() for a in self.attributes]}

    def json_text(self) -> str:
        return json.dumps(self.as_json(), indent=4)


def file_list_tsv(files: list[File], columns: list[str]) -> str:
    """A BioStudies file list as TSV: first column `Files`, then `size`-free attribute columns.

    BioStudies reads the size itself; the attributes are the per-file columns given in order.
    """
    lines = ["\t".join(["Files", *columns])]
    for item in files:
        values = {a.name: a.value or "" for a in item.attributes}
        lines.append("\t".join([item.path, *(values.get(c, "") for c in columns)]))
    return "\n".join(lines) + "\n"
