"""`TermService`: the one object the app, the CLI and the checks ask for terms.

It knows every source (starter set + the user's), where each index lives, which
are ready, and answers searches over any subset of them. Reading is thread-safe:
each thread gets its own read-only SQLite connections. Building runs as a
`depositdesk.progress` task so the app can drive it in a worker while searches
keep working on what is already built.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from depositdesk.ontology import building
from depositdesk.ontology.index import SCHEMA, BuildSummary, summary_of
from depositdesk.ontology.model import TermHit, curie, looks_like_accession, prefix_of
from depositdesk.ontology.query import EXACT, STARTS, WORDS, Branch, TermIndex, rank_key
from depositdesk.ontology.sources import Source, SourceRegistry, starter_sources
from depositdesk.progress import Task

READY, BUILDING, MISSING = "ready", "building", "missing"


@dataclass(frozen=True)
class TermDetails:
    term: TermHit
    synonyms: list[str]
    parents: list[TermHit]


def index_file_name(source: Source) -> str:
    """An index is named by its source's fingerprint and the schema, so either changing means a rebuild."""
    return f"{source.name}-{source.fingerprint}-s{SCHEMA}.sqlite"


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("depositdesk")) / "ontology"


SPECIES_SPECIFIC = frozenset({"ZFA", "ZFS", "FBbt", "FBdv", "WBbt", "WBls", "MmusDv", "HsapDv", "MA",
                              "EMAPA", "XAO", "TAO", "PO"})
"""Anatomies and stages of one organism: the cross-species ontology (UBERON, CL) is the one
an unrestricted search offers first for a word both have ("liver")."""


def ontology_weight(idx: TermIndex) -> int:
    """How far down an unrestricted search puts an ontology's matches of equal quality.

    The order of magnitude of its term count (UBERON, ~16 k terms, weighs 5; NCBITaxon,
    1.26 M taxa, most of them obscure genera, 7), two more for a one-species ontology. So for
    ``liv`` UBERON's "liver" comes before the genus "Livia", while an exact name (``rat``)
    or a common organism still wins over a prefix match, whatever ontology it is in.
    """
    try:
        terms = int(idx.meta.get("terms", 0))
    except ValueError:
        terms = 0
    return len(str(max(terms, 1))) + (2 if idx.name in SPECIES_SPECIFIC else 0)


def cross_rank_key(row: tuple, tier: int, weight: int, query_words: int) -> tuple[int, ...]:
    """Rank across ontologies. With a column (``weight`` 0) the index's own order, the column's
    ontologies in its order breaking ties. Without one: current terms, match quality (exact >
    starts > words; common taxa; label > synonym; fewest words beyond the typed ones), then the
    ontology's weight, then shorter names."""
    obsolete, tier_, pref, kind, length = rank_key(row, tier)
    if not weight:
        return (obsolete, tier_, pref, kind, length)
    extra = max(0, len(row[3].split()) - query_words)
    return (obsolete, tier_, pref, kind, extra, weight, length)


