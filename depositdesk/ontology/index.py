"""One ontology's term index on disk: SQLite with an FTS5 table, built once, read many times.

Layout (schema `SCHEMA`):
- ``terms``: one row per term (accession, label, definition, obsolete, replaced_by,
  iri, and ``lo``/``hi`` nested-set numbers when the ontology is a tree).
- ``names``: every label and synonym, **inserted in rank order** (non-obsolete
  first, preferred terms first, labels before synonyms, shorter first), so that
  FTS5, which returns matches in rowid order, returns the best ones first and a
  ``LIMIT`` stops early.
- ``fts``: FTS5 over ``names.name`` (external content) with prefix indexes, so
  ``"t" "ce"*`` is answered from the index, not by a scan.
- ``parents``: the direct is_a/part_of links of a DAG, indexed both ways (a tree
  keeps its single parent in ``terms.parent``). A branch
  ("descendants of X") of a DAG is walked down from X with a recursive query
  when first asked for and cached by the reader; trees (NCBITaxon, 1.26 M
  taxa) also get nested-set numbers, so "under Drosophila" is
  ``lo BETWEEN a AND b`` with no walk at all. (A stored closure was tried:
  64 MB for ChEBI alone, for no faster answers.)
- ``alt_ids``: secondary accessions pointing at their term.

A build writes ``<final>.tmp-<pid>`` and renames it only when complete, so a
killed build never leaves a file that looks finished.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path

from depositdesk.ontology.model import TermRecord, fold, iri_for, prefix_of
from depositdesk.progress import Progress

SCHEMA = 8
BATCH = 20_000

_DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE terms(id INTEGER PRIMARY KEY, accession TEXT NOT NULL, label TEXT NOT NULL,
                   definition TEXT NOT NULL, obsolete INTEGER NOT NULL, replaced_by TEXT,
                   iri TEXT NOT NULL, lo INTEGER, hi INTEGER, parent INTEGER);
CREATE TABLE names(id INTEGER PRIMARY KEY, term INTEGER NOT NULL, kind INTEGER NOT NULL,
                   pref INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE parents(term INTEGER NOT NULL, parent INTEGER NOT NULL,
                     PRIMARY KEY(term, parent)) WITHOUT ROWID;
CREATE TABLE alt_ids(accession TEXT NOT NULL, term INTEGER NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(name, content='names', content_rowid='id',
                                    tokenize="unicode61 remove_diacritics 2", prefix='1 2 3 4 5 6',
                                    columnsize=0, detail=full);
"""

_INDEXES = """
CREATE INDEX terms_accession ON terms(accession COLLATE NOCASE);
CREATE INDEX terms_iri ON terms(iri) WHERE iri != '';
CREATE INDEX names_lower ON names(lower(name));
CREATE INDEX names_term ON names(term);
CREATE INDEX parents_parent ON parents(parent);
CREATE INDEX terms_lo ON terms(lo) WHERE lo IS NOT NULL;
CREATE INDEX alt_ids_accession ON alt_ids(accession COLLATE NOCASE);
"""

LABEL, SYNONYM = 0, 1


@dataclass(frozen=True)
class BuildSummary:
    name: str
    path: Path
    terms: int
    names: int
    tree: bool
    notes: tuple[str, ...] = ()


