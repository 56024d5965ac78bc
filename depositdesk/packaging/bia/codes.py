"""Finding codes of the BioImage Archive package (part ``packaging/bia``)."""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "packaging/bia"

REMBI_UNREADABLE = define(
    "BIA-REMBI-UNREADABLE", Severity.ERROR, "The REMBI metadata file cannot be read as YAML or JSON",
    "Fix the syntax at the place named (YAML: indentation and ':' after each key); bia-agent reads "
    "only .yaml and .json files.", part=PART)
REMBI_INVALID = define(
    "BIA-REMBI-INVALID", Severity.ERROR,
    "A REMBI value is missing or of the wrong kind (bia-agent's REMBI/MIFA models reject it)",
    "Give the value as the REMBI template shows it (bia-agent templates/rembi-mifa-metadata-template.yaml).",
    part=PART)
REMBI_EMPTY = define(
    "BIA-REMBI-EMPTY", Severity.ERROR, "A value the REMBI template marks '# Required' is empty",
    "Fill it in: the BioImage Archive curators ask for it before the study is accepted.", part=PART)
REMBI_BLANK = define(
    "BIA-REMBI-BLANK", Severity.WARNING,
    "A value the REMBI template allows to leave blank 'if not known' is blank",
    "Give it if you can (e.g. NCBI:txid10090 for mouse; the FBbi term of the imaging method).", part=PART)
REMBI_IGNORED = define(
    "BIA-REMBI-IGNORED", Severity.WARNING, "A key REMBI does not know is ignored (it is not in the PageTab)",
    "Check its spelling and indentation against the REMBI template.", part=PART)
REMBI_MISPLACED = define(
    "BIA-REMBI-MISPLACED", Severity.ERROR,
    "A REMBI section name is indented inside another section (its blocks are read as the wrong kind)",
    "Move the section name to the start of its line, as in the REMBI template.", part=PART)
REMBI_UNKNOWN_REF = define(
    "BIA-REMBI-UNKNOWN-REF", Severity.ERROR, "An association names a biosample, specimen, acquisition, "
    "correlation or analysis that is not defined", "Use exactly the name given to it in its section.",
    part=PART)
REMBI_PAIRING = define(
    "BIA-REMBI-PAIRING", Severity.ERROR,
    "A study component has no association: bia-agent pairs them by position and leaves it out",
    "Give one associations block per study component, in the same order.", part=PART)
REMBI_PAIR_NAME = define(
    "BIA-REMBI-PAIR-NAME", Severity.INFO,
    "A study component is paired with an association of another name (pairing is by position)",
    "Give the association the study component's name to make the pairing plain.", part=PART)
PAGETAB_MULTILINE = define(
    "BIA-PAGETAB-MULTILINE", Severity.WARNING,
    "A PageTab TSV value holds a line break or tab, written unquoted as bia-agent writes it",
    "The PageTab reader ends such a value at the line break unless it is in double quotes: submit the "
    "JSON, or the TSV of 'depositdesk package --target bia', which quotes it.", part=PART)

CRATE_INVALID = define(
    "BIA-CRATE-INVALID", Severity.ERROR,
    "The BIA RO-Crate fails a check of BIA's RO-Crate validator (the message is the validator's)",
    "Correct ro-crate-metadata.json or the file list as the message says.", part=PART)
CRATE_WARNING = define(
    "BIA-CRATE-WARNING", Severity.WARNING, "BIA's RO-Crate validator warns about the crate",
    "Usually an entity nothing refers to: link it (hasPart, a file list column) or remove it.", part=PART)
CRATE_NOTE = define(
    "BIA-CRATE-NOTE", Severity.INFO, "BIA's RO-Crate validator notes something about the crate",
    "", part=PART)