class TermService:
    def __init__(self, cache_dir: Path | None = None) -> None:
        self.root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.index_dir = self.root / "index"
        self.registry = SourceRegistry(self.root)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sources: dict[str, Source] | None = None
        self._building: set[str] = set()
        self._generation = 0  # bumped when sources or indexes change; threads then reopen theirs

    # -- sources and index files -------------------------------------------------------
    def sources(self) -> dict[str, Source]:
        """Every known ontology by name; a user's file overrides the starter source of that name."""
        with self._lock:
            if self._sources is None:
                found = {s.name: s for s in starter_sources(self.root / "checksums.json")}
                for s in self.registry.load():
                    for old in [k for k in found if k.lower() == s.name.lower()]:
                        del found[old]
                    found[s.name] = s
                self._sources = found
            return dict(self._sources)

    def forget_sources(self) -> None:
        """Re-read sources and reopen indexes (after a build or an added file)."""
        with self._lock:
            self._sources = None
            self._generation += 1

    def index_path(self, source: Source) -> Path:
        return self.index_dir / index_file_name(source)

    def _index_files(self) -> set[str]:
        """The file names in the index folder: one listing says which indexes are built or being built.

        The completer and the cell checks ask on every keystroke and cell: a stat and
        a lock-file read per ontology made `available()` ~0.35 ms with 21 sources;
        with the listing it is ~10 µs, and a search no longer stats every unbuilt index.
        """
        try:
            return set(os.listdir(self.index_dir))
        except OSError:
            return set()

    def resolve_names(self, names: Sequence[str] | None) -> list[str]:
        """Canonical names for names typed in any case; unknown names are kept as typed."""
        known = self.sources()
        if names is None:
            return list(known)
        by_lower = {k.lower(): k for k in known}
        return [by_lower.get(n.lower(), n) for n in names]

    def available(self) -> dict[str, str]:
        out = {}
        files = self._index_files()
        for name, source in self.sources().items():
            if index_file_name(source) in files:
                out[name] = READY
            elif name in self._building or (
                    building.lock_name(name) in files and building.is_locked(self.index_dir, name)):
                out[name] = BUILDING
            else:
                out[name] = MISSING
        return out

    def is_building(self) -> bool:
        return bool(self._building) or any(v == BUILDING for v in self.available().values())

    def _open_indexes(self) -> dict[str, TermIndex | None]:
        """This thread's open indexes by name; closed and emptied when sources or indexes changed."""
        local = self._local.__dict__
        if local.get("generation") != self._generation:
            for idx in local.get("indexes", {}).values():
                if idx is not None:
                    idx.close()
            local["indexes"], local["generation"] = {}, self._generation
        return local["indexes"]  # type: ignore[no-any-return]

    def _index(self, name: str) -> TermIndex | None:
        found = self._indexes([name])
        return found[0] if found else None

    def _indexes(self, ontologies: Sequence[str] | None) -> list[TermIndex]:
        """Open indexes of these ontologies; one not built yet is looked for again on the next call."""
        cache = self._open_indexes()
        names = self.resolve_names(ontologies)
        unopened = [n for n in names if cache.get(n) is None]
        if unopened:
            sources, files = self.sources(), self._index_files()
            for name in unopened:
                source = sources.get(name)
                file = index_file_name(source) if source else ""
                cache[name] = TermIndex(self.index_dir / file) if file in files else None
        return [idx for idx in (cache[n] for n in names) if idx is not None]

    def index_meta(self, name: str) -> dict[str, str]:
        """The metadata an index recorded (version, title, licence, notes); empty when not built."""
        idx = self._index(name)
        return dict(idx.meta) if idx else {}

    # -- queries -------------------------------------------------------------------------
    def search(self, text: str, ontologies: Sequence[str] | None = None, under: str | None = None,
               limit: int = 20) -> list[TermHit]:
        """Terms whose label or synonym starts with / contains the words of ``text``, best first."""
        text = text.strip()
        if not text or limit <= 0:
            return []
        indexes = self._indexes(ontologies)
        if looks_like_accession(text):
            hit = self.lookup(text, ontologies)
            return [hit] if hit else self._accession_prefix(indexes, text, limit)
        branches: dict[str, Branch] = {}
        if under:
            for idx in indexes:
                branch = idx.branch(under)
                if branch is not None:
                    branches[idx.name] = branch
            indexes = [i for i in indexes if i.name in branches]
        best: dict[str, tuple[tuple, TermIndex, tuple]] = {}
        per_index = limit + 4  # a term can match by label and synonyms; a few spare rows absorb that
        typed = len(text.split())
        for tier in (EXACT, STARTS, WORDS):
            for order, idx in enumerate(indexes):
                own_prefix = idx.name.lower()
                weight = 0 if ontologies is not None else ontology_weight(idx)
                for row in idx.rows(text, tier, per_index, branches.get(idx.name)):
                    acc = row[4]
                    own = 0 if acc.partition(":")[0].lower() == own_prefix else 1
                    key = (*cross_rank_key(row, tier, weight, typed), own, order, row[0])
                    if acc not in best or key < best[acc][0]:
                        best[acc] = (key, idx, row)
            if sum(not entry[0][0] for entry in best.values()) >= limit:
                break  # lower tiers cannot outrank what is found (obsolete terms rank last)
        ranked = sorted(best.values(), key=lambda entry: entry[0])[:limit]
        return [idx.hit_of(row) for _, idx, row in ranked]

    def _accession_prefix(self, indexes: list[TermIndex], text: str, limit: int) -> list[TermHit]:
        hits: list[TermHit] = []
        for idx in indexes:
            hits.extend(idx.accession_prefix(curie(text), limit - len(hits)))
            if len(hits) >= limit:
                break
        return hits

    def lookup(self, accession: str, ontologies: Sequence[str] | None = None) -> TermHit | None:
        """The term with this accession (CURIE, IRI or ``CL_0000084``), or None if no index has it."""
        accession = accession.strip()
        if not accession:
            return None
        prefix = prefix_of(curie(accession)).lower()
        indexes = self._indexes(ontologies)
        own = [i for i in indexes if i.name.lower() == prefix]
        holding = [i for i in indexes if i not in own and prefix in (p.lower() for p in i.prefixes)]
        if curie(accession).startswith(("http://", "https://")):
            holding = [i for i in indexes if i not in own]
        for idx in own + holding:
            hit = idx.lookup(accession)
            if hit is not None:
                return hit
        for idx in own + holding:
            hit = idx.lookup_alt(accession)
            if hit is not None:
                return hit
        return None

    def exact(self, label: str, ontologies: Sequence[str] | None = None) -> list[TermHit]:
        """Terms whose label (first) or synonym equals ``label``, ignoring case, accents and spacing."""
        found: list[tuple[tuple, TermIndex, tuple]] = []
        for order, idx in enumerate(self._indexes(ontologies)):
            for row in idx.rows(label, EXACT, 50):
                found.append(((*rank_key(row, EXACT), order, row[0]), idx, row))
        found.sort(key=lambda entry: entry[0])
        unique: dict[str, TermHit] = {}
        for _, idx, row in found:
            if row[4] not in unique:  # the accession
                unique[row[4]] = idx.hit_of(row)
        return list(unique.values())

    def is_under(self, accession: str, ancestor: str, ontologies: Sequence[str] | None = None) -> bool | None:
        """Whether ``accession`` is ``ancestor`` or below it; None when no index knows ``ancestor``."""
        for idx in self._indexes(ontologies):
            branch = idx.branch(ancestor)
            if branch is not None and idx.lookup(accession) is not None:
                return idx.is_under(accession, branch)
        return None

    def details(self, accession: str) -> TermDetails | None:
        """Everything `depositdesk ontology show` prints about one term."""
        hit = self.lookup(accession)
        if hit is None:
            return None
        idx = self._index(hit.ontology)
        synonyms = idx.synonyms(hit.accession) if idx else []
        parents = idx.parents(hit.accession) if idx else []
        return TermDetails(hit, synonyms, parents)

    # -- building --------------------------------------------------------------------------
    def build(self, names: Sequence[str] | None = None, force: bool = False,
              first: Sequence[str] = ()) -> Task[list[BuildSummary]]:
        """Build the indexes that are missing (all starter ontologies when ``names`` is None);
        ``first`` (the open project's column ontologies) start before the others."""
        known = self.sources()
        wanted = self.resolve_names(names) if names is not None else [
            n for n, s in known.items() if s.origin == "starter"]
        unknown = [n for n in wanted if n not in known]
        if unknown:
            raise KeyError(f"unknown ontology: {', '.join(unknown)} (see 'depositdesk ontology list')")
        jobs = [(known[n], self.index_path(known[n])) for n in wanted
                if force or not self.index_path(known[n]).is_file()]
        return self._run_builds(jobs, self.resolve_names(list(first)))

    def _run_builds(self, jobs: list[tuple[Source, Path]], first: Sequence[str] = ()) -> Task[list[BuildSummary]]:
        names = {s.name for s, _ in jobs}
        self._building |= names
        try:
            result = yield from building.build_all(self.index_dir, jobs, first)
        finally:
            self._building -= names
            self.forget_sources()
        return result

    def add_file(self, path: Path) -> Task[BuildSummary]:
        """Index an OBO or OWL file the user chose; keep a copy so it stays usable offline."""
        return (yield from self.add_source(building.prepare_file(self.registry, Path(path))))

    def add_source(self, source: Source) -> Task[BuildSummary]:
        """Index a prepared user/downloaded source, then list it (a file that fails is never listed)."""
        final = self.index_path(source)
        if final.is_file():  # the same file was indexed before: nothing to do
            summary = summary_of(final)
        else:
            (summary,) = yield from self._run_builds([(source, final)])
        self.registry.put(source)
        self.forget_sources()
        return summary
