"""The cross-line rules of GFF3: IDs, Parent links, multi-line features and CDS phases.

GFF3 allows forward references (a child before its parent) until the next
``###`` line or the end of the file, so the graph holds the current block's
IDs and settles everything when the block closes, then forgets them. Memory
is one small tuple per ID plus one per CDS part, released at every ``###``
(files from Ensembl and GenomeTools put one after every gene).

The CDS phase rule is GenomeTools' (``cds_check_visitor``): the CDS parts of
one parent (parts sharing one multi-line ID form their own group) are taken
in position order, reversed on the minus strand; the first may have any
defined phase, each next one must have ``(3 - (length - phase) % 3) % 3``
of the one before.
"""

from __future__ import annotations

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _gff3_codes as c

# ID -> (seqid, first line, type, raw Parent value or None)
IdEntry = tuple[str, int, str, str | None]
# one CDS part under a parent: (start, end, phase, line, strand, its own ID or None)
CdsPart = tuple[int, int, int, int, str, str | None]
# the CDS parts of one parent: a tuple while short, so that the garbage collector can stop tracking
# it (a file without '###' holds them all to the end, and growing tracked lists make the collector
# walk every ID again and again); a list once long, so that adding stays O(1)
CdsParts = tuple[CdsPart, ...] | list[CdsPart]
SHORT_CDS = 32


def add_cds_part(cds: dict[str, CdsParts], parent: str, part: CdsPart) -> None:
    parts = cds.get(parent)
    if parts is None:
        cds[parent] = (part,)
    elif type(parts) is tuple:
        cds[parent] = parts + (part,) if len(parts) < SHORT_CDS else [*parts, part]
    else:
        parts.append(part)  # type: ignore[union-attr]


