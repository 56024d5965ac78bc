"""Finding codes of package building (part ``packaging/packages``)."""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "packaging/packages"

NAME_UNSAFE = define(
    "PKG-NAME-UNSAFE", Severity.ERROR,
    "A data file name points outside the project ('..', an absolute path) or holds control characters",
    "Name the file by a path relative to the project folder, inside it, with printable characters only.",
    part=PART)
SYMLINK_OUTSIDE = define(
    "PKG-SYMLINK-OUTSIDE", Severity.ERROR, "A data file is a symbolic link that leaves the project folder",
    "Move or copy the file into the project folder and name it there.", part=PART)
NAME_COLLISION = define(
    "PKG-NAME-COLLISION", Severity.ERROR,
    "Two data files would have the same name in the package (names equal after case-folding)",
    "Rename one of the files: repositories and case-insensitive disks treat the names as one.", part=PART)
NAME_FORBIDDEN = define(
    "PKG-NAME-FORBIDDEN", Severity.ERROR, "A data file name has characters the repository does not accept",
    "Rename the file with letters, digits, '.', '_' and '-' only.", part=PART)
FILE_MISSING = define(
    "PKG-FILE-MISSING", Severity.ERROR, "A data file named in the SDRF is not in the project folder",
    "Put the file into the project folder or correct its name in the SDRF.", part=PART)
COPY_MISMATCH = define(
    "PKG-COPY-MISMATCH", Severity.ERROR, "A copied data file does not have the md5 of its original",
    "Check the disk holding the package and build again.", part=PART)
FORCED = define(
    "PKG-FORCED", Severity.WARNING, "The package was built with --force although checks report errors",
    "Fix the errors listed in the package's README before submitting it.", part=PART)
