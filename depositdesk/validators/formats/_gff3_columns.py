"""Checks of the nine columns of one GFF3 feature line (no knowledge of other lines).

`check_feature` returns a `Feature` (the few fields the cross-line checks
need) or None when the line is too broken to take part in them. Findings go
straight to the context. Rules and wording follow GenomeTools' GFF3 parser,
which the ``spec`` profile agrees with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _gff3_codes as c

MAX_COORD = 2**63 - 1
STRANDS = frozenset("+-.?")
PHASES = {".": -1, "0": 0, "1": 1, "2": 2}
RESERVED_TAGS = frozenset({"ID", "Name", "Alias", "Parent", "Target", "Gap", "Derives_from",
                           "Note", "Dbxref", "Ontology_term", "Is_circular"})
SEQID_OK = re.compile(r"[a-zA-Z0-9.:^*$@!+_?|%-]+")
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
MD5_SEQID = re.compile(r"md5:[0-9A-Fa-f]{32}")
PROTEIN_MATCHES = frozenset({"protein_match", "SO:0000349", "translated_nucleotide_match", "SO:0000181",
                             "protein_hmm_match", "SO:0001831"})


@dataclass(frozen=True)
class SoTerms:
    names: frozenset[str]
    accessions: frozenset[str]
    synonyms: dict[str, str]  # synonym -> term name


@lru_cache(maxsize=1)
def so_terms() -> SoTerms:
    """The Sequence Ontology names shipped as package data (see data/build_so_terms.py)."""
    text = resources.files("depositdesk.validators.data").joinpath("so_terms.tsv").read_text("utf-8")
    names: set[str] = set()
    accessions: set[str] = set()
    synonyms: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        accession, name, syns = (line.split("\t") + ["", ""])[:3]
        names.add(name)
        accessions.add(accession)
        for syn in filter(None, syns.split("|")):
            synonyms.setdefault(syn, name)
    return SoTerms(frozenset(names), frozenset(accessions), synonyms)


# what the cross-line checks need of a good feature line:
# (seqid, type, start, end, strand, phase (-1 for '.'), ID, raw Parent, raw Derives_from)
Feature = tuple[str, str, int, int, str, int, str | None, str | None, str | None]


class ColumnChecker:
    """Column checks with small caches for values that repeat on most lines (types, tags)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # checked values -> one shared string object, so that a million features on "chr1" keep one "chr1"
        self.types_seen: dict[str, str] = {}
        self.seqids_seen: dict[str, str] = {}
        self._tags_ok: set[str] = set()  # tags already found well-formed (checked once each)
        self.sources_seen: set[str] = set()
        self.circular: set[str] = set()  # seqids declared circular (Is_circular=true)

    # -- one line ---------------------------------------------------------

    def check_feature(self, cols: list[str], line: int) -> Feature | None:
        seqid, source, type_, start_s, end_s, score, strand, phase_s, attrs = cols
        if source not in self.sources_seen:
            self._check_source(source, line)
        known = self.seqids_seen.get(seqid)
        if known is None:
            self._check_seqid(seqid, line)
        else:
            seqid = known
        kind = self.types_seen.get(type_)
        if kind is None:
            self._check_type(type_, line)
        else:
            type_ = kind
        span: tuple[int, int] | None
        if (start_s.isdigit() and end_s.isdigit() and start_s.isascii() and end_s.isascii()
                and len(start_s) <= 18 and len(end_s) <= 18):
            span = (int(start_s), int(end_s))
            if not 1 <= span[0] <= span[1] <= MAX_COORD:
                span = self._span(start_s, end_s, line)
        else:
            span = self._span(start_s, end_s, line)
        if score != "." and not _is_number(score):
            self.ctx.report(c.SCORE_INVALID, f"score '{score}' is not a number or '.'", line=line, column=6)
        strand_ok = strand in STRANDS
        if not strand_ok:
            self.ctx.report(c.STRAND_INVALID, f"strand '{strand}' is not one of + - . ?", line=line, column=7)
        phase = PHASES.get(phase_s)
        if phase is None:
            self.ctx.report(c.PHASE_INVALID, f"phase '{phase_s}' is not one of 0 1 2 .", line=line, column=8)
            phase = -1
        tags = self.attributes(attrs, line)
        if tags is None or span is None or not strand_ok:
            return None
        if "Is_circular" in tags:
            self.circular.add(seqid)
        if "Gap" in tags:
            problem = gap_problem(tags["Gap"], type_ in PROTEIN_MATCHES, span[1] - span[0] + 1)
            if problem:
                self.ctx.report(c.GAP_INVALID, f"Gap={tags['Gap']}: {problem}", line=line, column=9)
        return (seqid, type_, span[0], span[1], strand, phase, tags.get("ID"), tags.get("Parent"),
                tags.get("Derives_from"))

    def _span(self, start_s: str, end_s: str, line: int) -> tuple[int, int] | None:
        """(start, end), or None with findings, for columns 4 and 5 that are not plainly fine."""
        first = self._coordinate(start_s, line, 4)
        last = self._coordinate(end_s, line, 5)
        if first is None or last is None:
            return None
        if first > last:
            self.ctx.report(c.START_AFTER_END, f"start {first} is larger than end {last}", line=line, column=4)
            return None
        return first, last

    def _coordinate(self, text: str, line: int, column: int) -> int | None:
        name = "start" if column == 4 else "end"
        try:
            value = int(text) if text.isascii() else None
        except ValueError:
            value = None
        if value is None or not text.lstrip("+-").isdigit():
            self.ctx.report(c.COORD_NOT_INTEGER, f"{name} '{text}' is not a whole number", line=line, column=column)
            return None
        if value < 1:
            self.ctx.report(c.COORD_ZERO, f"illegal feature {name} {value} (GFF3 positions start at 1)",
                            line=line, column=column)
            return None
        if value > MAX_COORD:
            self.ctx.report(c.COORD_NOT_INTEGER, f"{name} {text} is out of range", line=line, column=column)
            return None
        return value

    def _check_seqid(self, seqid: str, line: int) -> None:
        if seqid.startswith("md5:") and not _md5_seqid_ok(seqid, self.ctx, line):
            return  # reported; checked again on its next line, which is fine
        self.seqids_seen[seqid] = seqid
        if not seqid or SEQID_OK.fullmatch(seqid) is None or seqid.startswith(">"):
            self.ctx.report(c.ESCAPE, f"seqid '{seqid}' holds characters GFF3 requires to be escaped",
                            line=line, column=1)
        elif "%" in seqid and BAD_ESCAPE.search(seqid):
            self.ctx.report(c.ESCAPE, f"seqid '{seqid}' has a '%' that does not start a %XX escape",
                            line=line, column=1)

    def _check_source(self, source: str, line: int) -> None:
        """Column 2 may hold any text but must escape '%' and control characters (checked once per value)."""
        if len(self.sources_seen) < 10_000:
            self.sources_seen.add(source)
        if BAD_ESCAPE.search(source) or not source.isprintable():
            self.ctx.report(c.ESCAPE, f"source '{source}' has a '%' that does not start a %XX escape or a control "
                            "character", line=line, column=2)

    def _check_type(self, type_: str, line: int) -> None:
        self.types_seen[type_] = type_
        terms = so_terms()
        if type_ in terms.names or type_ in terms.accessions:
            return
        if type_ in terms.synonyms:
            self.ctx.report(c.TYPE_SYNONYM, f"type '{type_}' is a synonym of the SO term '{terms.synonyms[type_]}'",
                            line=line, column=3)
        else:
            self.ctx.report(c.TYPE_UNKNOWN, f"type '{type_}' is not a Sequence Ontology term name or accession",
                            line=line, column=3)

    # -- column 9 ---------------------------------------------------------

    def attributes(self, text: str, line: int) -> dict[str, str] | None:
        """Tag -> raw value of column 9; None when the column is broken."""
        if text == ".":
            return {}
        tags: dict[str, str] = {}
        tokens = text.split(";")
        if tokens[0] == "." and any(tokens[1:]):
            self.ctx.report(c.ATTRIBUTE_SYNTAX, "attributes continue after a leading '.'", line=line, column=9)
            return None
        tags_ok = self._tags_ok
        for token in tokens:
            tag, eq, value = token.partition("=")
            if tag in tags_ok and value and "=" not in value and tag not in tags:
                tags[tag] = value  # the common case: a known-good tag with one value
            elif not self._token(token, tags, line):
                return None
        if "%" in text or "&" in text or not text.isprintable():
            for tag, value in tags.items():
                self._check_escapes(tag, value, line)
        special = "Is_circular" in tags or "Target" in tags or "," in tags.get("Parent", "")
        if (special or "Derives_from" in tags) and not self._reserved_values_ok(tags, line):
            return None
        return tags

    def _token(self, token: str, tags: dict[str, str], line: int) -> bool:
        """The careful reading of one tag=value token (blank tokens are allowed and skipped)."""
        if not token or token.isspace():
            return True
        tag, eq, value = token.partition("=")
        if not eq or "=" in value:
            self.ctx.report(c.ATTRIBUTE_SYNTAX, f"'{token}' does not contain exactly one '='", line=line, column=9)
            return False
        if not tag or not value:
            what = "tag" if not tag else "value"
            self.ctx.report(c.ATTRIBUTE_EMPTY, f"attribute '{token}' has no {what}", line=line, column=9)
            return False
        if tag in tags:
            self.ctx.report(c.ATTRIBUTE_REPEATED, f"more than one {tag} attribute", line=line, column=9)
            return False
        if tag[0].isupper() and tag not in RESERVED_TAGS:
            self.ctx.report(c.ATTRIBUTE_RESERVED, f"'{tag}' starts with an uppercase letter but is not a "
                            "reserved GFF3 tag", line=line, column=9)
            return False
        tags[tag] = value
        if len(self._tags_ok) < 10_000:
            self._tags_ok.add(tag)
        return True

    def _check_escapes(self, tag: str, value: str, line: int) -> None:
        if "%" not in value and "&" not in value and value.isprintable():
            return
        if BAD_ESCAPE.search(value):
            problem = "a '%' that does not start a %XX escape"
        elif "&" in value:
            problem = "an unescaped '&' (write %26)"
        elif not value.isprintable():
            problem = "a control character"
        else:
            return
        self.ctx.report(c.ESCAPE, f"the value of {tag} has {problem}", line=line, column=9)

    def _reserved_values_ok(self, tags: dict[str, str], line: int) -> bool:
        circular = tags.get("Is_circular")
        if circular is not None and circular != "true":
            self.ctx.report(c.ATTRIBUTE_VALUE, f"Is_circular is '{circular}'; the only allowed value is 'true'",
                            line=line, column=9)
            return False
        for tag in ("Parent", "Derives_from"):
            if "," in tags.get(tag, "") and "" in tags[tag].split(","):
                self.ctx.report(c.ATTRIBUTE_EMPTY, f"{tag}={tags[tag]} has an empty item in its list",
                                line=line, column=9)
                return False
        target = tags.get("Target")
        return target is None or self._target_ok(target, line)

    def _target_ok(self, target: str, line: int) -> bool:
        for value in target.split(","):
            parts = value.split(" ")
            if len(parts) not in (3, 4):
                self.ctx.report(c.ATTRIBUTE_VALUE, f"Target '{value}' must be 'target_id start end [strand]'",
                                line=line, column=9)
                return False
            if parts[0].startswith("md5:") and not _md5_seqid_ok(parts[0], self.ctx, line):
                return False
            start = self._coordinate(parts[1], line, 4)
            end = self._coordinate(parts[2], line, 5)
            if start is None or end is None:
                return False
            if start > end:
                self.ctx.report(c.START_AFTER_END, f"Target start {start} is larger than its end {end}",
                                line=line, column=9)
                return False
        return True  # the optional strand is not checked: GenomeTools takes '.' there too


