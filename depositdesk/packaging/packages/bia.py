"""BioImage Archive: PageTab TSV + JSON from the project's REMBI, a file list per study component, and the
package folder as a BIA RO-Crate (depositdesk.packaging.bia.package)."""

from __future__ import annotations

from collections.abc import Sequence

from depositdesk.magetab.project import Project
from depositdesk.packaging.bia.package import build_files
from depositdesk.packaging.packages.build import PackedFile


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    return build_files(project, packed)
