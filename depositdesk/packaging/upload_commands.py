"""`depositdesk upload`, `depositdesk login`, `depositdesk status`.

    depositdesk upload PACKAGE_DIR [--server URL] [--user NAME] [--jobs N] [--share-link]
                       [--publish] [--new-version] [--new-version-of ID|DOI] [--parent synID]
                       [--format json]
    depositdesk login TARGET [--user NAME]
    depositdesk status PROJECT [--format json]

The target comes from the package's package.json. Exit codes: 0 every file verified on the server,
1 some file is not, 2 could not start (one line on stderr saying why).
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlsplit

from depositdesk.packaging.manifest import PackageError
from depositdesk.packaging.status import (
    STATES,
    StatusError,
    changed_since_packaged,
    read_status,
    record_accession,
    set_status,
)
from depositdesk.packaging.transfer import credentials
from depositdesk.packaging.transfer.journal import JOURNAL_NAME, Journal, journal_path
from depositdesk.packaging.transfer.runner import UploadResult, package_files, run_upload

if TYPE_CHECKING:
    from depositdesk.packaging.transfer.ftp import FtpServer

# Each transport's module is imported where that transport is used: an FTP upload loads
# neither httpx nor the HTTP transports (~0.1 s of a whole `depositdesk upload` run).

# The targets' declared transports (tests/packaging/transfer/test_cli.py keeps this equal to the
# declarations), so an upload starts without loading every target's rule modules; bia's
# declaration names none yet, its uploads go by FTP to the secret directory.
TRANSPORTS = {"geo": "ftp", "sra": "ftp", "ena": "ftp", "arrayexpress": "ftp", "bia": "ftp",
              "zenodo": "zenodo", "figshare": "figshare", "synapse": "synapse", "dbgap": ""}
METADATA_FILES = ("zenodo.json", ".zenodo.json", "figshare.json")


def register(subparsers: argparse._SubParsersAction) -> None:
    up = subparsers.add_parser(
        "upload", help="upload a built package (resumable, every file verified on the server)",
        description="Upload a package built by DepositDesk to its target. An interrupted upload "
                    "continues from the transfer journal when run again.")
    up.add_argument("package_dir", metavar="PACKAGE_DIR")
    up.add_argument("--server", metavar="URL", help="ftp://host[:port]/folder or http(s)://host")
    up.add_argument("--user", metavar="NAME", help="FTP user name (GEO: geoftp)")
    up.add_argument("--jobs", type=int, default=2, metavar="N", help="files in parallel (2)")
    up.add_argument("--share-link", action="store_true", help="Zenodo: make a reviewer link")
    up.add_argument("--publish", action="store_true", help="Zenodo: publish after the upload")
    up.add_argument("--new-version", action="store_true",
                    help="Zenodo: a new version of the published deposition (changed files sent)")
    up.add_argument("--new-version-of", metavar="ID|DOI", default="",
                    help="Zenodo: a new version of this published record (its id or DOI)")
    up.add_argument("--parent", metavar="synID",
                    help="Synapse: the project or folder the package's folder goes into")
    up.add_argument("--format", choices=("text", "json"), default="text")
    up.add_argument("--progress-json", action="store_true", help=argparse.SUPPRESS)
    up.set_defaults(func=run_upload_command)
    login = subparsers.add_parser("login", help="store a target's credential in the keyring",
                                  description="Store a token (HTTP targets) or an FTP password in "
                                              "the system keyring; it is read from stdin.")
    login.add_argument("target", metavar="TARGET")
    login.add_argument("--user", default="", metavar="NAME", help="FTP user name")
    login.set_defaults(func=run_login)
    status = subparsers.add_parser("status", help="the submission's status and history",
                                   description="Show per target the submission state, its "
                                               "history and the upload journal.")
    status.add_argument("project", metavar="PROJECT")
    status.add_argument("--target", metavar="T", help="the target --set / --accession apply to")
    status.add_argument("--set", choices=STATES[:-1], metavar="STATE",
                        help="record a state by hand (e.g. submitted)")
    status.add_argument("--accession", metavar="ID",
                        help="record the accession (GSE..., E-MTAB-..., S-BIAD..., a DOI)")
    status.add_argument("--format", choices=("text", "json", "tsv"), default="text",
                        help="output format (tsv: with --all only)")
    status.add_argument("--all", action="store_true",
                        help="PROJECT is a folder of projects: one summary line per project")
    status.set_defaults(func=run_status)


def _fail(message: str) -> int:
    print(f"depositdesk: {message}", file=sys.stderr)
    return 2


def transport_of(target: str) -> str:
    """The target's transport; TargetError (one line, the known names) for an unknown one."""
    if target in TRANSPORTS:
        return TRANSPORTS[target]
    from depositdesk.packaging.targets import get_target
    return get_target(target).transport


