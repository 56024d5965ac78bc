"""Finding codes raised by depositdesk.validators (declared once here, listed in the catalogue).

These are the engine's general FILE-* codes: what can be said of any data file
whatever its format. Each format module declares its own codes at its top.
Reading problems are kept apart on purpose: a file that cannot be read
(FILE-IO-ERROR), one that ends early (FILE-TRUNCATED), one whose compression
is damaged (FILE-COMPRESSION-CORRUPT) and one with bad content (format codes)
need different fixes.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "validators"

FILE_IO_ERROR = define(
    "FILE-IO-ERROR", Severity.ERROR, "The file could not be read",
    "Check that the file exists, is readable and that the disk or network share is healthy.",
    part=PART,
)
FILE_EMPTY = define(
    "FILE-EMPTY", Severity.ERROR, "The file is empty (0 bytes)",
    "Copy the file again from its source; an empty data file is rejected by every repository.",
    part=PART,
)
FILE_TRUNCATED = define(
    "FILE-TRUNCATED", Severity.ERROR, "The file ends early: its last part is missing",
    "The copy or download was interrupted. Copy the file again and compare its md5 with the source.",
    part=PART,
)
FILE_COMPRESSION_CORRUPT = define(
    "FILE-COMPRESSION-CORRUPT", Severity.ERROR, "The compressed data is damaged and cannot be decompressed",
    "Copy the file again from its source; if the source is damaged too, re-create it.",
    part=PART,
)
FILE_UNKNOWN_FORMAT = define(
    "FILE-UNKNOWN-FORMAT", Severity.WARNING, "The file's format was not recognised from its content",
    "Check that this is the file you meant to submit; only its md5 and size were recorded.",
    part=PART,
)
FILE_NOT_CHECKED = define(
    "FILE-NOT-CHECKED", Severity.INFO, "There is no content validator for this format; only md5 and size were recorded",
    "",
    part=PART,
)
FILE_EXTENSION_MISMATCH = define(
    "FILE-EXTENSION-MISMATCH", Severity.WARNING, "The file name's extension does not match its content",
    "Rename the file so its extension says what it holds (for example .fastq.gz for gzipped FASTQ); "
    "repositories and tools go by the extension.",
    part=PART,
)
FILE_VALIDATOR_FAILED = define(
    "FILE-VALIDATOR-FAILED", Severity.ERROR, "The validator stopped on an unexpected problem",
    "This is a bug in DepositDesk or a file it cannot handle yet; please report it with the message.",
    part=PART,
)
FILE_NOT_A_FILE = define(
    "FILE-NOT-FOUND", Severity.ERROR, "The file does not exist or is not a regular file",
    "Check the path; files named in the SDRF are looked for relative to the project folder.",
    part=PART,
)
FILE_OUTSIDE_PROJECT = define(
    "FILE-OUTSIDE-PROJECT", Severity.WARNING, "The data file lies outside the project folder",
    "An SDRF names files relative to its project folder. 'Create SDRF rows from files' offers to link or "
    "copy the file into the project's data/ folder (a copy is checked by md5); or move it there yourself.",
    part=PART,
)
FILE_COPY_DIFFERS = define(
    "FILE-COPY-DIFFERS", Severity.ERROR, "A copy into the project folder does not match its original",
    "The copy was removed and the original left as it was. Check the disk (space, errors) and copy again.",
    part=PART,
)
