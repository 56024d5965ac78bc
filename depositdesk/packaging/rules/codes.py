"""Finding codes of the cross-target rules (identifiers, spreadsheet damage, privacy)."""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "targets/rules"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# --- identifiers ---------------------------------------------------------------------------------
ID_INVALID = define(
    "ID-INVALID", E, "An identifier (accession, DOI, PubMed ID, ORCID, RRID) does not have the form "
    "its registry gives it", "Copy the identifier again from the repository's page; check for "
    "missing or extra characters.", part=PART)
ID_ORCID_CHECKSUM = define(
    "ID-ORCID-CHECKSUM", E, "An ORCID iD's last character is not its ISO 7064 check digit",
    "One digit of the ORCID iD is wrong: copy it again from orcid.org.", part=PART)
ID_WRAPPED = define(
    "ID-WRAPPED", INFO, "An identifier is written with a prefix or as a link (doi:, https://doi.org/, PMID:)",
    "Write the bare identifier; the repository adds the link.", part=PART)

# --- spreadsheet damage --------------------------------------------------------------------------
XL_GENE_DATE = define(
    "XL-GENE-DATE", E, "A gene symbol was turned into a date by a spreadsheet (SEPT2 -> 2-Sep)",
    "Replace the date by the gene symbol given in the suggestion.", part=PART)
XL_SCIENTIFIC = define(
    "XL-SCIENTIFIC", E, "A long number was turned into scientific notation by a spreadsheet "
    "(digits may be lost)", "Replace it by the full number from the original source.", part=PART)
XL_LEADING_ZEROS = define(
    "XL-LEADING-ZEROS", W, "A number in a column of zero-padded numbers has lost its leading zeros",
    "Pad it with zeros as the suggestion shows.", part=PART)
XL_SPACES = define(
    "XL-SPACES", W, "A value has leading/trailing, doubled or non-breaking spaces",
    "Replace it by the cleaned value given in the suggestion.", part=PART)
XL_SMART_QUOTES = define(
    "XL-SMART-QUOTES", W, "A value holds typographic (smart) quotes or dashes a word processor put in",
    "Replace it by the plain-ASCII value given in the suggestion.", part=PART)
XL_CASE_VARIANT = define(
    "XL-CASE-VARIANT", W, "A column holds the same value spelled in different letter case",
    "Use one spelling for the whole column (the most frequent one is suggested).", part=PART)
CELL_VALUE_CODES = (XL_GENE_DATE, XL_SCIENTIFIC, XL_SPACES, XL_SMART_QUOTES)
"""The damage codes judged on a cell's value alone (re-checked as the cell is edited)."""

# --- privacy -------------------------------------------------------------------------------------
PHI_COLUMN = define(
    "PHI-COLUMN", E, "A column's name says it holds a HIPAA Safe Harbor identifier (names, record "
    "numbers, addresses ...)", "Remove the column, or replace its values by study codes, before a "
    "public submission.", part=PART)
PHI_VALUE = define(
    "PHI-VALUE", E, "A cell holds what looks like a direct identifier of a person (e-mail, phone, "
    "social security or record number, street address, IP address)",
    "Remove the value, or replace it by a study code.", part=PART)
PHI_NAME = define(
    "PHI-NAME", W, "A donor/patient/individual cell looks like a person's name",
    "Replace the name by a study code (e.g. 'donor 1').", part=PART)
PHI_DATE = define(
    "PHI-DATE", E, "A date about an individual is finer than the year (Safe Harbor allows the year only)",
    "Keep only the year, as the suggestion shows.", part=PART)
PHI_AGE = define(
    "PHI-AGE", E, "An age over 89 identifies an individual under Safe Harbor",
    "Write '90+' (ages over 89 are grouped into one category).", part=PART)
PHI_FILE_NAME = define(
    "PHI-FILE-NAME", E, "A data file's name holds a personal identifier (e-mail, phone, record number)",
    "Rename the file (and its SDRF cell) with a study code.", part=PART)
HUMAN_PUBLIC = define(
    "PHI-HUMAN-READS", E, "Human individual-level sequence data (FASTQ/BAM/CRAM) is headed to a public "
    "repository", "Human reads need controlled access: submit them to dbGaP or EGA, and give the "
    "public repository only processed, non-identifying data.", part=PART)
