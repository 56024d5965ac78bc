"""Synapse (Sage Bionetworks): what a package needs to become a Folder of FileEntities.

Synapse asks little of the metadata: the folder is named after the study title
(``Investigation Title``, which must therefore hold a name Synapse accepts, `NAME_CHARS`, at most
256 characters); the description (``Experiment Description``) and the annotations are optional.
The upload goes by Synapse's REST multipart protocol (transport "synapse") into a project or
folder the user names (``depositdesk upload PACKAGE --parent synNNN``). New Synapse projects are
private to their creator until shared; the target is public in the sense that its rules are the
public ones (no human identifiers).
"""

from __future__ import annotations

import re

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets.base import FieldRequirement, Target, register

SOURCE = "Synapse REST API (rest-docs.synapse.org: MultipartUploadRequest, FileEntity, Folder)"
PART = "targets/synapse"
MAX_NAME = 256
NAME_CHARS = re.compile(r"^[A-Za-z0-9 _.+'()\-]+$")
"""Synapse's entity names: letters, numbers, spaces, underscores, hyphens, periods, plus signs,
apostrophes and parentheses."""

METADATA: dict[str, FieldRequirement] = {
    "name": FieldRequirement("Investigation Title", "name", max_length=MAX_NAME),
    "description": FieldRequirement("Experiment Description", "description", required=False),
}

NAME = define(
    "SYNAPSE-NAME", Severity.WARNING, "The title is not a Synapse name as it stands",
    "Synapse names hold only letters, numbers, spaces and _ - . + ' ( ); the package's folder is "
    "named with each other character as '_'. Write the title without them to choose the name.",
    part=PART)


def name_findings(project: Project) -> list[Finding]:
    title = project.idf.first(METADATA["name"].name).strip()
    if not title or NAME_CHARS.match(title):
        return []
    odd = "".join(sorted({c for c in title if not NAME_CHARS.match(c)}))
    return [finding(NAME, f"the title holds {odd!r}, which a Synapse name cannot",
                    Location(file=project.idf_path.name, column_name=METADATA["name"].name))]


def entity_name(title: str) -> str:
    """The title as a Synapse name: other characters become '_', at most 256 characters."""
    cleaned = "".join(c if NAME_CHARS.match(c) else "_" for c in title.strip())
    return cleaned[:MAX_NAME].strip() or "DepositDesk package"


TARGET = register(Target(
    name="synapse",
    title="Synapse (Sage Bionetworks)",
    source=SOURCE,
    public=True,
    fields=tuple(METADATA.values()),
    rules=(name_findings, *PUBLIC_TARGET_RULES),
    transport="synapse",
))