def _target_error() -> type[Exception]:
    from depositdesk.packaging.targets.base import TargetError
    return TargetError


class ProgressLine:
    """Overall progress on stderr at most once a second: percent, speed, time left. As JSON lines
    (``as_json``, what the app reads from an upload it runs) four times a second and at the end of
    each file: ``{"file", "done", "size", "sent", "total", "speed", "left"}``."""

    def __init__(self, total: int, enabled: bool, as_json: bool = False) -> None:
        self.total, self.enabled, self.as_json = max(total, 1), enabled or as_json, as_json
        self.sent: dict[str, int] = {}
        self.start = self.last = time.monotonic()
        self.lock = threading.Lock()

    def __call__(self, path: str, done: int, size: int) -> None:
        with self.lock:
            self.sent[path] = done
            now = time.monotonic()
            interval = 0.25 if self.as_json else 1.0
            if not self.enabled or (now - self.last < interval and not (self.as_json and done == size)):
                return
            self.last = now
            done_all = sum(self.sent.values())
            speed = done_all / max(now - self.start, 1e-6)
            left = (self.total - done_all) / speed if speed else 0
            if self.as_json:
                print(json.dumps({"file": path, "done": done, "size": size, "sent": done_all,
                                  "total": self.total, "speed": round(speed), "left": round(left)}),
                      file=sys.stderr, flush=True)
                return
            print(f"uploading: {100 * done_all / self.total:5.1f}%  {speed / 1e6:7.2f} MB/s  "
                  f"{int(left) // 60}:{int(left) % 60:02d} left", file=sys.stderr, flush=True)


def _metadata(package_dir: Path, info: dict, paths: list[str]) -> dict:
    for name in METADATA_FILES:
        if name in paths:
            data = json.loads((package_dir / name).read_text(encoding="utf-8"))
            return dict(data.get("metadata", data)) if isinstance(data, dict) else {}
    title = Path(str(info.get("project") or package_dir)).name
    return {"title": title, "upload_type": "dataset"}


def _ftp_server(url: SplitResult, user: str) -> FtpServer:
    from depositdesk.packaging.transfer.ftp import FtpServer

    return FtpServer(url.hostname or "", url.port or 21, url.path or "/", user)


def _server_url(args: argparse.Namespace, target: str, transport: str) -> SplitResult | str:
    if transport in ("zenodo", "figshare", "synapse"):
        module = importlib.import_module(f"depositdesk.packaging.transfer.{transport}")
        default = str(module.DEFAULT_SERVER)
        url = urlsplit(args.server or default)
        return url if url.scheme in ("http", "https") else "--server must be http(s)://host[:port]"
    if not args.server:
        return (f"{target} uploads go to your personal FTP folder: give it with --server, e.g. "
                "--server ftp://ftp-private.ncbi.nlm.nih.gov/uploads/<user>_<code>")
    url = urlsplit(args.server)
    if url.scheme != "ftp":
        return f"{target} uploads by FTP: --server must be ftp://host[:port]/folder"
    if url.password:
        return "no password in the URL: use 'depositdesk login' or DEPOSITDESK_PASSWORD"
    return url


