"""The curator's checklist: what a person must confirm before a submission goes out.

The checks a program cannot make - does the antibody in the title match the one in the protocol, are
the replicates biological and not resubmissions - as the modENCODE data-coordination centre's curators
asked them before each deposit. Ticks are stored per target in the project's
``.depositdesk/checklist.json`` with who ticked and when; unticking removes the tick. Writes are
atomic (depositdesk.magetab.textio.atomic_write).
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

CHECKLIST_NAME = "checklist.json"


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    why: str
    targets: tuple[str, ...] = ()       # () = every target


ITEMS: tuple[Item, ...] = (
    Item("antibody-matches-title", "Each ChIP's antibody (Parameter Value[antibody]) is the one its title and "
         "description name", "A ChIP-seq data set under the wrong antibody is worse than none."),
    Item("biological-replicates", "Replicates are biological (independent samples), not technical repeats or "
         "a resubmission of an earlier data set", "Curators reject 'replicates' that are the same library."),
    Item("referenced-ids", "Every GEO/SRA/ArrayExpress ID the metadata cites points at the data set meant "
         "(opened and read, not copied from another submission)", "A wrong GSE in a paper cannot be fixed."),
    Item("protocols-current", "Protocols describe what was done for these samples (not a lab's template "
         "from an earlier project)", "Reviewers read the protocols to judge the data."),
    Item("prose-readable", "Title, summary and design read as sentences a stranger understands (no lab "
         "shorthand, no sample codes only the lab knows)", "The summary is what a search shows."),
    Item("controls-present", "Each ChIP/treatment has its control (input, IgG, untreated) in the submission",
         "Without its control a ChIP cannot be reanalysed.", ("geo", "sra", "ena", "arrayexpress")),
    Item("processed-match-raw", "The processed files were made from exactly the raw files listed (same "
         "genome build as stated)", "Processed data from other reads cannot be reproduced.",
         ("geo", "arrayexpress")),
    Item("consent-and-privacy", "No human subject can be identified from names, dates or file names; "
         "consent allows this repository", "Public repositories cannot take identifiable human data back."),
    Item("release-date-agreed", "The public release date is the one agreed with the co-authors and the "
         "journal", "An early release can break a journal's embargo."),
)


def items_for(target: str) -> list[Item]:
    return [item for item in ITEMS if not item.targets or target in item.targets]


def _path(folder: Path) -> Path:
    return Path(folder) / ".depositdesk" / CHECKLIST_NAME


def read_ticks(folder: Path, target: str) -> dict[str, dict[str, str]]:
    """{item key: {"by": user, "when": ISO time}} of the items ticked for ``target``."""
    try:
        data = json.loads(_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ticks = data.get(target, {}) if isinstance(data, dict) else {}
    return {k: v for k, v in ticks.items() if isinstance(v, dict)} if isinstance(ticks, dict) else {}


def tick(folder: Path, target: str, key: str, ticked: bool, by: str | None = None) -> dict[str, str] | None:
    """Tick (or untick) one item; returns the tick recorded (None when unticked)."""
    from depositdesk.magetab.textio import atomic_write

    if key not in {item.key for item in ITEMS}:
        raise KeyError(f"no checklist item {key!r}")
    try:
        data = json.loads(_path(folder).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    ticks = data.setdefault(target, {})
    record = None
    if ticked:
        record = {"by": by or _user(), "when": datetime.now(UTC).isoformat(timespec="seconds")}
        ticks[key] = record
    else:
        ticks.pop(key, None)
    atomic_write(_path(folder), json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return record


def open_items(folder: Path, target: str) -> list[Item]:
    ticked = read_ticks(folder, target)
    return [item for item in items_for(target) if item.key not in ticked]


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"
