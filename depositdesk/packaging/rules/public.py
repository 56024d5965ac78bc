"""The cross-target rules a public repository's target lists in its ``rules``."""

from __future__ import annotations

from depositdesk.packaging.rules import excel_damage, identifiers, privacy

PUBLIC_TARGET_RULES = (identifiers.findings, excel_damage.findings, privacy.findings)
"""For every public target. A controlled-access target (dbGaP) lists ``identifiers.findings``,
``excel_damage.findings`` and ``privacy.safe_harbor_findings`` instead (its data may be human reads)."""
