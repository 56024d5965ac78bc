"""Finding codes raised by depositdesk.magetab (declared once here, listed in the catalogue).

Naming: ``MAGETAB-*`` for what concerns the text of either file (encoding, line
endings, quoting), ``IDF-*`` for the investigation description, ``SDRF-*`` for
the sample and data relationship table, ``PROJECT-*`` for the folder.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "magetab"

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# --- the text of a file --------------------------------------------------------------------
ENCODING = define(
    "MAGETAB-ENCODING", W, "The file is not UTF-8; it was read as Windows-1252 (Latin-1)",
    "Check accented characters (ü, é, µ) read correctly; saving writes UTF-8.", part=PART)
BOM = define(
    "MAGETAB-BOM", INFO, "The file starts with a byte-order mark",
    "Nothing to do: it is ignored on reading and not written on saving.", part=PART)
UTF16 = define(
    "MAGETAB-UTF16", W, "The file is UTF-16 text (Excel's 'Unicode text' export)",
    "Saving writes UTF-8, which repositories expect.", part=PART)
LINE_ENDINGS = define(
    "MAGETAB-LINE-ENDINGS", INFO, "The file has Windows (CRLF) or old Mac (CR) line endings",
    "Nothing to do: saving writes Unix (LF) line endings.", part=PART)
QUOTED = define(
    "MAGETAB-QUOTED", INFO, "Cells are wrapped in double quotes",
    "Nothing to do: quotes are removed on reading; saving writes plain tab-delimited cells.", part=PART)
TRAILING_TABS = define(
    "MAGETAB-TRAILING-TABS", INFO, "Lines end with empty tab-separated cells",
    "Nothing to do: trailing empty cells are dropped on saving.", part=PART)
COMMENT_LINE = define(
    "MAGETAB-COMMENT-LINE", INFO, "A line starting with '#' was read as a comment and is not kept",
    "Move the note into a Comment[...] field if it must be kept.", part=PART)
ROW_TOO_WIDE = define(
    "MAGETAB-ROW-TOO-WIDE", E, "A line has thousands of cells, more than any IDF or SDRF has",
    "Only the first 4096 cells were read; remove the stray tabs or split the table.", part=PART)

# --- IDF -----------------------------------------------------------------------------------
IDF_FIELD_UNKNOWN = define(
    "IDF-FIELD-UNKNOWN", W, "An IDF line starts with a field name MAGE-TAB does not define",
    "Correct the spelling, or turn it into Comment[...] if it is a free note.", part=PART)
IDF_FIELD_DUPLICATE = define(
    "IDF-FIELD-DUPLICATE", W, "An IDF field appears on more than one line",
    "Merge the values into one line; only the first line is used by most tools.", part=PART)
IDF_FIELD_SPELLING = define(
    "IDF-FIELD-SPELLING", INFO, "An IDF field name is written in a non-standard spacing or case",
    "Nothing to do: saving writes the standard name.", part=PART)
IDF_NO_TITLE = define(
    "IDF-NO-TITLE", E, "The IDF has no Investigation Title",
    "Give the experiment a title in the IDF.", part=PART)
IDF_NO_SDRF = define(
    "IDF-NO-SDRF", E, "The IDF names no SDRF File",
    "Add an 'SDRF File' line naming the sample table.", part=PART)
IDF_SDRF_MISSING = define(
    "IDF-SDRF-MISSING", E, "The SDRF file named in the IDF does not exist beside it",
    "Correct the 'SDRF File' name or put the SDRF in the project folder.", part=PART)
IDF_PROTOCOL_UNNAMED = define(
    "IDF-PROTOCOL-UNNAMED", E, "A protocol in the IDF has a type or description but no name",
    "Give every protocol a Protocol Name; the SDRF refers to it by that name.", part=PART)
IDF_FACTOR_UNNAMED = define(
    "IDF-FACTOR-UNNAMED", E, "An experimental factor has a type but no name",
    "Give every factor an Experimental Factor Name.", part=PART)
IDF_TERM_SOURCE_UNKNOWN = define(
    "IDF-TERM-SOURCE-UNKNOWN", W, "An IDF Term Source REF names no term source declared in the IDF",
    "Add the source under Term Source Name/File/Version, or correct the name.", part=PART)
IDF_DATE_FORMAT = define(
    "IDF-DATE-FORMAT", W, "A date in the IDF is not written YYYY-MM-DD",
    "Write dates as YYYY-MM-DD (ISO 8601).", part=PART)

# --- SDRF ----------------------------------------------------------------------------------
SDRF_HEADING_TYPO = define(
    "SDRF-HEADING-TYPO", E, "A column heading is a known misspelling (e.g. 'Characteristic[...]')",
    "Rename the column to the standard spelling (e.g. 'Characteristics[...]'); peer tools reject it.", part=PART)
SDRF_HEADING_UNKNOWN = define(
    "SDRF-HEADING-UNKNOWN", E, "A column heading is not part of the MAGE-TAB SDRF grammar",
    "Rename it to a standard heading, or to Comment[...] for a free note.", part=PART)
SDRF_HEADING_EMPTY = define(
    "SDRF-HEADING-EMPTY", E, "A column has values but no heading",
    "Give the column a heading or remove it.", part=PART)
SDRF_BRACKET_EMPTY = define(
    "SDRF-BRACKET-EMPTY", E, "A bracketed heading has nothing between the brackets",
    "Name the attribute, e.g. Characteristics[organism].", part=PART)
SDRF_UNIT_BARE = define(
    "SDRF-UNIT-BARE", E, "A 'Unit' column has no unit type in brackets",
    "Write Unit[time unit], Unit[mass unit], ... as MAGE-TAB 1.1 requires.", part=PART)
SDRF_ORPHAN_QUALIFIER = define(
    "SDRF-ORPHAN-QUALIFIER", E, "A Term Source REF, Term Accession Number or Unit column qualifies no column",
    "Put it right after the column whose terms it qualifies.", part=PART)
SDRF_NO_NODE = define(
    "SDRF-NO-NODE", E, "The SDRF has no Source Name (or other node) column",
    "Start the table with Source Name.", part=PART)
SDRF_FIRST_NOT_NODE = define(
    "SDRF-FIRST-NOT-NODE", E, "The first SDRF column is not a node (Source Name, Sample Name, ...)",
    "Move Source Name to the first column.", part=PART)
SDRF_ROW_LONG = define(
    "SDRF-ROW-LONG", E, "A row has more cells than the header has columns",
    "Add the missing headings or remove the extra cells.", part=PART)
SDRF_ROW_SHORT = define(
    "SDRF-ROW-SHORT", INFO, "A row has fewer cells than the header; the missing cells were read as empty",
    "Nothing to do unless values are missing.", part=PART)
SDRF_EMPTY = define(
    "SDRF-EMPTY", E, "The SDRF has a header but no rows",
    "Add one row per sample (or per file).", part=PART)
SDRF_PROTOCOL_UNKNOWN = define(
    "SDRF-PROTOCOL-UNKNOWN", E, "A Protocol REF names no protocol of the IDF",
    "Add the protocol to the IDF (Protocol Name) or correct the reference.", part=PART)
SDRF_FACTOR_UNKNOWN = define(
    "SDRF-FACTOR-UNKNOWN", E, "A Factor Value column names no Experimental Factor of the IDF",
    "Add the factor to the IDF (Experimental Factor Name) or correct the column heading.", part=PART)
SDRF_FACTOR_MISSING = define(
    "SDRF-FACTOR-MISSING", W, "An Experimental Factor of the IDF has no Factor Value column in the SDRF",
    "Add a Factor Value[...] column for it, or remove the factor from the IDF.", part=PART)
SDRF_TERM_SOURCE_UNKNOWN = define(
    "SDRF-TERM-SOURCE-UNKNOWN", E, "A Term Source REF names no Term Source of the IDF",
    "Declare the source in the IDF (Term Source Name/File) or correct the cell.", part=PART)
SDRF_FILE_MISSING = define(
    "SDRF-FILE-MISSING", E, "A data file named in the SDRF is not in the project folder",
    "Put the file in the project folder, or correct its name in the SDRF.", part=PART)
SDRF_FILE_NOT_CHECKED = define(
    "SDRF-FILE-NOT-CHECKED", INFO, "Data files named in the SDRF were not looked for",
    "Put the data files beside the SDRF, or save the project with DepositDesk, to have them looked for "
    "(or run 'depositdesk check --files always').", part=PART)

# --- the project folder --------------------------------------------------------------------
PROJECT_JOURNAL = define(
    "PROJECT-JOURNAL", W, "Unsaved edits from an earlier session were found",
    "Recover them, or discard them to keep the files as saved.", part=PART)