def summary_of(path: Path) -> BuildSummary:
    """The summary of an index built earlier (read from its meta table)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    finally:
        conn.close()
    notes = tuple(filter(None, meta.get("notes", "").split("\n")))
    return BuildSummary(meta.get("name", path.stem), path, int(meta.get("terms", 0)),
                        int(meta.get("names", 0)), meta.get("tree") == "1", notes)


def temp_path_for(final: Path) -> Path:
    return final.with_name(f"{final.name}.tmp-{os.getpid()}")


def _open_for_build(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.executescript(_DDL)
    conn.execute("BEGIN")
    return conn


class _Builder:
    """Collects terms into a fresh database; names are held back until all are seen, to sort them."""

    def __init__(self, conn: sqlite3.Connection, preferred: frozenset[str],
                 unnamed: Callable[[str], object] | None = None) -> None:
        self.conn = conn
        self.preferred = preferred
        self.unnamed = unnamed
        self.hidden = 0
        self.ids: dict[str, int] = {}
        self.names: list[tuple[int, int, int, int, str, int]] = []
        self.parents: list[tuple[int, list[str]]] = []
        self.alt: list[tuple[str, int]] = []
        self.prefixes: dict[str, int] = {}
        self.rows: list[tuple[int, str, str, str, int, str | None, str]] = []

    def add(self, rec: TermRecord) -> None:
        accession = rec.accession
        if accession in self.ids:
            return
        term_id = len(self.ids) + 1
        self.ids[accession] = term_id
        prefix = accession.partition(":")[0] if ":" in accession else prefix_of(accession)
        self.prefixes[prefix] = self.prefixes.get(prefix, 0) + 1
        label = rec.label or accession
        obsolete = int(rec.obsolete)
        iri = rec.iri if rec.iri and rec.iri != iri_for(accession) else ""  # OBO PURLs are derived on read
        self.rows.append((term_id, accession, label, rec.definition, obsolete, rec.replaced_by, iri))
        pref = 0 if accession in self.preferred else 1
        if self.unnamed is not None and self.unnamed(label):
            self.hidden += 1  # kept for lookup by accession, not offered by name
        else:
            self.names.append((obsolete, pref, LABEL, len(label), label, term_id))
        if rec.synonyms and (self.unnamed is None or not self.unnamed(label)):
            seen = {fold(label)}
            for syn in rec.synonyms:
                key = fold(syn)
                if key and key not in seen:
                    seen.add(key)
                    self.names.append((obsolete, pref, SYNONYM, len(syn), syn, term_id))
        if rec.parents:
            self.parents.append((term_id, rec.parents))
        if rec.alt_ids:
            self.alt.extend((alt, term_id) for alt in rec.alt_ids)

    def parent_ids(self) -> dict[int, list[int]]:
        ids = self.ids
        out: dict[int, list[int]] = {}
        for term, parents in self.parents:
            found = [ids[p] for p in parents if p in ids and ids[p] != term]
            if found:
                out[term] = found
        return out


def _write_names(builder: _Builder) -> int:
    builder.names.sort()
    rows = ((i, term, kind, pref, name)
            for i, (_o, pref, kind, _n, name, term) in enumerate(builder.names, 1))
    builder.conn.executemany("INSERT INTO names VALUES (?,?,?,?,?)", rows)
    count = len(builder.names)
    builder.names = []
    builder.conn.execute("INSERT INTO fts(fts) VALUES('rebuild')")
    return count


def _nested_sets(parents: dict[int, list[int]], n_terms: int) -> tuple[list[int], list[int]]:
    """Pre-order numbers: a term's descendants are exactly the terms with lo in [lo, hi]."""
    children: dict[int, list[int]] = {}
    for term, (parent,) in parents.items():
        children.setdefault(parent, []).append(term)
    roots = [t for t in range(1, n_terms + 1) if t not in parents]
    lo = [0] * (n_terms + 1)
    hi = [0] * (n_terms + 1)
    counter = 0
    for root in roots:
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                hi[node] = counter
                continue
            counter += 1
            lo[node] = counter
            stack.append((node, True))
            stack.extend((child, False) for child in children.get(node, ()))
    return lo, hi


def _write_terms(builder: _Builder, parents: dict[int, list[int]], tree: bool) -> None:
    conn = builder.conn
    if tree:
        lo, hi = _nested_sets(parents, len(builder.ids))
        conn.executemany("INSERT INTO terms VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (row + (lo[row[0]], hi[row[0]], (parents.get(row[0]) or (None,))[0])
                          for row in builder.rows))
    else:
        conn.executemany("INSERT INTO terms VALUES (?,?,?,?,?,?,?,NULL,NULL,NULL)", builder.rows)
    builder.rows = []


def _write_hierarchy(builder: _Builder) -> bool:
    """Parents, and nested sets when every term has at most one parent. Returns whether it is a tree."""
    conn = builder.conn
    parents = builder.parent_ids()
    tree = all(len(ps) == 1 for ps in parents.values())
    if not tree:  # a tree keeps its one parent in the terms row
        conn.executemany("INSERT OR IGNORE INTO parents VALUES (?,?)",
                         ((t, p) for t, ps in parents.items() for p in ps))
    _write_terms(builder, parents, tree)
    conn.executemany("INSERT INTO alt_ids VALUES (?,?)",
                     ((a, t) for a, t in builder.alt if a not in builder.ids))
    return tree


def build_index(
    final: Path,
    meta: dict[str, str],
    records: Iterable[TermRecord],
    preferred: frozenset[str] = frozenset(),
    unnamed: Callable[[str], object] | None = None,
    total: int | None = None,
    notes: Callable[[], list[str]] | None = None,
) -> Generator[Progress, None, BuildSummary]:
    """Write an index for ``records`` at ``final`` (atomically). Yields progress in terms."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(final)
    tmp.unlink(missing_ok=True)
    conn = _open_for_build(tmp)
    name = meta.get("name", final.stem)
    try:
        builder = _Builder(conn, preferred, unnamed)
        for i, rec in enumerate(records, 1):
            builder.add(rec)
            if i % BATCH == 0:
                yield Progress(i, total, f"{name}: reading terms", unit="terms")
        n_terms = len(builder.ids)
        yield Progress(n_terms, total, f"{name}: indexing names", unit="terms")
        n_names = _write_names(builder)
        yield Progress(n_terms, total, f"{name}: hierarchy", unit="terms")
        tree = _write_hierarchy(builder)
        for statement in filter(str.strip, _INDEXES.split(";")):
            conn.execute(statement)
        extra = {
            "schema": str(SCHEMA), "terms": str(n_terms), "names": str(n_names), "tree": "1" if tree else "0",
            "prefixes": " ".join(sorted(builder.prefixes, key=lambda p: -builder.prefixes[p])),
        }
        note_list = notes() if notes else []
        if note_list:
            extra["notes"] = "\n".join(note_list)
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", {**meta, **extra}.items())
        conn.execute("COMMIT")
        conn.execute("INSERT INTO fts(fts) VALUES('optimize')")
        conn.close()
        os.replace(tmp, final)
        return BuildSummary(name, final, n_terms, n_names, tree, tuple(note_list))
    finally:
        if tmp.exists():  # not renamed: an error or a cancel (GeneratorExit) on the way
            conn.close()
            tmp.unlink(missing_ok=True)
