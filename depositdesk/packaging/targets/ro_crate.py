"""RO-Crate 1.1 of the whole project: not a repository but the research-object format archives,
workflow systems and WorkflowHub read (w3id.org/ro/crate/1.1).

The root Data Entity needs a name, a description, a datePublished and a license (RO-Crate 1.1,
"Root Data Entity"); authors are the IDF persons. No public-repository rules: where the crate goes
decides those (check it against that repository too).
"""

from __future__ import annotations

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.targets.base import FieldRequirement, Target, register

SOURCE = "RO-Crate 1.1 specification (w3id.org/ro/crate/1.1), Root Data Entity requirements"
PART = "targets/ro-crate"

FIELDS = (
    FieldRequirement("Investigation Title", "name"),
    FieldRequirement("Experiment Description", "description"),
    FieldRequirement("Public Release Date", "datePublished"),
    FieldRequirement("Comment[License]", "license"),
)

NO_AUTHOR = define(
    "CRATE-AUTHOR", Severity.WARNING, "The crate will have no author",
    "Give at least one IDF person a name: the crate lists them as the dataset's authors.", part=PART)


def author_findings(project: Project) -> list[Finding]:
    people = [p for p in project.idf.records("person")
              if p["Person Last Name"].strip() or p["Person First Name"].strip()]
    if people:
        return []
    return [finding(NO_AUTHOR, location=Location(file=project.idf_path.name, column_name="Person Last Name"))]


TARGET = register(Target(
    name="ro-crate",
    title="RO-Crate 1.1 (the whole project)",
    code_prefix="CRATE",
    source=SOURCE,
    public=False,
    fields=FIELDS,
    rules=(author_findings,),
))
