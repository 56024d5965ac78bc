"""IDR (Image Data Resource): the study file's mandatory keys (idr-utils pyidr/study_parser.py) as data.

`STUDY_KEYS` / `EXPERIMENT_KEYS`: IDR study-file key -> the IDF field it is written from, or None
when IDR or the package builder sets it (the accession, the experiment number and name). IDR's
parser requires ``Experiment Sample Type`` (missing from the 2021 submitter templates); it comes
from ``Comment[Experiment Sample Type]``. The imaging method is the SDRF's
``Parameter Value[imaging method]``.
"""

from __future__ import annotations

from depositdesk.findings import Severity
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets.base import ColumnRequirement, FieldRequirement, Target, register

SOURCE = "IDR study file, mandatory keys of IDR/idr-utils pyidr/study_parser.py @5aa039a"

STUDY_KEYS: dict[str, str | None] = {
    "Comment[IDR Study Accession]": None,
    "Study Title": "Investigation Title",
    "Study Description": "Experiment Description",
    "Study Type": "Comment[Study Type]",
    "Study Publication Title": "Publication Title",
    "Study Author List": "Publication Author List",
    "Study Public Release Date": "Public Release Date",
}
EXPERIMENT_KEYS: dict[str, str | None] = {
    "Comment[IDR Experiment Name]": None,
    "Experiment Description": "Experiment Description",
    "Experiment Sample Type": "Comment[Experiment Sample Type]",
    "Experiment Imaging Method": None,   # from the SDRF column below
    "Experiment Number": None,
}
RAW_IMAGE_RULES = {"IMG-LOSSY": Severity.ERROR, "IMG-NO-PIXEL-SIZE": Severity.ERROR}
"""IDR publishes the submitted originals for reuse and measurement: a lossy copy or an image without
its pixel size is an error here (a warning of the image validators elsewhere)."""
IMAGING_METHOD = ColumnRequirement("Parameter Value[imaging method]", "Experiment Imaging Method")


def _fields() -> tuple[FieldRequirement, ...]:
    seen: dict[str, FieldRequirement] = {}
    for key, source in {**STUDY_KEYS, **EXPERIMENT_KEYS}.items():
        if source is not None and source not in seen:
            seen[source] = FieldRequirement(source, key)
    return tuple(seen.values())


TARGET = register(Target(
    name="idr",
    title="IDR",
    source=SOURCE,
    fields=_fields(),
    columns=(IMAGING_METHOD, ColumnRequirement("Characteristics[organism]", "Study Organism")),
    rules=PUBLIC_TARGET_RULES,
    file_rules=RAW_IMAGE_RULES,
    transport="",
))
