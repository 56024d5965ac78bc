"""How much one deposit of a repository holds, and the findings when a project's data files exceed it.

Zenodo, Figshare and Dryad each cap the number of files, the bytes in all and (some) the bytes of one
file; one function checks the three against a target's ``UploadLimits`` (decimal units, as the
repositories state them).
"""

from __future__ import annotations

from dataclasses import dataclass

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import Project


@dataclass(frozen=True)
class UploadLimits:
    max_files: int | None = None
    max_total_bytes: int | None = None
    max_file_bytes: int | None = None


def _decimal(n: float) -> str:
    return f"{n / 1e12:,.0f} TB" if n >= 1e12 else f"{n / 1e9:,.1f} GB".replace(".0 GB", " GB")


def limit_findings(project: Project, limits: UploadLimits, container: str, code: str,
                   file_code: str | None = None) -> list[Finding]:
    """``code`` when the data files exceed what ``container`` ('a Zenodo record') holds in number or in
    bytes; ``file_code`` (or ``code``) for each file over the per-file cap. Missing files count as
    named but hold no bytes."""
    named = project.data_files()
    sizes = {p: p.stat().st_size for p in named if p.is_file()}
    where = Location(file=project.idf_path.name)
    out = []
    if limits.max_files is not None and len(named) > limits.max_files:
        out.append(finding(code, f"{len(named)} data files; {container} holds at most {limits.max_files}",
                           where))
    total = sum(sizes.values())
    if limits.max_total_bytes is not None and total > limits.max_total_bytes:
        out.append(finding(code, f"the data files hold {_decimal(total)}; {container} holds at most "
                           f"{_decimal(limits.max_total_bytes)}", where))
    top = limits.max_file_bytes
    if top is not None:
        out += [finding(file_code or code, f"{p.name} holds {_decimal(n)}; {container} takes files of at "
                        f"most {_decimal(top)}", where) for p, n in sizes.items() if n > top]
    return out