def gap_problem(gap: str, protein: bool, length: int) -> str:
    """What is wrong with a Gap alignment (GFF3 spec, Exonerate's CIGAR-like codes), or ''.

    M, I, D count bases (amino acids in protein matches, where F/R shift the
    frame by one base); the reference bases they cover (M + D, times 3 plus
    F minus R for proteins) must be the feature's length. As in GenomeTools
    with -typecheck.
    """
    covered = 0
    for op in gap.split():
        code, count = op[:1], op[1:]
        if not code or code not in "MIDFR":
            return f"'{op}' is not an edit operation (M, I, D, F or R followed by a length)"
        if not count:
            return f"edit operation '{op}' has no length"
        if not (count.isascii() and count.isdigit()) or len(count) > 18:
            return f"cannot read the length of edit operation '{op}'"
        if code in "FR" and not protein:
            return f"frameshift '{op}' is only allowed in nucleotide-to-protein matches"
        n = int(count)
        if code in "MD":
            covered += 3 * n if protein else n
        elif code in "FR":
            covered += n if code == "F" else -n
    if covered != length:
        return f"the alignment covers {covered} reference bases but the feature is {length} long"
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _md5_seqid_ok(seqid: str, ctx: Context, line: int) -> bool:
    if MD5_SEQID.match(seqid) is None:
        problem = "does not have 32 hexadecimal digits after 'md5:'"
    elif len(seqid) < 37 or seqid[36] != ":":
        problem = f"has wrong separator '{seqid[36:37]}' (must be ':')"
    elif len(seqid) == 37:
        problem = "has no sequence name after the separator ':'"
    else:
        return True
    ctx.report(c.SEQID_MD5, f"MD5 sequence ID '{seqid}' {problem}", line=line, column=1)
    return False
