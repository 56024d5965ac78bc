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


def needs_quotes(value: str) -> bool:
    return "\n" in value or "\r" in value or "\t" in value


@dataclass
class Attribute:
    name: str
    value: str | None
    reference: bool = False

    def as_tsv(self, quote: bool = False) -> str:
        value = self.value if self.value else ""
        if quote and needs_quotes(value):
            value = '"' + value.replace('"', '""') + '"'
        name = f"<{self.name}>" if self.reference else self.name
        return f"{name}\t{value}\n"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "reference": self.reference,
                "nmqual": [], "valqual": []}


@dataclass
class Link:
    url: str
    attributes: list[Attribute] = field(default_factory=list)

    def as_tsv(self, quote: bool = False) -> str:
        return f"\nLink\t{self.url}\n" + "".join(a.as_tsv(quote) for a in self.attributes)

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "attributes": [a.as_json() for a in self.attributes]}


@dataclass
class File:
    path: str
    size: int
    attributes: list[Attribute] = field(default_factory=list)


@dataclass
class Section:
    type: str
    accno: str | None = None
    attributes: list[Attribute] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    def as_tsv(self, parent_accno: str | None = None, quote: bool = False) -> str:
        accno = self.accno or ""
        if parent_accno:
            head = f"{self.type}\t{accno}\t{parent_accno}"
        else:
            head = f"{self.type}\t{accno}" if self.accno else self.type
        text = f"\n{head}\n"
        text += "".join(a.as_tsv(quote) for a in self.attributes)
        text += "".join(link.as_tsv(quote) for link in self.links)
        text += "".join(s.as_tsv(self.accno, quote) for s in self.subsections)
        return text

    def walk(self) -> list[Attribute]:
        """Every attribute of the section, its links and subsections."""
        found = [*self.attributes, *(a for link in self.links for a in link.attributes)]
        for sub in self.subsections:
            found += sub.walk()
        return found

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

    def as_tsv(self, quote: bool = False) -> str:
        """The PageTab TSV text, ending as bia-agent's printed output does (with a blank line).

        bia-agent writes a value holding a line break (or a tab) as it is, which the PageTab reader
        takes for the end of the value; `quote` writes it in double quotes (inner ones doubled), as
        the PageTab specification reads a multi-line value.
        """
        head = f"Submission\t{self.accno}" if self.accno else "Submission"
        attributes = "".join(a.as_tsv(quote) for a in self.attributes)
        return f"{head}\n{attributes}{self.section.as_tsv(quote=quote)}\n"

    def multiline_values(self) -> list[Attribute]:
        return [a for a in [*self.attributes, *self.section.walk()] if needs_quotes(a.value or "")]

    def as_json(self) -> dict[str, Any]:
        return {"accno": self.accno, "section": self.section.as_json(),
                "attributes": [a.as_json() for a in self.attributes]}

    def json_text(self) -> str:
        return json.dumps(self.as_json(), indent=4)

