"""``depositdesk ontology ...``: list, build, add, search, show, refresh — the term index from a shell.

Exit codes: 0 fine, 1 the answer is an error finding (an accession that does not
exist), 2 could not run (one line on stderr). ``search`` builds the indexes it
needs on first use, saying so on stderr, so a fresh install answers offline.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from depositdesk.ontology.index import BuildSummary
from depositdesk.ontology.licences import attributions
from depositdesk.ontology.model import curie, prefix_of
from depositdesk.ontology.readers import SourceError
from depositdesk.ontology.refresh import REFRESH_FILES, DownloadError, add_url, refresh
from depositdesk.ontology.service import BUILDING, READY, TermService
from depositdesk.progress import Progress, Task, drive, run_with_bar

WAIT_FOR_OTHER_BUILD = 180.0  # seconds a search waits for another process's build before building itself


def _fail(message: str) -> int:
    print(f"depositdesk ontology: {message}", file=sys.stderr)
    return 2


class _StderrLine:
    """Progress for non-terminals too: one line per step on stderr (the bar draws only on a TTY)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._last = ""
        self._at = 0.0

    def __call__(self, tick: Progress) -> None:
        now = time.monotonic()
        frac = tick.fraction
        text = f"{self.label}: {tick.message}" + (f" ({frac * 100:.0f}%)" if frac else "")
        if text != self._last and now - self._at > 1.0:
            print(text, file=sys.stderr, flush=True)
            self._last, self._at = text, now


def _drive(task: Task[Any], label: str) -> Any:
    if sys.stderr.isatty():
        return run_with_bar(task, label)
    return drive(task, _StderrLine(label))


def _print_summaries(summaries: Sequence[BuildSummary]) -> None:
    for s in summaries:
        print(f"{s.name}: {s.terms:,} terms, {s.names:,} names indexed")
        for note in s.notes:
            print(f"  note: {note}")


# -- handlers ------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    rows = attributions(TermService())
    if args.format == "json":
        print(json.dumps([asdict(r) for r in rows], indent=1))
        return 0
    for r in rows:
        print(f"{r.name:<12} {r.status:<9} {r.version or '-':<22} {r.licence:<28} {r.title} [{r.origin}]")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    service = TermService()
    started = time.perf_counter()
    summaries = _drive(service.build(args.names or None, force=args.force), "building term indexes")
    _print_summaries(summaries)
    print(f"built {len(summaries)} index(es) in {time.perf_counter() - started:.1f} s; "
          f"{sum(v == READY for v in service.available().values())} ontologies ready")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    service = TermService()
    target = args.file_or_url
    if target.startswith(("http://", "https://")):
        summary = _drive(add_url(service, target), f"adding {target}")
    else:
        summary = _drive(service.add_file(Path(target)), f"adding {target}")
    _print_summaries([summary])
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    service = TermService()
    names = args.names or list(REFRESH_FILES)
    summaries = _drive(refresh(service, names, args.base_url), "downloading ontologies")
    _print_summaries(summaries)
    return 0


def ensure_built(service: TermService, names: Sequence[str] | None) -> None:
    """Build, on first use, the indexes a search needs (with a line on stderr saying so)."""
    wanted = service.resolve_names(names)
    unknown = [n for n in wanted if n not in service.sources()]
    if unknown:
        raise KeyError(f"unknown ontology: {', '.join(unknown)} (see 'depositdesk ontology list')")
    if any(state == BUILDING for n, state in service.available().items() if n in wanted):
        print("depositdesk: another DepositDesk is building the term index; waiting for it…",
              file=sys.stderr, flush=True)
        deadline = time.monotonic() + WAIT_FOR_OTHER_BUILD
        while time.monotonic() < deadline and any(
                state == BUILDING for n, state in service.available().items() if n in wanted):
            time.sleep(0.5)
    missing = [n for n, state in service.available().items() if n in wanted and state != READY]
    if missing:
        print(f"depositdesk: building the term index for {', '.join(missing)} (first use; "
              "later searches are instant)…", file=sys.stderr, flush=True)
        _drive(service.build(missing), "building term indexes")