class FeatureGraph:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ids: dict[str, IdEntry] = {}
        self.multi: set[str] = set()
        self.forward: list[tuple[str, int, str]] = []  # (parent ID, child line, child seqid)
        self.derives: list[tuple[str, int]] = []
        self.cds: dict[str, CdsParts] = {}
        self.blocks = 0
        self._report_order = ctx.enabled(c.PARENT_AFTER_CHILD)
        self.last_parents: str | None = None

    def add(self, seqid: str, type_: str, start: int, end: int, strand: str, phase: int,
            fid: str | None, parents: str | None, derives: str | None, line: int) -> None:
        """One feature line; ``parents``/``derives`` are the raw attribute values (comma lists)."""
        if parents is not None and parents == self.last_parents:
            parents = self.last_parents  # siblings share one string object (memory of files without ###)
        self.last_parents = parents
        if fid is not None:
            known = self.ids.get(fid)
            if known is None:
                self.ids[fid] = (seqid, line, type_, parents)
            else:
                self.another_part(fid, known, seqid, type_, parents, line)
        if parents is not None:
            is_cds = type_ == "CDS"
            for parent in (parents,) if "," not in parents else _values(parents):
                if parent == fid:
                    self.ctx.report(c.PARENT_SELF, f"feature '{fid}' is its own Parent", line=line, column=9)
                    continue
                known = self.ids.get(parent)
                if known is None:
                    self.forward.append((parent, line, seqid))
                elif known[0] != seqid:
                    self.seqid_mismatch(line, seqid, known)
                if is_cds:
                    add_cds_part(self.cds, parent, (start, end, phase, line, strand, fid))
        elif type_ == "CDS" and phase < 0:
            self.ctx.report(c.PHASE_MISSING, "CDS without a phase", line=line, column=8)
        if derives is not None:
            for target in _values(derives):
                if target not in self.ids:
                    self.derives.append((target, line))

    def another_part(self, fid: str, known: IdEntry, seqid: str, type_: str, parents: str | None,
                      line: int) -> None:
        self.multi.add(fid)
        first_seqid, first, first_type, first_parents = known
        if first_seqid != seqid:
            self.ctx.report(c.CHILD_SEQID, f"the feature with ID '{fid}' is on sequence '{seqid}' but its "
                            f"part on line {first} is on '{first_seqid}'", line=line, column=1)
        elif first_type != type_:
            self.ctx.report(c.MULTI_INCONSISTENT, f"the feature with ID '{fid}' has type '{type_}' but its "
                            f"part on line {first} has type '{first_type}'", line=line, column=3)
        elif parents != first_parents:
            self.ctx.report(c.MULTI_INCONSISTENT, f"the feature with ID '{fid}' has Parent "
                            f"'{parents or ''}' but its part on line {first} has '{first_parents or ''}'",
                            line=line, column=9)

    def seqid_mismatch(self, line: int, seqid: str, parent: IdEntry) -> None:
        self.ctx.report(c.CHILD_SEQID, f"this child is on sequence '{seqid}' but its parent on line "
                        f"{parent[1]} is on '{parent[0]}'", line=line, column=1)

    # -- settling a block -------------------------------------------------

    def close_block(self, why: str = "") -> None:
        """Resolve forward references, check cycles and phases, then forget the block."""
        self.blocks += 1
        if self.forward and self._resolve_forward(why):
            self._check_cycles()
        for target, line in self.derives:
            if target not in self.ids:
                self.ctx.report(c.DERIVES_UNDEFINED, f"Derives_from '{target}' is not the ID of any feature",
                                line=line, column=9)
        if self.cds:
            self._check_phases()
            self.cds = {}
        if self.ids:
            self.ids = {}
        if self.multi:
            self.multi = set()
        if self.forward:
            self.forward = []
        if self.derives:
            self.derives = []

    def _resolve_forward(self, why: str) -> bool:
        linked = False
        for parent, line, seqid in self.forward:
            known = self.ids.get(parent)
            if known is None:
                self.ctx.report(c.PARENT_UNDEFINED, f"Parent '{parent}' was not defined (no feature has "
                                f"ID={parent}{why})", line=line, column=9)
                continue
            linked = True
            if self._report_order:
                self.ctx.report(c.PARENT_AFTER_CHILD, f"Parent '{parent}' is only defined later, on line "
                                f"{known[1]}", line=line, column=9)
            if known[0] != seqid:
                self.seqid_mismatch(line, seqid, known)
        return linked

    def _check_cycles(self) -> None:
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for root, entry in self.ids.items():
            if root in state or not entry[3]:
                continue
            state[root] = 1
            stack = [(root, iter(_values(entry[3])))]
            while stack:
                node, parents = stack[-1]
                parent = next(parents, None)
                if parent is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(parent) == 1:
                    self.ctx.report(c.PARENT_CYCLE, f"linking '{node}' to its Parent '{parent}' makes a cycle",
                                    line=self.ids[node][1], column=9)
                    return
                elif parent not in state and parent in self.ids:
                    state[parent] = 1
                    stack.append((parent, iter(_values(self.ids[parent][3] or ""))))

    def _check_phases(self) -> None:
        ids, multi = self.ids, self.multi
        for parent, parts in self.cds.items():
            if parent not in ids:
                continue  # already reported as undefined
            if (len(parts) == 1 or len({part[5] for part in parts}) == 1
                    or len({part[5] if part[5] in multi else None for part in parts}) == 1):
                self._check_group(parts)  # the usual case: one group
                continue
            groups: dict[str | None, list[CdsPart]] = {}
            for part in parts:
                key = part[5] if part[5] in multi else None
                groups.setdefault(key, []).append(part)
            for group in groups.values():
                self._check_group(group)

    def _check_group(self, parts: CdsParts) -> None:
        ordered = sorted(parts)
        if ordered[0][4] == "-":
            ordered.reverse()
        expected = -1
        for i, (start, end, phase, line, _strand, _id) in enumerate(ordered):
            if (i == 0 and phase < 0) or (i > 0 and phase != expected):
                shown = "." if phase < 0 else str(phase)
                should = max(expected, 0)
                self.ctx.report(c.PHASE_WRONG, f"CDS has phase {shown}; after the CDS parts before it in the "
                                f"same transcript it should be {should}", line=line, column=8)
                phase = should
            expected = (3 - ((end - start + 1) - phase) % 3) % 3


def _values(text: str) -> list[str]:
    """The items of a comma-separated attribute value (empty items dropped)."""
    return [v for v in text.split(",") if v]
