"""The experiment graph of BIR-TAB: materials and files as nodes, protocol applications as edges.

Each SDRF row is a path read left to right. A node column (Source Name,
Sample Name, ..., or a file column) with a value is a node; the Protocol REFs
met since the previous node, with their Parameter Values, are the edge that
leads to it. Rows share nodes by name, so the graph is the union of the rows'
paths (materials by column and name, files by name alone): branches (one BAM → a peak file and a signal track) and joins (ChIP
and input BAMs → one peak file) come out as they are. No microarray order is
assumed, which is BIR-TAB's generalisation of MAGE-TAB.

Comment[...] file columns (Comment[FASTQ_URI], Comment[SUBMITTED_FILE_NAME])
are attributes of the node before them in MAGE-TAB: they become file nodes
hanging off that node, without moving the path on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field

from depositdesk.magetab.sdrf import Sdrf

NodeKey = tuple[str, str]   # (node column such as 'Source Name', or 'file'; name)


@dataclass
class GraphNode:
    """A material (Source Name, Sample Name, ...) or a file, with its attributes (first value seen)."""

    key: NodeKey
    kind: str                       # the column: 'Source Name', 'Array Data File', 'Comment[FASTQ_URI]', ...
    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)   # 0-based SDRF rows through this node

    @property
    def is_file(self) -> bool:
        return self.key[0] == "file"


@dataclass(frozen=True)
class ProtocolApplication:
    """One Protocol REF of a row with the Parameter Values (and Performer, Date) that follow it."""

    protocol: str
    parameters: tuple[tuple[str, str], ...] = ()

    def parameter(self, name: str) -> str | None:
        for key, value in self.parameters:
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class Step:
    """An edge: ``source`` --protocols--> ``target``."""

    source: GraphNode
    target: GraphNode
    protocols: tuple[ProtocolApplication, ...]

    @property
    def protocol_names(self) -> list[str]:
        return [p.protocol for p in self.protocols]


class ExperimentGraph:
    """Nodes and steps of one or more SDRFs; `trace` walks a file back to its source."""

    def __init__(self) -> None:
        self.nodes: dict[NodeKey, GraphNode] = {}
        self._steps: dict[tuple[NodeKey, NodeKey, tuple[ProtocolApplication, ...]], Step] = {}
        self._inputs: dict[NodeKey, list[Step]] = {}

    def node(self, key: NodeKey, kind: str, row: int) -> GraphNode:
        node = self.nodes.get(key)
        if node is None:
            node = self.nodes[key] = GraphNode(key, kind, key[1])
        if not node.rows or node.rows[-1] != row:
            node.rows.append(row)
        return node

    def connect(self, source: GraphNode, target: GraphNode, protocols: Iterable[ProtocolApplication]) -> None:
        applied = tuple(protocols)
        ident = (source.key, target.key, applied)
        if ident not in self._steps and source.key != target.key:
            step = self._steps[ident] = Step(source, target, applied)
            self._inputs.setdefault(target.key, []).append(step)

    @property
    def steps(self) -> list[Step]:
        return list(self._steps.values())

    def inputs(self, node: GraphNode) -> list[Step]:
        return list(self._inputs.get(node.key, []))

    def outputs(self, node: GraphNode) -> list[Step]:
        return [s for s in self._steps.values() if s.source.key == node.key]

    def sources(self) -> list[GraphNode]:
        return [n for n in self.nodes.values() if not n.is_file and n.key not in self._inputs]

    def files(self) -> list[GraphNode]:
        return [n for n in self.nodes.values() if n.is_file]

    def find_file(self, name: str) -> GraphNode | None:
        return self.nodes.get(("file", name.strip()))

    def trace(self, file_name: str) -> list[Step]:
        """Steps from the source material to the file, in order; the first input wins at joins.

        Raises KeyError when no file of that name is in the graph.
        """
        node = self.find_file(file_name)
        if node is None:
            raise KeyError(f"no file named {file_name!r} in the SDRF")
        path: list[Step] = []
        seen = {node.key}
        while self._inputs.get(node.key):
            step = self._inputs[node.key][0]
            if step.source.key in seen:      # a cycle in a malformed SDRF: stop, do not loop
                break
            seen.add(step.source.key)
            path.append(step)
            node = step.source
        return list(reversed(path))

    def lineage(self, file_name: str) -> list[Step]:
        """Every step upstream of a file (all inputs at joins), nearest first."""
        node = self.find_file(file_name)
        if node is None:
            raise KeyError(f"no file named {file_name!r} in the SDRF")
        out: list[Step] = []
        todo, seen = [node.key], {node.key}
        while todo:
            for step in self._inputs.get(todo.pop(0), []):
                out.append(step)
                if step.source.key not in seen:
                    seen.add(step.source.key)
                    todo.append(step.source.key)
        return out


def build_graph(sdrfs: Sdrf | Iterable[Sdrf]) -> ExperimentGraph:
    """The experiment graph of one SDRF or several (nodes shared by name across them).

    The cyclic garbage collector is paused meanwhile: each of the many small objects
    made here would otherwise make it re-scan the whole table, for nothing.
    """
    graph = ExperimentGraph()
    paused = gc.isenabled()
    gc.disable()
    try:
        for sdrf in [sdrfs] if isinstance(sdrfs, Sdrf) else list(sdrfs):
            plan = _plan(sdrf)
            for r, row in enumerate(sdrf.rows):
                _walk_row(graph, plan, row, r)
    finally:
        if paused:
            gc.enable()
    return graph


NODE, COMMENT_FILE, PROTOCOL, PARAMETER, ATTRIBUTE = range(5)
Plan = list[tuple[int, int, str, str]]   # (column, what to do, label, node kind or node-key prefix)


def _plan(sdrf: Sdrf) -> Plan:
    """What each column means for the walk, worked out once per table rather than once per cell."""
    plan: Plan = []
    for c, col in enumerate(sdrf.columns):
        if col.kind == "file" and col.header.lower().startswith("comment"):
            plan.append((c, COMMENT_FILE, col.header, "file"))
        elif col.kind in ("node", "file"):
            kind = col.name if col.kind == "node" else col.header
            plan.append((c, NODE, kind, "file" if col.kind == "file" else col.name))
        elif col.kind == "protocol_ref":
            plan.append((c, PROTOCOL, "", ""))
        elif col.kind in ("parameter_value", "performer", "date"):
            plan.append((c, PARAMETER, col.name if col.kind == "parameter_value" else col.header, ""))
        elif col.kind == "unit" and col.attached_to is not None \
                and sdrf.column(col.attached_to).kind == "parameter_value":
            plan.append((c, PARAMETER, f"{sdrf.column(col.attached_to).name} unit", ""))
        else:
            plan.append((c, ATTRIBUTE, col.header, ""))
    return plan


def _walk_row(graph: ExperimentGraph, plan: Plan, row: list[str], r: int) -> None:
    current: GraphNode | None = None
    pending: list[tuple[str, list[tuple[str, str]]]] = []
    for c, action, label, prefix in plan:
        value = row[c]
        if not value or not (value := value.strip()):
            continue
        if action == ATTRIBUTE:
            if current is not None and label not in current.attributes:
                current.attributes[label] = value
        elif action in (NODE, COMMENT_FILE):
            node = graph.node((prefix, value), label, r)
            if current is not None:
                graph.connect(current, node, [] if action == COMMENT_FILE else _applied(pending))
            if action == NODE:
                current, pending = node, []
        elif action == PROTOCOL:
            pending.append((value, []))
        elif pending:                            # a parameter, performer, date or parameter unit
            pending[-1][1].append((label, value))


def _applied(pending: list[tuple[str, list[tuple[str, str]]]]) -> list[ProtocolApplication]:
    return [ProtocolApplication(name, tuple(params)) for name, params in pending]
