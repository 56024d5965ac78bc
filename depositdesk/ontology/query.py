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

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from depositdesk.ontology.model import TermHit, curie, fold, iri_for, words

EXACT, STARTS, WORDS = 0, 1, 2


@dataclass(frozen=True)
class Candidate:
    """A hit with the keys it is ranked by across ontologies."""

    tier: int
    rank: int          # the names row id: rank order within one ontology
    obsolete: bool
    pref: int
    kind: int
    length: int
    hit: TermHit

    def key(self) -> tuple[int, int, int, int, int]:
        """Current terms first; then exact > starts-with > words; preferred, labels, shorter first."""
        return (int(self.obsolete), self.tier, self.pref, self.kind, self.length)


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


class TermIndex:
    """Read-only access to one index file. One connection per thread (the caller keeps them)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        self.name = self.meta.get("name", path.stem)
        self.tree = self.meta.get("tree") == "1"
        self.prefixes = self.meta.get("prefixes", "").split()

    def close(self) -> None:
        self.conn.close()

    def _hit(self, row: tuple, matched: str) -> TermHit:
        accession, label, definition, obsolete, replaced_by, iri = row
        return TermHit(accession, label, self.name, matched, definition, bool(obsolete), replaced_by,
                       iri or iri_for(accession))

    # -- search -------------------------------------------------------------------------
    def _branch_sql(self, branch: Branch | None) -> tuple[str, tuple]:
        if branch is None:
            return "", ()
        if self.tree and branch.lo is not None:
            return " AND t.lo BETWEEN ? AND ?", (branch.lo, branch.hi)
        return (" AND (t.id = ? OR EXISTS (SELECT 1 FROM ancestry a WHERE a.term = t.id AND a.ancestor = ?))",
                (branch.term_id, branch.term_id))

    def candidates(self, text: str, tier: int, limit: int, branch: Branch | None = None) -> list[Candidate]:
        query_words = words(text)
        if not query_words:
            return []
        where, args = self._branch_sql(branch)
        if tier == EXACT:
            # the name starts with exactly these words and is no longer than they are (plus punctuation)
            match = "^" + _quote(" ".join(query_words))
            where += " AND length(n.name) <= ?"
            args = (*args, len(text) + 8)
        else:
            match = fts_starts(query_words) if tier == STARTS else fts_words(query_words)
        sql = (f"SELECT n.id, n.kind, n.pref, n.name, {_HIT_COLUMNS} FROM fts JOIN names n ON n.id = fts.rowid "
               f"JOIN terms t ON t.id = n.term WHERE fts MATCH ?{where} ORDER BY fts.rowid LIMIT ?")
        params = (match, *args, limit)
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing rather than failing the completer
        if tier == EXACT:
            wanted = " ".join(query_words)
            rows = [r for r in rows if fold(r[3]) == wanted]
        return [Candidate(tier, r[0], bool(r[7]), r[2], r[1], len(r[3]), self._hit(r[4:], r[3])) for r in rows]

    # -- lookups -------------------------------------------------------------------------
    def lookup(self, accession: str) -> TermHit | None:
        acc = curie(accession)
        row = self.conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM terms t WHERE t.accession = ? COLLATE NOCASE LIMIT 1", (acc,)
        ).fetchone()
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

    def is_under(self, accession: str, branch: Branch) -> bool:
        where, args = self._branch_sql(branch)
        row = self.conn.execute(f"SELECT 1 FROM terms t WHERE t.accession = ? COLLATE NOCASE{where}",
                                (curie(accession), *args)).fetchone()
        return row is not None

    def synonyms(self, accession: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT n.name FROM names n JOIN terms t ON t.id = n.term "
            "WHERE t.accession = ? COLLATE NOCASE AND n.kind = 1 ORDER BY n.id", (curie(accession),))]

    def parents(self, accession: str) -> list[TermHit]:
        rows = self.conn.execute(
            f"SELECT {_HIT_COLUMNS} FROM terms c JOIN parents p ON p.term = c.id "
            "JOIN terms t ON t.id = p.parent WHERE c.accession = ? COLLATE NOCASE", (curie(accession),))
        return [self._hit(r, r[1]) for r in rows]

    def term_count(self) -> int:
        return int(self.meta.get("terms", "0"))