def cmd_search(args: argparse.Namespace) -> int:
    service = TermService()
    ensure_built(service, args.ontology)
    hits = service.search(args.text, args.ontology, under=args.under, limit=args.limit)
    if args.format == "json":
        print(json.dumps([asdict(h) for h in hits], indent=1, ensure_ascii=False))
        return 0
    for h in hits:
        extra = f"  (matched '{h.matched}')" if h.matched != h.label else ""
        flag = f"  OBSOLETE{' -> ' + h.replaced_by if h.replaced_by else ''}" if h.obsolete else ""
        print(f"{h.accession:<20} {h.label}{extra}{flag}")
    if not hits:
        print(f"no term matches '{args.text}'", file=sys.stderr)
    return 0


def ontologies_for_accession(service: TermService, accession: str) -> list[str]:
    """The ontologies that can hold ``accession``: the one named by its prefix (CL for CL:0000084)."""
    prefix = prefix_of(curie(accession.strip())).lower()
    return [name for name in service.sources() if name.lower() == prefix]


def cmd_show(args: argparse.Namespace) -> int:
    service = TermService()
    needed = ontologies_for_accession(service, args.accession)
    if needed:  # a fresh cache builds the term's ontology first, as `search` does
        ensure_built(service, needed)
    info = service.details(args.accession)
    if info is None:
        states = service.available()
        building = [n for n, s in states.items() if s == BUILDING]
        if building:
            print(f"{args.accession}: not found yet — the term index is being built "
                  f"({', '.join(building)}); try again when it is ready", file=sys.stderr)
            return 1
        ready = [n for n, s in states.items() if s == READY]
        if not ready:
            print(f"{args.accession}: no term index is built yet; run 'depositdesk ontology build' "
                  "(the starter set) or 'depositdesk ontology add FILE'", file=sys.stderr)
            return 1
        print(f"{args.accession}: no indexed ontology has this term (indexed: {', '.join(ready)})",
              file=sys.stderr)
        return 1
    hit = info.term
    if args.format == "json":
        print(json.dumps({**asdict(hit), "synonyms": info.synonyms,
                          "parents": [asdict(p) for p in info.parents]}, indent=1, ensure_ascii=False))
        return 0
    print(f"{hit.accession}  {hit.label}   [{hit.ontology}]")
    if hit.obsolete:
        print(f"  OBSOLETE; replaced by: {hit.replaced_by or '(none named)'}")
    if hit.definition:
        print(f"  definition: {hit.definition}")
    for syn in info.synonyms:
        print(f"  synonym: {syn}")
    for parent in info.parents:
        print(f"  parent: {parent.accession} {parent.label}")
    if hit.iri:
        print(f"  iri: {hit.iri}")
    return 0


def _guard(func: Any) -> Any:
    """Turn the errors a person can cause into one line and exit code 2."""

    def handler(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except BrokenPipeError:  # output piped into `head`: stop quietly, as other tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except (SourceError, DownloadError, KeyError, OSError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            return _fail(str(message))

    return handler


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("ontology", help="offline ontology terms: list, build, add, search, show")
    sub = parser.add_subparsers(dest="ontology_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="ontologies known here, their state, version and licence")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_guard(cmd_list))

    p = sub.add_parser("build", help="build the term indexes (the starter set when no names are given)")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--force", action="store_true", help="rebuild even if the index is up to date")
    p.set_defaults(func=_guard(cmd_build))

    p = sub.add_parser("add", help="index an OBO or OWL file (or URL) and keep it for offline use")
    p.add_argument("file_or_url", metavar="FILE_OR_URL")
    p.set_defaults(func=_guard(cmd_add))

    p = sub.add_parser("refresh", help="download current releases by their PURLs and index them")
    p.add_argument("names", nargs="*", metavar="NAME", help=f"default: {' '.join(REFRESH_FILES)}")
    p.add_argument("--base-url", help="fetch from this address instead of the OBO PURLs")
    p.set_defaults(func=_guard(cmd_refresh))

    p = sub.add_parser("search", help="terms by name prefix or accession")
    p.add_argument("text")
    p.add_argument("--ontology", action="append", metavar="NAME", help="only this ontology (repeatable)")
    p.add_argument("--under", metavar="ACCESSION", help="only this term and its descendants")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_guard(cmd_search))

    p = sub.add_parser("show", help="one term: label, definition, synonyms, parents, obsolete")
    p.add_argument("accession")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_guard(cmd_show))
