"""Finding codes of the imports (ISA-Tab investigations, GEO spreadsheets)."""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "imports"

UNPLACED = define(
    "IMPORT-UNPLACED", Severity.WARNING, "A value of the source has no place in the project and was not imported",
    "Copy it by hand into a Comment[...] field or column if it matters; nothing else was dropped.", part=PART)
NOT_ISATAB = define(
    "IMPORT-ISATAB-NOT-INVESTIGATION", Severity.ERROR, "This is not an ISA-Tab investigation file",
    "An investigation file (i_*.txt) starts with ONTOLOGY SOURCE REFERENCE or INVESTIGATION and "
    "names its study (s_*.txt) and assay (a_*.txt) files.", part=PART)
MISSING_TABLE = define(
    "IMPORT-ISATAB-MISSING-FILE", Severity.ERROR, "A study or assay file the investigation names is not there",
    "Put the s_*.txt and a_*.txt files beside the investigation file.", part=PART)
UNMATCHED_SAMPLE = define(
    "IMPORT-ISATAB-SAMPLE-UNMATCHED", Severity.WARNING,
    "An assay row names a Sample Name that the study file does not have",
    "The row was imported with empty study columns; correct the Sample Name in one of the two files.", part=PART)
SAMPLE_WITHOUT_ASSAY = define(
    "IMPORT-ISATAB-SAMPLE-NO-ASSAY", Severity.INFO,
    "A study sample is used by no assay; it was imported as a row with no assay columns",
    "Delete the row if the sample was never assayed.", part=PART)
NOT_GEO = define(
    "IMPORT-GEO-NOT-TEMPLATE", Severity.ERROR, "This workbook is not a GEO high-throughput sequencing template",
    "Import the metadata workbook downloaded from GEO (seq_template*.xlsx), of any generation.", part=PART)
NOT_SRA = define(
    "IMPORT-SRA-NOT-SHEET", Severity.ERROR, "This is neither an NCBI SRA_data sheet nor a BioSample sheet",
    "Import the SRA_metadata workbook (sheet SRA_data) or the BioSample attributes sheet (Excel or "
    "tab-separated) downloaded from NCBI's submission portal.", part=PART)
COMPANION = define(
    "IMPORT-SRA-COMPANION", Severity.INFO, "The other NCBI sheet was found beside the one imported and read too",
    "Nothing to do, unless that sheet belongs to another submission: then move it away and import again.",
    part=PART)
