"""One module per file format; each registers its validator and declares its codes.

Importing this package imports every module in it, so adding a format is adding
one module here (plus its tests). Codes of a format are declared at the top of
its module with `depositdesk.findings.define` (part="validators/<format>").

A format whose library cannot be imported on this machine (say pysam on a
platform without a wheel) is left out and recorded in `UNAVAILABLE`, so the
other formats keep working; the engine reports such files as of an unknown
format rather than failing as a whole.
"""

from __future__ import annotations

import importlib
import pkgutil

UNAVAILABLE: dict[str, str] = {}
"""Format modules that could not be imported: module name -> the ImportError's text."""

for _info in pkgutil.iter_modules(__path__):
    try:
        importlib.import_module(f"{__name__}.{_info.name}")
    except ImportError as _exc:
        UNAVAILABLE[_info.name] = str(_exc)
