"""Target repositories: one module per target, each registering its `Target` declaration at import.

Importing this package imports every module in it (as ``validators/formats`` does), so adding a
target is adding one module here (plus its tests). The data types, the registry and the generic
check are in `depositdesk.packaging.targets.base`.
"""

from __future__ import annotations

import importlib
import pkgutil

from depositdesk.packaging.targets.base import (
    ColumnRequirement,
    FieldRequirement,
    Target,
    TargetError,
    UploadLimits,
    all_targets,
    check_targets,
    get_target,
    project_targets,
    register,
    required_headings,
    set_project_targets,
)

__all__ = [
    "ColumnRequirement", "FieldRequirement", "Target", "TargetError", "UploadLimits", "all_targets",
    "check_targets", "get_target", "project_targets", "register", "required_headings",
    "set_project_targets",
]

for _info in pkgutil.iter_modules(__path__):
    if _info.name != "base" and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
