"""``depositdesk validate FILE_OR_DIR ...``: check data files headless, with a progress bar.

Exit status as for ``depositdesk check``: 0 when no file has an error, 1 when
one has, 2 when the command could not run (one line on stderr).

``--target T`` gives the findings the severities the target repository gives them
(its ``file_rules``: for the BioImage Archive and IDR a lossy image or one without a
pixel size is an error, a warning elsewhere); with several targets the most severe wins.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from depositdesk.findings import Finding, Severity, counted
from depositdesk.progress import run_with_bar
from depositdesk.validators.base import PROFILES


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate", help="check data files (FASTQ, SAM/BAM/CRAM, BED, WIG, bigWig, GFF3, TIFF/OME-TIFF, "
                         "OME-Zarr, PNG/JPEG, microscope originals) and compute md5",
        description="Check data files in one streaming pass each (format rules + md5). "
                    "Folders are walked; an OME-Zarr folder is one item (its md5 is the md5 of its "
                    "per-file md5 manifest). Unchanged files are answered from the cache.")
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", type=Path)
    parser.add_argument("--profile", choices=PROFILES, default="spec",
                        help="spec (default): each format's specification; "
                             "strict-modencode: the stricter modENCODE vetting rules")
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="files validated at once (default: all cores)")
    parser.add_argument("--no-cache", action="store_true", help="read every file even when unchanged")
    parser.add_argument("--chrom-sizes", type=Path, metavar="FILE",
                        help="a genome's chrom.sizes (name, length): BED and WIG chromosome names and "
                             "coordinates are checked against it")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the validators on a Dask cluster: local:N starts N worker processes "
                             "here; tcp://HOST:PORT uses a running scheduler (files must be at the same "
                             "path on every worker)")
    parser.add_argument("--target", action="append", default=[], metavar="TARGET",
                        help="judge the files as this repository does (repeatable; see 'depositdesk "
                             "targets'): e.g. bia and idr make lossy images and images without a "
                             "pixel size errors")
    parser.set_defaults(func=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    from depositdesk.validators.dask_runner import SchedulerError, parse_scheduler
    from depositdesk.validators.engine import FileReport, validate_files

    missing = [str(p) for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"depositdesk validate: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("depositdesk validate: --jobs must be at least 1", file=sys.stderr)
        return 2
    options = _options(args)
    if options is None:
        return 2
    try:
        targets = _targets(args.target)
    except ValueError as exc:
        print(f"depositdesk validate: {exc}", file=sys.stderr)
        return 2
    if args.scheduler:
        try:
            parse_scheduler(args.scheduler)
        except SchedulerError as exc:
            print(f"depositdesk validate: {exc}", file=sys.stderr)
            return 2
    task = validate_files(args.paths, args.profile, jobs=args.jobs, use_cache=not args.no_cache,
                          options=options, scheduler=args.scheduler)
    try:
        reports: list[FileReport] = run_with_bar(task, "validating")
    except SchedulerError as exc:
        print(f"depositdesk validate: {exc}", file=sys.stderr)
        return 2
    finally:
        task.close()
    for report in reports:
        report.findings = with_target_severities(report.findings, targets)
    if args.output == "json":
        json.dump([r.to_dict() for r in reports], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(reports)
        if targets:
            print(f"severities as the target{'s' if len(targets) > 1 else ''} "
                  f"{', '.join(t.name for t in targets)} give{'' if len(targets) > 1 else 's'} them")
    return 1 if any(not r.ok for r in reports) else 0


def _targets(names: list[str]) -> list[Any]:
    """The targets named on the command line; ValueError (one line) for an unknown name."""
    if not names:
        return []
    from depositdesk.packaging.targets import TargetError, get_target

    try:
        return [get_target(name) for name in dict.fromkeys(names)]
    except TargetError as exc:
        raise ValueError(str(exc)) from None


def with_target_severities(findings: list[Finding], targets: list[Any]) -> list[Finding]:
    """Findings with the severities the targets' ``file_rules`` give them (the most severe wins)."""
    if not targets:
        return findings
    from depositdesk.packaging.targets.base import apply_file_rules

    ruled = [apply_file_rules(target, findings) for target in targets]
    return [max(versions, key=lambda f: f.severity) for versions in zip(*ruled, strict=True)]


def _options(args: argparse.Namespace) -> dict[str, Any] | None:
    """Validator options from the command line; None (after one line on stderr) when unusable."""
    if args.chrom_sizes is None:
        return {}
    from depositdesk.validators.formats.bed import chrom_sizes_option

    try:
        sizes = chrom_sizes_option(args.chrom_sizes)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"depositdesk validate: cannot read {args.chrom_sizes}: {exc}", file=sys.stderr)
        return None
    if not sizes:
        print(f"depositdesk validate: {args.chrom_sizes} has no 'name<TAB>length' lines", file=sys.stderr)
        return None
    return {"chrom_sizes": sizes}


def _print_text(reports: list[Any]) -> None:
    for report in reports:
        what = report.format or "unknown format"
        if report.compression:
            what += f", {report.compression}"
        cached = "  (cached)" if report.from_cache else ""
        print(f"{report.path}: {what}, {report.size:,} bytes, md5 {report.md5 or '-'}{cached}")
        for item in report.findings:
            print("  " + item.describe().replace("\n", "\n  "))
    errors = sum(1 for r in reports if r.worst is not None and r.worst >= Severity.ERROR)
    warnings = sum(1 for r in reports if r.worst == Severity.WARNING)
    print(f"{counted(len(reports), 'file')}: {errors:,} with errors, {warnings:,} with warnings only")
