"""README.md of a package, for the curator: what is in it, how it was checked, what is still open."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from depositdesk.findings import Finding, Severity, summarize
from depositdesk.magetab.project import Project
from depositdesk.packaging.targets.base import Target

if TYPE_CHECKING:
    from depositdesk.packaging.packages.build import PackedFile


def readme_text(project: Project, target: Target, packed: Sequence[PackedFile], metadata: Mapping[str, bytes],
                findings: Sequence[Finding], *, forced: bool) -> str:
    title = project.idf.first("Investigation Title").strip() or project.folder.name
    total = sum(p.size for p in packed)
    lines = [f"# {title}", "", f"Submission package for {target.title}, made by DepositDesk.", "",
             "## Contents", ""]
    lines += [f"- `{name}`: metadata ({target.source})" for name in metadata]
    lines += [f"- {len(packed)} data file(s), {total:,} bytes, listed with their md5 in `MANIFEST.tsv`", "",
              "## How it was checked", "",
              f"- MAGE-TAB grammar and structure of the IDF and SDRF, and the requirements of {target.title} "
              "(fields, columns, vocabularies, target rules).",
              "- Every data file name: inside the project folder, no links leaving it, no control "
              "characters, no two names equal after case-folding.",
              "- Data files are hard links to (or md5-verified copies of) the project's files, unchanged.",
              f"- Result: {summarize(findings) if findings else 'no findings'}.", ""]
    if forced:
        lines += ["**Built with --force: the errors below were not fixed.**", ""]
    open_items = [f for f in findings if f.severity >= Severity.WARNING]
    lines += ["## Open findings", ""]
    lines += [f"- {f.severity.label.upper()} {f.code} ({f.location.describe()}): {f.message}" for f in open_items]
    if not open_items:
        lines.append("None.")
    return "\n".join(lines) + "\n"
