"""ArrayExpress (Annotare) requirements as data: the magetabcheck rules we implement, with their ids.

Source: Annotare magetabcheck CheckListGenerator output of 23/01/2019 (57 IDF + 79 SDRF checks),
``magetabcheck-idf-checks.md`` / ``magetabcheck-sdrf-checks.md``. Each `AeRule` names our code, the
Annotare rule id(s) it corresponds to, the severity Annotare gives it, and the submission types it
applies to ("all", "hts" = sequencing incl. single-cell, "array" = microarray incl. methylation).
Rules without an Annotare id are curators' requests ArrayExpress documents for submitters.
The rules left out, and why, are listed in docs/targets-arrayexpress.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from depositdesk.findings import Severity

SOURCE = "Annotare magetabcheck check list, 23/01/2019 (57 IDF + 79 SDRF checks)"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class AeRule:
    code: str
    annotare: str          # Annotare rule id(s), "" when the rule is a curators' request
    severity: Severity
    applies: str           # "all" | "hts" | "array"
    title: str
    suggestion: str


RULES: tuple[AeRule, ...] = (
    # --- IDF: contacts
    AeRule("AE-C01", "C01", E, "all", "At least one contact must be specified",
           "Add a person (Person Last Name, Email, Affiliation, Roles) in the IDF."),
    AeRule("AE-C02", "C02", E, "all", "A contact must have last name specified", "Fill Person Last Name."),
    AeRule("AE-C03", "C03", E, "all", "At least one contact must have email specified", "Fill Person Email."),
    AeRule("AE-C04", "C04", E, "all", "At least one contact must have a role specified", "Fill Person Roles."),
    AeRule("AE-C05", "C05", E, "all", "At least one contact must have 'submitter' role specified",
           "Add 'submitter' to the Person Roles of the person who submits (roles are ';'-separated)."),
    AeRule("AE-C06", "C06", E, "all", "A contact with 'submitter' role must have affiliation specified",
           "Fill Person Affiliation for the submitter."),
    AeRule("AE-C07", "C07", E, "all", "At least one contact with 'submitter' role must have an email specified",
           "Fill Person Email for the submitter."),
    AeRule("AE-C08", "C08", W, "all", "A contact should have first name specified", "Fill Person First Name."),
    AeRule("AE-C09", "C09", W, "all", "A contact should have an affiliation specified",
           "Fill Person Affiliation."),
    # --- IDF: experiment type, design, variables
    AeRule("AE-ED01", "ED01", W, "array", "Experiment must have at least one experimental design specified",
           "Fill Experimental Design (e.g. 'genetic modification design')."),
    AeRule("AE-EF01", "EF01", E, "all", "An experiment must have at least one experimental variable specified",
           "Add an Experimental Factor Name and matching Factor Value[...] column."),
    AeRule("AE-EF02", "EF02", E, "all", "An experimental variable must have name specified",
           "Fill Experimental Factor Name."),
    AeRule("AE-EF03", "EF03", W, "all", "An experimental variable should have a type specified",
           "Fill Experimental Factor Type (an EFO term)."),
    # --- IDF: general
    AeRule("AE-G01", "G01", E, "all", "Experiment title must be specified", "Fill Investigation Title."),
    AeRule("AE-G02", "G02", E, "all", "Experiment description must be specified", "Fill Experiment Description."),
    AeRule("AE-G02-SHORT", "G09", W, "all", "Experiment description should be at least 50 characters long",
           "Describe the experiment in a few sentences."),
    AeRule("AE-G03", "G03", W, "all", "Date of Experiment should be specified", "Fill Date of Experiment."),
    AeRule("AE-G04", "G04", E, "all", "Date of Experiment must be in 'YYYY-MM-DD' format",
           "Write the date as YYYY-MM-DD."),
    AeRule("AE-G05", "G05", E, "all", "Experiment public release date must be specified",
           "Fill Public Release Date (YYYY-MM-DD)."),
    AeRule("AE-G06", "G06", E, "all", "Experiment public release date must be in 'YYYY-MM-DD' format",
           "Write the date as YYYY-MM-DD."),
    AeRule("AE-G07", "G07", E, "all", "Reference to the SDRF file must be specified", "Fill SDRF File."),
    AeRule("AE-G09", "G09", E, "all", "Experiment public release date must be either present or future date",
           "Set Public Release Date to today or a later date."),
    # --- IDF: publications
    AeRule("AE-PB01", "PB01", W, "all", "A publication should have at least one of PubMed ID or Publication DOI "
           "specified", "Fill PubMed ID or Publication DOI."),
    AeRule("AE-PB02", "PB02", E, "all", "PubMed ID must be numeric", "Write the PubMed ID as digits only."),
    AeRule("AE-PB03", "PB03", W, "all", "Publication authors should be specified", "Fill Publication Author List."),
    AeRule("AE-PB04", "PB04", W, "all", "A publication title should be specified", "Fill Publication Title."),
    # --- IDF: protocols
    AeRule("AE-PR01", "PR01", E, "all", "At least one protocol must be used in an experiment",
           "Describe the protocols in the IDF and name them in Protocol REF columns."),
    AeRule("AE-PR02", "PR02", E, "all", "Name of a protocol must be specified", "Fill Protocol Name."),
    AeRule("AE-PR03", "PR03", E, "all", "A protocol type must be specified",
           "Fill Protocol Type (e.g. 'nucleic acid library construction protocol')."),
    AeRule("AE-PR05", "PR05", E, "all", "Description of a protocol should be specified",
           "Fill Protocol Description."),
    AeRule("AE-PR06", "PR06", W, "all", "Description of a protocol should be over 50 characters long",
           "Describe the protocol in more detail."),
    AeRule("AE-PR08", "PR08", E, "hts", "Library construction protocol is required for HTS submissions",
           "Add a protocol of type 'nucleic acid library construction protocol'."),
    AeRule("AE-PR09", "PR09", E, "hts", "Sequencing protocol is required for HTS submissions",
           "Add a protocol of type 'nucleic acid sequencing protocol'."),
    AeRule("AE-PR10", "PR10", E, "hts", "Sequencing protocol must have sequencing hardware from Annotare's list",
           "Fill Protocol Hardware of the sequencing protocol with an instrument of the list."),
    # --- IDF: term sources
    AeRule("AE-TS01", "TS01", E, "all", "Name of a term source must be specified", "Fill Term Source Name."),
    AeRule("AE-TS02", "TS02", E, "all", "Name of a term source must be unique", "Remove the repeated term source."),
    AeRule("AE-TS03", "TS03", W, "all", "URL/File of a term source should be specified", "Fill Term Source File."),
    # --- SDRF
    AeRule("AE-AD04", "AD04", E, "hts", "There must not be any array design attributes in a sequencing experiment",
           "Remove the Array Design REF column."),
    AeRule("AE-FILE-NAME", "ADN02 DADN02 ADMN02 DADMN02", E, "all", "A data file name must only contain "
           "alphanumeric characters, underscores and dots", "Rename the file (letters, digits, '_' and '.')."),
    AeRule("AE-AN01", "AN01", E, "all", "An assay must have a name specified",
           "Fill Assay Name (Hybridization Name for arrays)."),
    AeRule("AE-AN02", "AN02 TT01", E, "all", "An assay must have a 'Technology Type' attribute specified",
           "Add a Technology Type column after Assay Name ('sequencing assay' or 'array assay')."),
    AeRule("AE-AN03", "AN03", E, "hts", "A nucleic acid sequencing protocol must be included",
           "Name the sequencing protocol in a Protocol REF column before Assay Name."),
    AeRule("AE-AN04", "AN04", E, "array", "A nucleic acid hybridization to array protocol must be included",
           "Name the hybridization protocol in a Protocol REF column before Hybridization/Assay Name."),
    AeRule("AE-AN05", "AN05", E, "array", "'Technology Type' attribute must be equal to 'array assay' in "
           "micro-array submissions", "Write 'array assay'."),
    AeRule("AE-EX01", "EX01", E, "all", "An extract must have name specified", "Fill Extract Name."),
    AeRule("AE-EX03", "EX03", E, "array", "A nucleic acid extraction protocol must be included",
           "Name a 'nucleic acid extraction protocol' in a Protocol REF column."),
    AeRule("AE-EX04", "EX04", E, "hts", "A nucleic acid library construction protocol must be included",
           "Name the library construction protocol in a Protocol REF column."),
    AeRule("AE-DADN04", "DADN04 DADMN04", E, "all", "A normalization data transformation protocol that "
           "describes how the processed data files were made must be included",
           "Add a 'normalization data transformation protocol' and name it before the processed file."),
    AeRule("AE-FV04", "FV04", E, "all", "Values of an experimental variable must vary",
           "A factor with one value is not a variable: remove it or correct its values."),
    AeRule("AE-LE01", "LE01", E, "hts", "There must not be a labeled extract in a sequencing experiment",
           "Remove the Labeled Extract Name column (and Label)."),
    AeRule("AE-LE02", "LE02", E, "array", "A labeled extract must have name specified", "Fill Labeled Extract Name."),
    AeRule("AE-LE04", "LE04", E, "array", "A labeled extract must have 'Label' attribute specified",
           "Add a Label column (e.g. 'Cy3', 'biotin')."),
    AeRule("AE-LE05", "LE05", E, "array", "A nucleic acid labeling protocol must be included",
           "Name a 'nucleic acid labeling protocol' in a Protocol REF column."),
    AeRule("AE-LC01", "LC01", E, "hts", "Library source, layout, selection and strategy must be specified for the "
           "ENA library info", "Add and fill Comment[LIBRARY_SOURCE], [LIBRARY_LAYOUT], [LIBRARY_SELECTION], "
           "[LIBRARY_STRATEGY]."),
    AeRule("AE-LC02", "LC02", E, "hts", "NOMINAL_LENGTH must be a positive integer and NOMINAL_SDEV a positive "
           "number for paired-end sequencing samples", "Fill Comment[NOMINAL_LENGTH] (insert size, bp) and "
           "Comment[NOMINAL_SDEV]."),
    AeRule("AE-PN03", "PN03", E, "all", "A protocol's date must be in 'YYYY-MM-DD' format",
           "Write the date as YYYY-MM-DD."),
    AeRule("AE-PN06", "PN06", E, "hts", "A nucleic acid sequencing protocol must have a 'performer' attribute "
           "specified", "Add a Performer column after the sequencing Protocol REF and fill it."),
    AeRule("AE-SC02", "SC02", E, "hts", "An SDRF graph must have at least one scan node",
           "Add a Scan Name column after Assay Name (the run's name)."),
    AeRule("AE-SM01", "SM01", E, "all", "A sample must have name specified", "Fill Sample Name."),
    AeRule("AE-SR01", "SR01", E, "all", "A source (starting sample) must have name specified", "Fill Source Name."),
    AeRule("AE-SR04", "SR04", E, "all", "A source must have an 'Organism' characteristic specified",
           "Add Characteristics[organism] and fill it (e.g. 'Homo sapiens')."),
    AeRule("AE-SR06", "SR06", E, "all", "A source must have unique characteristic types, regardless of casing",
           "Merge the repeated Characteristics[...] columns into one."),
    AeRule("AE-SR08", "SR08", E, "all", "A growth, treatment or sample collection protocol must be included",
           "Add a 'sample collection protocol' (or growth/treatment) and name it in a Protocol REF column."),
    AeRule("AE-SR02", "SR02", W, "all", "A source should have a 'Material Type' attribute specified",
           "Add a Material Type column (e.g. 'organism part', 'cell')."),
    AeRule("AE-SR05", "SR05", W, "all", "A source should have more than 2 characteristic attributes",
           "Describe the samples with more Characteristics[...] columns (sex, age, organism part ...)."),
    # --- curators' requests (no magetabcheck id)
    AeRule("AE-REPLICATES", "", W, "all", "A condition (combination of factor values) has fewer than 2 "
           "biological replicates", "ArrayExpress asks for at least 2 biological replicates per condition: "
           "add replicates or explain in Experiment Description."),
    AeRule("AE-ACCESSION", "", INFO, "all", "No Comment[ArrayExpressAccession]: ArrayExpress assigns it",
           "Nothing to do for a new submission; a re-submission names its E-MTAB accession here."),
)

# Annotare rules checked by the target's declared data (base.check_targets), not by a function here.
DECLARED = {"COM01": "AE-FIELD-MISSING / AE-VOCABULARY on the declared field Comment[AEExperimentType]"}
# Annotare rules the MAGE-TAB grammar rules already report (they run with every `check --target`).
GRAMMAR = {
    "G08": "IDF-SDRF-MISSING", "PN05": "SDRF-TERM-SOURCE-UNKNOWN", "CA03": "SDRF-TERM-SOURCE-UNKNOWN",
    "FV03": "SDRF-TERM-SOURCE-UNKNOWN", "L03": "SDRF-TERM-SOURCE-UNKNOWN", "MT03": "SDRF-TERM-SOURCE-UNKNOWN",
    "TT03": "SDRF-TERM-SOURCE-UNKNOWN", "UA03": "SDRF-TERM-SOURCE-UNKNOWN", "AD03": "SDRF-TERM-SOURCE-UNKNOWN",
    "ADN03": "SDRF-FILE-MISSING", "ADMN03": "SDRF-FILE-MISSING", "DADN03": "SDRF-FILE-MISSING",
    "DADMN03": "SDRF-FILE-MISSING", "CA01": "SDRF-BRACKET-EMPTY", "FV01": "SDRF-BRACKET-EMPTY",
    "PV01": "SDRF-BRACKET-EMPTY", "UA01": "SDRF-BRACKET-EMPTY",
}
"""Also every Protocol REF resolving to an IDF protocol (Annotare cannot build the graph otherwise):
SDRF-PROTOCOL-UNKNOWN."""

# Annotare's experiment types (Comment[AEExperimentType]), sequencing and array, as Annotare lists them.
EXPERIMENT_TYPES_HTS = (
    "RNA-seq of coding RNA", "RNA-seq of non coding RNA", "RNA-seq of total RNA",
    "RNA-seq of coding RNA from single cells", "RNA-seq of non coding RNA from single cells",
    "RNA-seq of total RNA from single cells", "microRNA profiling by high throughput sequencing",
    "ChIP-seq", "ATAC-seq", "DNA-seq", "whole genome sequencing", "exome sequencing", "Hi-C", "4C", "5C",
    "ChIA-PET", "CLIP-seq", "RIP-seq", "DNase-seq", "FAIRE-seq", "MNase-seq", "bisulfite sequencing",
    "methylation profiling by high throughput sequencing", "genotyping by high throughput sequencing",
    "translation profiling", "transcription profiling by high throughput sequencing", "other",
)
EXPERIMENT_TYPES_ARRAY = (
    "transcription profiling by array", "methylation profiling by array", "ChIP-chip by array",
    "comparative genomic hybridization by array", "genotyping by array", "microRNA profiling by array",
    "RNA-chip by array", "tiling path by array", "transcription profiling by RT-PCR",
    "proteomic profiling by array", "unknown experiment type",
)
EXPERIMENT_TYPES = EXPERIMENT_TYPES_HTS + EXPERIMENT_TYPES_ARRAY

# PR10: "Supported protocol hardware list" of the check list (lower case, as Annotare compares).
SEQUENCING_HARDWARE = (
    "454 gs", "454 gs 20", "454 gs flx", "454 gs flx titanium", "454 gs flx+", "454 gs junior",
    "ab 310 genetic analyzer", "ab 3130 genetic analyzer", "ab 3130xl genetic analyzer",
    "ab 3500 genetic analyzer", "ab 3500xl genetic analyzer", "ab 3730 genetic analyzer",
    "ab 3730xl genetic analyzer", "ab 5500 genetic analyzer", "ab 5500xl genetic analyzer",
    "ab 5500xl-w genetic analysis system", "ab solid 3 plus system", "ab solid 4 system",
    "ab solid 4hq system", "ab solid pi system", "ab solid system", "ab solid system 2.0",
    "ab solid system 3.0", "bgiseq-500", "complete genomics", "gridion", "helicos heliscope",
    "hiseq x five", "hiseq x ten", "illumina genome analyzer", "illumina genome analyzer ii",
    "illumina genome analyzer iix", "illumina hiscansq", "illumina hiseq 1000", "illumina hiseq 1500",
    "illumina hiseq 2000", "illumina hiseq 2500", "illumina hiseq 3000", "illumina hiseq 4000",
    "illumina miniseq", "illumina miseq", "illumina novaseq 6000", "ion torrent pgm", "ion torrent proton",
    "ion torrent s5", "ion torrent s5 xl", "minion", "nextseq 500", "nextseq 550", "pacbio rs",
    "pacbio rs ii", "promethion", "sequel", "unspecified",
)

# Protocol Type words that make a protocol of each kind Annotare looks for (EFO class names).
PROTOCOL_KINDS = {
    "library": ("library construction",),
    "sequencing": ("sequencing",),
    "hybridization": ("hybridization",),
    "extraction": ("extraction",),
    "labeling": ("labeling", "labelling"),
    "normalization": ("normalization data transformation", "data transformation", "normalization"),
    "collection": ("growth", "treatment", "sample collection"),
}
LIBRARY_COMMENTS = ("LIBRARY_SOURCE", "LIBRARY_LAYOUT", "LIBRARY_SELECTION", "LIBRARY_STRATEGY")
