"""ArrayExpress (via Annotare): the magetabcheck rules that apply to sequencing and microarray submissions.

The rules are data (`_ae_data.RULES`: our code, the Annotare rule id, its severity, the submission
types it applies to); `_ae_idf` and `_ae_sdrf` find them. The submission type comes from
Comment[AEExperimentType] (``... seq ...`` / ``... sequencing`` = HTS, ``... by array`` = microarray),
else from the SDRF (Technology Type, Array Design REF, Hybridization Name). Rules for one type run
only for it; with no type known only the rules for all types run. The cross-target rules
(identifiers, spreadsheet damage, privacy) are listed too: ArrayExpress is public.
"""

from __future__ import annotations

from datetime import date

from depositdesk.findings import Finding, define
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets._ae_data import EXPERIMENT_TYPES, RULES, SOURCE
from depositdesk.packaging.targets._ae_idf import IDF_CHECKS, RULE_BY_CODE, Context, submission_kind
from depositdesk.packaging.targets._ae_sdrf import sdrf_findings, used_protocol_findings
from depositdesk.packaging.targets.base import FieldRequirement, Target, UploadLimits, register

PART = "targets/arrayexpress"
for _rule in RULES:
    _ref = f" (Annotare {_rule.annotare})" if _rule.annotare else " (ArrayExpress curators)"
    define(_rule.code, _rule.severity, _rule.title + _ref, _rule.suggestion, part=PART)


def findings(project: Project, today: date | None = None) -> list[Finding]:
    """Every Annotare rule of `_ae_data.RULES` that applies to the project's submission type."""
    ctx = Context(project, today or date.today(), submission_kind(project))
    out: list[Finding] = []
    for check in IDF_CHECKS:
        out.extend(check(ctx))
    if project.sdrfs:
        out.extend(used_protocol_findings(ctx))
    for sdrf in project.sdrfs:
        out.extend(sdrf_findings(sdrf, ctx))
    return [f for f in out if RULE_BY_CODE[f.code].applies in ("all", ctx.kind)]


ARRAYEXPRESS = register(Target(
    name="arrayexpress",
    title="ArrayExpress (via Annotare)",
    source=SOURCE,
    fields=(FieldRequirement("Comment[AEExperimentType]", "Experiment type", vocabulary=EXPERIMENT_TYPES),),
    limits=UploadLimits(),
    rules=(findings, *PUBLIC_TARGET_RULES),
    transport="ftp",
))
