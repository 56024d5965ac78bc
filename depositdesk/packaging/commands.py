"""`depositdesk targets`: the target repositories DepositDesk can check a project against.

Exit codes as everywhere: 0 fine, 2 could not run (one line on stderr).
"""

from __future__ import annotations

import argparse
import json

from depositdesk.packaging.targets import Target, all_targets


def register(subparsers: argparse._SubParsersAction) -> None:
    targets = subparsers.add_parser(
        "targets", help="list the target repositories a project can be checked against (check --target)",
        description="List the target repositories: name, title, the template or API version the "
                    "requirements come from, access, required fields and columns, upload limits.")
    targets.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    targets.set_defaults(func=run_targets)


def describe(target: Target) -> dict:
    limits = {k: v for k, v in vars(target.limits).items() if v is not None}
    return {
        "name": target.name, "title": target.title, "source": target.source,
        "access": "public" if target.public else "controlled",
        "required_fields": [f.name for f in target.fields if f.required],
        "required_columns": [c.heading for c in target.columns if c.required and not c.one_of_group],
        "one_of_groups": sorted({c.one_of_group for c in target.columns if c.one_of_group}),
        "rules": len(target.rules), "file_rules": {k: v.label for k, v in target.file_rules.items()},
        "limits": limits, "transport": target.transport,
    }


def run_targets(args: argparse.Namespace) -> int:
    rows = [describe(t) for t in all_targets()]
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    for row in rows:
        access = "" if row["access"] == "public" else "  [controlled access]"
        print(f"{row['name']:16} {row['title']}{access}")
        print(f"{'':16} from: {row['source']}")
        print(f"{'':16} {len(row['required_fields'])} required IDF fields, "
              f"{len(row['required_columns'])} required SDRF columns, {row['rules']} further rules")
    return 0
