"""Reading one ontology's index: prefix search, exact lookup, accession lookup, branches.

A query is answered in tiers, each a short indexed statement whose rows come back
already in rank order (see `depositdesk.ontology.index`):

1. exact — the folded text equals a label or synonym (B-tree on ``names.fold``);
2. starts — the name starts with the query words (FTS5 ``^"w1 w2"*``);
3. words — every word appears, the last one as a prefix (FTS5 ``"w1" "w2"*``).

The caller merges tiers over several ontologies; a lower tier is only asked for
when the higher ones did not fill the limit.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from depositdesk.ontology.model import TermHit, curie, fold, iri_for, words

EXACT, STARTS, WORDS = 0, 1, 2


def rank_key(row: tuple, tier: int) -> tuple[int, int, int, int, int]:
    """How a row of `TermIndex.rows` ranks across ontologies: current terms first; then
    exact > starts-with > words; preferred, labels, shorter first."""
    return (row[7], tier, row[2], row[1], len(row[3]))


@dataclass(frozen=True)
class Branch:
    """The descendants (and self) of one term, as this index can test them."""

    term_id: int
    lo: int | None
    hi: int | None


_HIT_COLUMNS = "t.accession, t.label, t.definition, t.obsolete, t.replaced_by, t.iri"


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts_starts(query_words: list[str]) -> str:
    return "^" + _quote(" ".join(query_words)) + "*"


def fts_words(query_words: list[str]) -> str:
    *head, last = query_words
    return " ".join([*(_quote(w) for w in head), _quote(last) + "*"])


@dataclass(frozen=True)
class _BranchData:
    descendants: frozenset[int] | None      # None for a tree: nested sets answer instead
    names: list[tuple] | None               # a small branch's names in rank order, folded


SMALL_BRANCH = 8000     # names; a branch with fewer is searched in memory (cached)
MAX_SCAN = 50_000       # rows of a large DAG branch's matches read before giving up
_DESCENDANTS = """WITH RECURSIVE d(x) AS (SELECT ? UNION SELECT p.term FROM parents p JOIN d ON p.parent = d.x)
SELECT x FROM d"""


class TermIndex:
    """Read-only access to one index file. One connection per thread (the caller keeps them)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        self.name = self.meta.get("name", path.stem)
        self.tree = self.meta.get("tree") == "1"
        self.prefixes = self.meta.get("prefixes", "").split()
        self._branches: dict[int, _BranchData] = {}

    def close(self) -> None:
        self.conn.close()

    def _hit(self, row: tuple, matched: str) -> TermHit:
        accession, label, definition, obsolete, replaced_by, iri = row
        return TermHit(accession, label, self.name, matched, definition, bool(obsolete), replaced_by,
                       iri or iri_for(accession))

    # -- branches --------------------------------------------------------------------------
    def _branch_data(self, branch: Branch) -> _BranchData:
        """Descendants of a branch (DAGs) and, for a small branch, its names in rank order (cached)."""
        data = self._branches.get(branch.term_id)
        if data is not None:
            return data
        if self.tree and branch.lo is not None:
            descendants = None
            sql = ("SELECT n.id, n.kind, n.pref, n.name, n.term FROM terms t JOIN names n ON n.term = t.id "
                   "WHERE t.lo BETWEEN ? AND ? ORDER BY n.id")
            args: tuple = (branch.lo, branch.hi)
            (count,) = self.conn.execute(  # bounded: a huge branch is not counted to the end
                "SELECT count(*) FROM (SELECT 1 FROM terms t JOIN names n ON n.term = t.id "
                "WHERE t.lo BETWEEN ? AND ? LIMIT ?)", (*args, SMALL_BRANCH)).fetchone()
            small = count < SMALL_BRANCH
        else:
            descendants = frozenset(r[0] for r in self.conn.execute(_DESCENDANTS, (branch.term_id,)))
            small = len(descendants) < SMALL_BRANCH
            sql = ("SELECT n.id, n.kind, n.pref, n.name, n.term FROM names n "
                   "WHERE n.term IN (SELECT value FROM json_each(?)) ORDER BY n.id")
            args = (json.dumps(sorted(descendants)),)
        names = [(*row, fold(row[3])) for row in self.conn.execute(sql, args)] if small else None
        data = _BranchData(descendants, names)
        if len(self._branches) >= 16:
            self._branches.pop(next(iter(self._branches)))
        self._branches[branch.term_id] = data
        return data

    def is_under(self, accession: str, branch: Branch) -> bool:
        row = self.conn.execute("SELECT id, lo FROM terms WHERE accession = ? COLLATE NOCASE",
                                (curie(accession),)).fetchone()
        if row is None:
            return False
        if self.tree and branch.lo is not None and row[1] is not None:
            return branch.lo <= row[1] <= (branch.hi or branch.lo)
        descendants = self._branch_data(branch).descendants
        return descendants is not None and row[0] in descendants

    # -- search -------------------------------------------------------------------------
    def hit_of(self, row: tuple) -> TermHit:
        """The hit for a row of `rows` (built only for the rows that make the final list)."""
        return self._hit(row[4:10], row[3])

    def rows(self, text: str, tier: int, limit: int, branch: Branch | None = None) -> list[tuple]:
        """Matches of one tier in rank order: (name id, kind, pref, name, accession, label, definition,
        obsolete, replaced_by, iri, term id)."""
        query_words = words(text)
        if not query_words:
            return []
        data = self._branch_data(branch) if branch is not None else None
        if data is not None and data.names is not None:
            rows = self._match_in_memory(data.names, query_words, tier, limit)
        else:
            try:
                rows = self._match_sql(text, query_words, tier, limit, branch, data)
            except sqlite3.OperationalError:
                return []  # a query FTS5 cannot parse finds nothing rather than failing the completer
        return rows

    def _match_sql(self, text: str, query_words: list[str], tier: int, limit: int,
                   branch: Branch | None, data: _BranchData | None) -> list[tuple]:
        where, args = "", ()  # type: tuple[str, tuple]
        if branch is not None and self.tree and branch.lo is not None:
            where, args = " AND t.lo BETWEEN ? AND ?", (branch.lo, branch.hi)
        if tier == EXACT:
            sql = (f"SELECT n.id, n.kind, n.pref, n.name, {_HIT_COLUMNS}, n.term FROM names n JOIN terms t ON t.id = n.term "
                   f"WHERE lower(n.name) = ?{where} ORDER BY n.id")
            params: tuple = (" ".join(text.lower().split()), *args)
        else:
            match = fts_starts(query_words) if tier == STARTS else fts_words(query_words)
            sql = (f"SELECT n.id, n.kind, n.pref, n.name, {_HIT_COLUMNS}, n.term FROM fts JOIN names n ON n.id = fts.rowid "
                   f"JOIN terms t ON t.id = n.term WHERE fts MATCH ?{where} ORDER BY fts.rowid")
            params = (match, *args)
        cursor = self.conn.execute(sql, params)
        if data is None or data.descendants is None:
            return cursor.fetchmany(limit)
        # a large DAG branch: read matches in rank order, keep those inside, stop early
        rows = []
        for scanned, row in enumerate(cursor):
            if row[10] in data.descendants:
                rows.append(row)
                if len(rows) >= limit:
                    break
            if scanned > MAX_SCAN:
                break
        return rows

    def _match_in_memory(self, names: list[tuple], query_words: list[str], tier: int, limit: int) -> list[tuple]:
        joined = " ".join(query_words)
        *head, last = query_words
        picked = []
        for name_id, kind, pref, name, term, folded in names:
            if tier == EXACT:
                ok = folded == joined
            elif tier == STARTS:
                ok = folded.startswith(joined)
            else:
                tokens = folded.split()
                ok = all(h in tokens for h in head) and any(t.startswith(last) for t in tokens)
            if ok:
                picked.append((name_id, kind, pref, name, term))
                if len(picked) >= limit:
                    break
        out = []
        for name_id, kind, pref, name, term in picked:
            row = self.conn.execute(f"SELECT {_HIT_COLUMNS} FROM terms t WHERE t.id = ?", (term,)).fetchone()
            out.append((name_id, kind, pref, name, *row, term))
        return out

    # -- lookups -------------------------------------------------------------------------
    def lookup(self, accession: str) -> TermHit | None:
        row = None
        raw = accession.strip()
        # CVCL_0030 is stored as Cellosaurus writes it; people also write CVCL:0030
        for form in dict.fromkeys((raw, curie(raw), raw.replace(":", "_", 1))):
            row = self.conn.execute(
                f"SELECT {_HIT_COLUMNS} FROM terms t WHERE t.accession = ? COLLATE NOCASE LIMIT 1", (form,)
            ).fetchone()
            if row is not None:
                break
        if row is None and accession.startswith(("http://", "https://")):
            row = self.conn.execute(f"SELECT {_HIT_COLUMNS} FROM terms t WHERE t.iri = ? LIMIT 1",
                                    (accession.strip(),)).fetchone()
        if row is None:
            return None
        return self._hit(row, row[1])

    def accession_prefix(self, text: str, limit: int) -> list[TermHit]:
        """Terms whose accession starts with ``text`` (typing ``CL:00000`` lists CL:0000000 ...)."""
        if limit <= 0:
            return []
        rows = self.conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM terms t WHERE t.accession >= ? COLLATE NOCASE "
            "AND t.accession < ? COLLATE NOCASE ORDER BY t.accession COLLATE NOCASE LIMIT ?",
            (text, text + "\uffff", limit)).fetchall()
        return [self._hit(r, r[1]) for r in rows]

    def lookup_alt(self, accession: str) -> TermHit | None:
        """The term that lists ``accession`` as an alt_id (a merged, secondary accession)."""
        row = self.conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM alt_ids a JOIN terms t ON t.id = a.term "
            "WHERE a.accession = ? COLLATE NOCASE LIMIT 1", (curie(accession),)).fetchone()
        return self._hit(row, row[1]) if row else None

    def branch(self, accession: str) -> Branch | None:
        row = self.conn.execute("SELECT id, lo, hi FROM terms WHERE accession = ? COLLATE NOCASE",
                                (curie(accession),)).fetchone()
        return Branch(*row) if row else None

    def synonyms(self, accession: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT n.name FROM names n JOIN terms t ON t.id = n.term "
            "WHERE t.accession = ? COLLATE NOCASE AND n.kind = 1 ORDER BY n.id", (curie(accession),))]

    def parents(self, accession: str) -> list[TermHit]:
        link = ("JOIN terms t ON t.id = c.parent" if self.tree else
                "JOIN parents p ON p.term = c.id JOIN terms t ON t.id = p.parent")
        rows = self.conn.execute(f"SELECT {_HIT_COLUMNS} FROM terms c {link} WHERE c.accession = ? COLLATE NOCASE",
                                 (curie(accession),))
        return [self._hit(r, r[1]) for r in rows]

