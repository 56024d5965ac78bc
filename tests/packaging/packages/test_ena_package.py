"""ENA package: Webin-CLI reads manifests equal the goldens and follow Webin-CLI's manifest grammar."""

from __future__ import annotations

import re
from pathlib import Path

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import build_package
from tests.packaging.packages.recipes import paired_project

GOLDEN = Path(__file__).parent / "golden" / "ena-paired-rnaseq"
# Webin-CLI ReadsManifestReader fields; ManifestReader: comment lines, FIELD<whitespace>value.
FIELDS = {"NAME", "STUDY", "SAMPLE", "DESCRIPTION", "INSTRUMENT", "PLATFORM", "LIBRARY_SOURCE",
          "LIBRARY_SELECTION", "LIBRARY_STRATEGY", "LIBRARY_CONSTRUCTION_PROTOCOL", "LIBRARY_NAME",
          "INSERT_SIZE", "QUALITY_SCORE", "FASTQ", "BAM", "CRAM", "SUBMISSION_TOOL", "SUBMISSION_TOOL_VERSION"}
COMMENT = re.compile(r"^[\s]*(#|;|//).*$")


def webin_parse(text: str) -> list[tuple[str, str]]:
    fields = []
    for line in text.splitlines():
        if not line.strip() or COMMENT.match(line):
            continue
        key, value = re.split(r"\s+", line.strip(), maxsplit=1)
        assert key.upper() in FIELDS, key
        fields.append((key.upper(), value))
    return fields


def test_manifests_equal_the_golden_and_parse_as_webin_cli_reads(tmp_path: Path) -> None:
    folder = paired_project(tmp_path / "rna", layout="PAIRED")
    idf = folder / "rnaseq.idf.txt"
    idf.write_text(idf.read_text(encoding="utf-8") + "Comment[ENA study]\tPRJEB00000\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_package(Project.open(folder), "ena", out)
    assert result.built, [f.describe() for f in result.findings]
    made = sorted(p.name for p in out.glob("*.manifest.txt"))
    assert made == sorted(p.name for p in GOLDEN.iterdir()) == ["ctrl_1.manifest.txt", "treated_1.manifest.txt"]
    for name in made:
        text = (out / name).read_text(encoding="ascii")
        assert text == (GOLDEN / name).read_text(encoding="ascii")
        fields = webin_parse(text)
        keys = [k for k, _ in fields]
        assert {"STUDY", "SAMPLE", "NAME", "PLATFORM", "INSTRUMENT", "LIBRARY_STRATEGY"} <= set(keys)
        files = [v for k, v in fields if k in ("FASTQ", "BAM", "CRAM")]
        assert 1 <= keys.count("FASTQ") <= 10 and keys.count("BAM") + keys.count("CRAM") == 0
        assert all(f.endswith((".gz", ".bz2")) and f.isascii() and (out / f).is_file() for f in files)
        assert files == sorted(files) and files[0].endswith("_R1.fastq.gz")
