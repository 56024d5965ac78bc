"""One module per file format; each registers its validator and declares its codes.

Importing this package imports every module in it, so adding a format is adding
one module here (plus its tests). Codes of a format are declared at the top of
its module with `depositdesk.findings.define` (part="validators/<format>").
"""

from __future__ import annotations

import importlib
import pkgutil

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")
