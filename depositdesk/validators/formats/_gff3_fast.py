"""The fast lane for GFF3 feature lines that are plainly well-formed (nearly all of them).

One compiled regular expression, run in C over every line of a block via
`map`, recognises the common line: nine columns, positive coordinates, a
score that is '.' or a plain number, a valid strand and phase, and column 9
made of distinct ``tag=value`` pairs of printable ASCII with nothing to
escape (no '%', '&', ';' or '=' in values), no tag that needs a closer look
(Gap, Target, Is_circular, Derives_from, unknown capitalised tags), and a
single Parent. It also captures the ID and Parent, so no attribute is parsed
in Python. Such a line cannot produce a finding from the column checks once
its seqid, source and type have been seen before, so only the start/end
order, the ``##sequence-region`` bounds and the feature graph are left to do.

Every other line (pragmas, comments, FASTA, the first line of each new
seqid/source/type, anything unusual) goes to the careful path in `gff3`,
which gives exactly the findings it always gave. The fast lane never
reports anything itself: when in doubt it hands the line over.
"""

from __future__ import annotations

import re

# printable ASCII without the characters GFF3 reserves in attribute values: % & ; =
_VALUE = r"[ -$'-:<>-~]"
_VALUE_NO_COMMA = r"[ -$'-+\--:<>-~]"
# the ID and the Parent come first, in that order (as GenomeTools, Ensembl and NCBI write them); any
# other tag that needs no closer look follows, each followed by a look-ahead that it does not come again
# (possessive '++': a value never gives back characters, which saves the engine's bookkeeping)
_OTHER_TAG = r"(?:Name|Alias|Note|Dbxref|Ontology_term|[ -$'-:<>-@\[-~]" + _VALUE + "*)"
_OTHER_PAIR = rf"(?P<t>{_OTHER_TAG})={_VALUE}++(?![^\t]*;(?P=t)=)"
_ATTRIBUTES = (
    rf"(?:\.|(?:ID=({_VALUE}++)(?:;|$))?(?:Parent=({_VALUE_NO_COMMA}++)(?:;|$))?(?:{_OTHER_PAIR}(?:;|$))*)"
)
_SCORE = r"(?:\.|-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)"
_POSITION = r"([1-9][0-9]{0,17})"  # below 2**63 by construction
FEATURE_LINE = re.compile(
    rf"([^\t]*\t[^\t]*\t[^\t]*)\t{_POSITION}\t{_POSITION}\t{_SCORE}\t([-+.?])\t([012.])\t{_ATTRIBUTES}"
)
"""Groups: the first three columns (seqid, source, type) as one string, start, end, strand, phase,
ID or None, Parent or None (and the last other tag)."""

PHASES = {".": -1, "0": 0, "1": 1, "2": 2}
