"""The core (everything outside app/ and widgets/) works without Qt, and findings behave."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import depositdesk
from depositdesk.findings import REPEATS, Finding, FindingCollector, Location, Severity, finding

ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(depositdesk.__path__, "depositdesk."):
        if info.name.startswith(("depositdesk.app", "depositdesk.widgets")):
            continue
        if info.name == "depositdesk.__main__":
            continue
        names.append(info.name)
    return names


def test_core_imports_with_pyside6_blocked() -> None:
    modules = core_modules()
    assert "depositdesk.findings" in modules and "depositdesk.validators.base" in modules
    script = f"""
import sys, importlib
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pytestqt'):
            raise ImportError('Qt is blocked in this test: ' + name)
        return None
sys.meta_path.insert(0, Block())
for name in {modules!r}:
    importlib.import_module(name)
assert not any(m.startswith('PySide6') for m in sys.modules)
print('imported', len({modules!r}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout


def test_cli_subcommands_do_not_import_qt() -> None:
    script = (
        "import sys; from depositdesk.app.cli import build_parser; build_parser(); "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_collector_caps_repeats_and_says_how_many() -> None:
    collector = FindingCollector(cap=3)
    for i in range(10):
        collector.add(finding(REPEATS, f"thing {i}", Location(file="a.txt", line=i + 1)))
    out = collector.finish()
    assert len(out) == 4
    assert "7 more like this" in out[-1].message


def test_location_numbering_is_one_based_and_described_once() -> None:
    cell = Location(file="x.sdrf.txt", row=3, column=2, column_name="Characteristics[organism]")
    assert cell.model_index() == (2, 1)
    assert cell.describe() == "x.sdrf.txt: row 3, column 'Characteristics[organism]'"
    assert Location(file="r.fastq", line=8, column=1).describe() == "r.fastq: line 8, column 1"


def test_finding_json_has_the_documented_fields() -> None:
    f = Finding("X-1", Severity.ERROR, "bad", Location(file="f", line=2), "fix it")
    data = json.loads(json.dumps(f.to_dict()))
    assert data == {
        "code": "X-1", "severity": "error", "message": "bad", "file": "f",
        "location": {"file": "f", "line": 2}, "suggestion": "fix it",
    }


def test_findings_docs_page_is_up_to_date() -> None:
    from depositdesk.catalogue import render_markdown

    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert page == render_markdown(), "run: python -m depositdesk.catalogue > docs/findings.md"


def test_summaries_count_in_plain_english() -> None:
    from depositdesk.findings import summarize

    items = [finding(REPEATS, severity=Severity.ERROR), finding(REPEATS), finding(REPEATS)]
    assert summarize(items) == "1 error, 0 warnings, 2 notes"