def record_id(text: str) -> int | None:
    """A Zenodo record given as its id (123), DOI (10.5281/zenodo.123) or address (.../records/123)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    match = re.fullmatch(r"https?://[^/]+/(?:records|record|deposit|uploads)/(\d+)/?", text)
    from depositdesk.packaging.transfer.zenodo import deposition_from_doi

    return int(match.group(1)) if match else deposition_from_doi(text)


def _pause_on_sigterm(journal: Journal, state_dir: Path, target: str, where: str,
                      manifest_md5: str, paths: list[str]) -> None:
    """SIGTERM (the app's Pause): wait for a journal write in flight, record the pause, exit 1.
    The journal is written whole (atomic replace) after each confirmed step, so a rerun resumes."""

    def paused(_signum: int, _frame: object) -> None:
        with journal._lock:        # no save half-done in another thread; then none starts
            verified = sum(bool(journal.files.get(p) and journal.files[p].verified) for p in paths)
            set_status(state_dir, target, "uploading", f"upload to {where} paused: {verified} of "
                       f"{len(paths)} files verified", manifest_md5)
            print(f"depositdesk: paused: {verified} of {len(paths)} files verified; run the same "
                  "upload again to resume", file=sys.stderr, flush=True)
            os._exit(1)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, paused)


def run_upload_command(args: argparse.Namespace) -> int:
    package_dir = Path(args.package_dir)
    try:
        info, entries = package_files(package_dir)
        target = str(info.get("target", ""))
        transport_name = transport_of(target)
    except PackageError as exc:
        return _fail(str(exc))
    except Exception as exc:
        if isinstance(exc, _target_error()):
            return _fail(str(exc))
        raise
    if transport_name not in ("ftp", "zenodo", "figshare", "synapse"):
        return _fail(f"target {target!r} has no upload transport here"
                     + (f" ({transport_name} is not supported yet)" if transport_name else ""))
    url = _server_url(args, target, transport_name)
    if isinstance(url, str):
        return _fail(url)
    parent = getattr(args, "parent", None) or ""
    if transport_name == "synapse":
        from depositdesk.packaging.transfer.synapse import endpoint as synapse_endpoint

        synapse_api, in_address = synapse_endpoint(args.server)
        parent = parent or in_address
        if not re.fullmatch(r"syn\d+", parent):
            return _fail("synapse uploads go into a project or folder you own: --parent synNNN, "
                         "or its web address as --server (https://www.synapse.org/Synapse:synNNN)"
                         + (f"; '{parent}' is not a Synapse id" if parent else ""))
    previous = None
    if of := getattr(args, "new_version_of", ""):
        previous = record_id(of) if transport_name == "zenodo" else None
        if previous is None:
            return _fail(f"--new-version-of: '{of}' is not a Zenodo record id, DOI or address"
                         if transport_name == "zenodo" else "--new-version-of is for Zenodo")
    user = args.user or url.username or ""
    if transport_name == "ftp" and not user:
        return _fail("FTP needs a user name: --user NAME (GEO: geoftp)")
    credential = credentials.find(target, transport_name, user if transport_name == "ftp" else "")
    if credential is None:
        return _fail(credentials.how_to_provide(target, transport_name,
                                                user if transport_name == "ftp" else ""))
    if credential.source != "keyring":
        print(f"depositdesk: using the credential from {credential.source} (this run only)",
              file=sys.stderr)
    where = f"{url.scheme}://{url.hostname}{':' + str(url.port) if url.port else ''}{url.path}"
    journal = Journal(journal_path(package_dir, info), f"{target} {where}")
    progress = ProgressLine(sum(e.size for e in entries), args.format == "text",
                            as_json=getattr(args, "progress_json", False))
    state_dir = journal.path.parent.parent
    manifest_md5 = str(info.get("manifest_md5", ""))
    set_status(state_dir, target, "uploading", f"upload to {where} started", manifest_md5,
               package=str(package_dir.resolve()))
    _pause_on_sigterm(journal, state_dir, target, where, manifest_md5, [e.path for e in entries])
    if transport_name == "ftp":
        from depositdesk.packaging.transfer.ftp import FtpTransport

        ftp = FtpTransport(_ftp_server(url, user), credential.secret, journal, progress=progress)
        result = run_upload(package_dir, entries, ftp, jobs=args.jobs)
    elif transport_name == "synapse":
        from depositdesk.packaging.transfer.synapse import SynapseTransport

        folder = (json.loads((package_dir / "synapse.json").read_text(encoding="utf-8"))
                  if any(e.path == "synapse.json" for e in entries) else {})
        syn = SynapseTransport(synapse_api, credential.secret, journal, parent, folder,
                               progress=progress)
        try:
            result = run_upload(package_dir, entries, syn, jobs=args.jobs, before=syn.prepare,
                                after=lambda: {"url": syn.journal.remote.get("url", "")})
        finally:
            syn.close()
    elif transport_name == "figshare":
        from depositdesk.packaging.transfer.figshare import FigshareTransport

        metadata = _metadata(package_dir, info, [e.path for e in entries])
        fig = FigshareTransport(f"{url.scheme}://{url.netloc}", credential.secret, journal,
                                str(metadata.get("title") or package_dir.name), progress=progress,
                                metadata=metadata)
        try:
            result = run_upload(package_dir, entries, fig, jobs=args.jobs, before=fig.prepare,
                                after=lambda: {"url": fig.journal.remote.get("url", "")})
        finally:
            fig.close()
    else:
        from depositdesk.packaging.transfer.zenodo import ZenodoTransport, deposition_from_doi

        metadata = _metadata(package_dir, info, [e.path for e in entries])
        new_version = getattr(args, "new_version", False)
        if previous is not None:
            new_version = True
            if previous not in (journal.remote.get("deposition_id"), journal.remote.get("previous_id")):
                journal.set_remote(deposition_id=previous)
        if new_version and not journal.remote.get("deposition_id"):   # the journal is gone
            doi = str(read_status(state_dir)["targets"].get(target, {}).get("doi", ""))
            if deposition := deposition_from_doi(doi):
                journal.set_remote(deposition_id=deposition)
        zen = ZenodoTransport(f"{url.scheme}://{url.netloc}", credential.secret, journal,
                              metadata, progress=progress, new_version=new_version)
        paths = [e.path for e in entries]
        try:
            result = run_upload(package_dir, entries, zen, jobs=args.jobs,
                                before=lambda: zen.prepare(keep=paths),
                                after=lambda: zen.finish(args.share_link, args.publish))
        finally:
            zen.close()
    _record_status(state_dir, target, where, manifest_md5, result)
    _print_result(result, args.format)
    return 0 if result.ok else 1


def _record_status(state_dir: Path, target: str, where: str, manifest_md5: str,
                   result: UploadResult) -> None:
    verified = sum(f.verified for f in result.files)
    if not result.ok:
        set_status(state_dir, target, "uploading",
                   f"upload to {where} stopped: {verified} of {len(result.files)} files verified",
                   manifest_md5)
        return
    remote = result.remote
    state = "submitted" if remote.get("published") else "uploaded"
    set_status(state_dir, target, state, f"{verified} files verified on {where}", manifest_md5,
               doi=str(remote.get("doi", "")), share_link=str(remote.get("share_link", "")))


def _print_result(result: UploadResult, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
        return
    for f in result.files:
        mark = "verified" if f.verified else "NOT verified"
        print(f"{mark:13} {f.path}  ({f.size} bytes, md5 {f.md5})")
    for path, error in result.errors.items():
        print(f"error         {path}: {error}")
    for key in ("doi", "share_link", "url"):
        if result.remote.get(key):
            print(f"{key.replace('_', ' '):13} {result.remote[key]}")
    verified = sum(f.verified for f in result.files)
    print(f"{verified} of {len(result.files)} files verified on the server")


def run_login(args: argparse.Namespace) -> int:
    try:
        transport_name = transport_of(args.target)
    except Exception as exc:
        if isinstance(exc, _target_error()):
            return _fail(str(exc))
        raise
    kind = credentials.kind_of(transport_name)
    if not credentials.keyring_usable():
        return _fail(f"no system keyring on this machine: set {credentials.ENV[kind]} in the "
                     "environment for each upload instead")
    label = "FTP password" if kind == "ftp" else "API token"
    if sys.stdin.isatty():
        secret = getpass.getpass(f"{args.target} {label}: ")
    else:
        secret = sys.stdin.readline().strip()
    if not secret:
        return _fail(f"no {label} given")
    user = args.user if kind == "ftp" else ""
    credentials.store(args.target, user, secret)
    print(f"stored the {args.target} {label} in the system keyring")
    return 0


def run_status(args: argparse.Namespace) -> int:
    folder = Path(args.project)
    if getattr(args, "all", False):
        from depositdesk.reports.many import run_all

        return run_all(folder, args.format, check=False)
    if args.format == "tsv":
        return _fail("--format tsv is for --all (one line per project)")
    if not folder.is_dir():
        return _fail(f"{folder}: not a project folder")
    if args.set or args.accession:
        if not args.target:
            return _fail("--set/--accession need --target T")
        try:
            if args.accession:
                record_accession(folder, args.target, args.accession)
            else:
                set_status(folder, args.target, args.set, f"set to {args.set} by hand")
        except StatusError as exc:
            return _fail(str(exc))
    status = read_status(folder)
    for record in status["targets"].values():
        if changed_since_packaged(record):
            record["state"] = "changed since packaged"
    try:
        journal = json.loads((folder / ".depositdesk" / JOURNAL_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = {"uploads": {}}
    uploads = {key: {"files": len(sec.get("files", {})),
                     "verified": sum(bool(f.get("verified")) for f in sec.get("files", {}).values()),
                     **{k: v for k, v in sec.get("remote", {}).items()
                        if k in ("doi", "share_link", "deposition_id", "published")}}
               for key, sec in journal.get("uploads", {}).items()}
    from depositdesk.packaging.checklist import items_for, read_ticks

    checklists = {target: {"ticked": read_ticks(folder, target),
                           "open": [i.key for i in items_for(target) if i.key not in read_ticks(folder, target)]}
                  for target in status["targets"]}
    if args.format == "json":
        print(json.dumps({"targets": status["targets"], "uploads": uploads, "checklist": checklists},
                         indent=1))
        return 0
    if not status["targets"] and not uploads:
        print("draft (nothing packaged or uploaded yet)")
    for target, record in status["targets"].items():
        print(f"{target}: {record['state']}")
        for key in ("doi", "share_link", "accession"):
            if record.get(key):
                print(f"  {key.replace('_', ' ')}: {record[key]}")
        ticked, left = len(checklists[target]["ticked"]), len(checklists[target]["open"])
        print(f"  checklist: {ticked} of {ticked + left} ticked"
              + (f" (open: {', '.join(checklists[target]['open'])})" if left else ""))
        for line in record.get("history", []):
            md5 = f"  [manifest {line['manifest_md5'][:8]}]" if line.get("manifest_md5") else ""
            print(f"  {line['when']}  {line['state']:10} {line['what']}{md5}")
    for key, up in uploads.items():
        print(f"upload {key}: {up['verified']} of {up['files']} files verified")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m depositdesk.packaging.upload_commands upload ...``: the same commands without
    loading the rest of the CLI (what a background upload process runs)."""
    parser = argparse.ArgumentParser(prog="depositdesk")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return _fail("interrupted")


if __name__ == "__main__":
    sys.exit(main())
