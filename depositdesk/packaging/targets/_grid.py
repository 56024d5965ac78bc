"""What the grid offers for the chosen targets: drop-down lists of values and the missing columns.

For the app (`depositdesk.widgets.target_delegate`, `depositdesk.app.targets_dialog`); no Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable

from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.targets.base import (
    ColumnRequirement,
    Target,
    column_index,
    get_target,
    heading_key,
)


def column_vocabularies(targets: Iterable[Target | str]) -> dict[str, tuple[str, ...]]:
    """heading key -> the values the chosen targets offer for that column (for a drop-down list).

    The first target's spelling comes first; another target's term differing only in letter case
    is not listed twice (either spelling passes both, see `required_spellings`). The values a
    target accepts for a missing value ('not collected' ...) close the list.
    """
    terms: dict[str, dict[str, str]] = {}
    missing: dict[str, dict[str, str]] = {}
    for item in targets:
        target = get_target(item) if isinstance(item, str) else item
        for req in target.columns:
            if not req.vocabulary:
                continue
            key = heading_key(req.heading)
            for value in req.vocabulary:
                terms.setdefault(key, {}).setdefault(value.casefold(), value)
            for value in target.accepted_missing:
                missing.setdefault(key, {}).setdefault(value.casefold(), value)
    return {key: (*values.values(), *(v for k, v in missing.get(key, {}).items() if k not in values))
            for key, values in terms.items()}


def missing_columns(sdrf: Sdrf, targets: Iterable[Target | str]) -> list[tuple[str, str]]:
    """(heading, the targets' wording) of each column the chosen targets require that the SDRF lacks.

    Of a '**' group none of whose columns is present, its first column is offered.
    """
    index = column_index(sdrf)
    out: dict[str, tuple[str, list[str]]] = {}
    for item in targets:
        target = get_target(item) if isinstance(item, str) else item
        groups: dict[str, list[ColumnRequirement]] = {}
        for req in target.columns:
            if req.one_of_group:
                groups.setdefault(req.one_of_group, []).append(req)
            elif req.required and heading_key(req.heading) not in index:
                out.setdefault(heading_key(req.heading), (req.heading, []))[1].append(f"{target.prefix}: {req.label}")
        for group, members in groups.items():
            if not any(heading_key(m.heading) in index for m in members):
                first = members[0]
                out.setdefault(heading_key(first.heading), (first.heading, []))[1].append(
                    f"{target.prefix}: {first.label} (one of group {group})")
    return [(heading, "; ".join(labels)) for heading, labels in out.values()]
