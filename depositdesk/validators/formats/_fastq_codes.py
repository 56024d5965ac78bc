"""Finding codes of the FASTQ validator, and how the profiles differ on them.

``spec`` follows the FASTQ format as Cock et al. (2010, the OBF/Biopython
suite) define it: multi-line (wrapped) records and zero-length reads are
legal, so are IUPAC codes, U and '.' in sequences and any quality character
from '!' to '~'. ``strict-modencode`` adds the stricter habits of the
four-line validators (fastq_info, SRA loaders): one line per sequence and
quality, no empty reads, Windows line endings flagged.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define
from depositdesk.validators.base import profile_rule

PART = "validators/fastq"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

HEADER = define("FASTQ-HEADER", E, "A record does not start with an '@' line",
                "Each record starts with '@' and the read name; check for lines lost or added above.",
                part=PART)
NAME_EMPTY = define("FASTQ-NAME-EMPTY", E, "A read has no name after '@'",
                    "Give every read a name (the sequencer's read identifier).", part=PART)
PLUS = define("FASTQ-PLUS", E, "The '+' line between sequence and quality is missing",
              "Each record is '@name', sequence, '+', quality; a line was lost here.", part=PART)
PLUS_ID = define("FASTQ-PLUS-ID", E, "The '+' line repeats a different read name than the '@' line",
                 "Leave the '+' line empty after '+', or repeat exactly the '@' line's text.", part=PART)
SEQ_CHAR = define("FASTQ-SEQ-CHAR", E, "The sequence holds a character that is not a base",
                  "Sequences may hold IUPAC codes (ACGTUN RYKMSWBDHV, any case) and '.'; "
                  "spaces, tabs and other characters are errors.", part=PART)
QUAL_CHAR = define("FASTQ-QUAL-CHAR", E, "The quality string holds a character outside '!'..'~'",
                   "Quality characters are ASCII 33 to 126; spaces, tabs or control characters "
                   "mean the file was damaged or mis-converted.", part=PART)
QUAL_LEN = define("FASTQ-QUAL-LEN", E, "The quality string is not as long as the sequence",
                  "Each base needs exactly one quality character; a line was cut or joined.", part=PART)
BLANK_LINE = define("FASTQ-BLANK-LINE", E, "A blank line inside the records",
                    "Remove blank lines; a blank line inside a record also makes its read empty or broken.",
                    part=PART)
EMPTY_READ = define("FASTQ-EMPTY-READ", W, "A read has zero length",
                    "Zero-length reads are legal FASTQ but SRA and many tools reject them; "
                    "filter them out (e.g. cutadapt --minimum-length 1).", part=PART)
TRUNCATED = define("FASTQ-TRUNCATED", E, "The last record is incomplete: the file is cut short",
                   "The copy or download was interrupted; copy the file again and compare its md5.",
                   part=PART)
DUPLICATE_NAME = define("FASTQ-DUPLICATE-NAME", E, "A read name occurs more than once",
                        "Read names must be unique within a file; was a file concatenated twice, "
                        "or are mates interleaved in one file?", part=PART)
MIXED_U_T = define("FASTQ-MIXED-U-T", E, "A read holds both U and T",
                   "A read is DNA (T) or RNA (U), not both; the file was mis-converted.", part=PART)
WRAPPED = define("FASTQ-WRAPPED", INFO, "Records are wrapped over several lines",
                 "Legal FASTQ, but SRA loaders and fastq_info expect four lines per record; "
                 "unwrap with seqtk seq.", part=PART)
NO_READS = define("FASTQ-NO-READS", E, "The file holds no reads",
                  "Check that the right file was chosen; an empty FASTQ is rejected by SRA and ENA.",
                  part=PART)
PHRED64 = define("FASTQ-PHRED64", INFO, "Qualities are encoded Phred+64 (Illumina 1.3-1.7) or Solexa",
                 "SRA and ENA expect Phred+33 (Sanger / Illumina 1.8+); convert with "
                 "seqtk seq -Q64 -V.", part=PART)
CRLF = define("FASTQ-CRLF", INFO, "Lines end in Windows CR LF",
              "Most tools accept it; convert with dos2unix to be safe.", part=PART)
TRAILING_BLANK = define("FASTQ-TRAILING-BLANK", INFO, "Blank lines at the end of the file",
                        "Harmless for most tools; remove them to be safe.", part=PART)
INTERLEAVED = define("FASTQ-INTERLEAVED", INFO, "Mates are interleaved: each read name occurs twice, "
                     "in consecutive records", "SRA and ENA prefer R1 and R2 in two files; split with "
                     "seqtk seq -1 / -2 or reformat.sh.", part=PART)
PAIR_COUNT = define("FASTQ-PAIR-COUNT", E, "The two files of a read pair hold different numbers of reads",
                    "R1 and R2 must hold the same reads in the same order; one file is cut short or "
                    "the files were filtered separately (re-pair them, e.g. with fastq-pair).", part=PART)
PAIR_NAMES = define("FASTQ-PAIR-NAMES", E, "Reads of the two pair files do not have matching names",
                    "Read k of R1 and read k of R2 must be the same fragment (same name apart from "
                    "/1 /2); the files are not mates or are in different orders.", part=PART)

profile_rule("strict-modencode", WRAPPED, E)
profile_rule("strict-modencode", EMPTY_READ, E)
profile_rule("strict-modencode", CRLF, W)
profile_rule("strict-modencode", PHRED64, W)
profile_rule("strict-modencode", TRAILING_BLANK, W)
profile_rule("strict-modencode", INTERLEAVED, W)
