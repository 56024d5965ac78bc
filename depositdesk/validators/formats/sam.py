"""SAM, BAM and CRAM validators: one module, three small classes sharing their checks.

* SAM text is parsed here with the SAM v1.6 field regexes (`_sam_text`).
* BAM and CRAM are decoded by htslib through pysam (`_sam_binary`), with our
  own end-of-file marker check, since a cut-off BAM otherwise reads as a
  shorter valid one.
* Header rules (`_sam_header`) and record rules (`_sam_records`) are shared.

The codes are declared in `_sam_codes` (part "validators/sam") so that every
helper module can import them without a cycle.
"""

from __future__ import annotations

from typing import Any, ClassVar

from depositdesk.progress import Task
from depositdesk.validators.base import (
    DECOMPRESSION_ERRORS,
    Context,
    FormatValidator,
    Source,
    is_truncation,
    register,
)
from depositdesk.validators.formats import _sam_codes as codes
from depositdesk.validators.formats._sam_bam import read_bam
from depositdesk.validators.formats._sam_binary import (
    quiet_offline_htslib,
    quiet_pysam_teardown,
    read_binary,
)
from depositdesk.validators.formats._sam_text import SamTextReader

__all__ = ["BamValidator", "CramValidator", "SamValidator", "codes"]


@register
class SamValidator(FormatValidator):
    """SAM text (plain or gzip/BGZF-compressed), read through the engine's hashing stream."""

    format = "sam"
    version = "1"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        reader = SamTextReader(ctx)
        try:
            with source.open_decompressed() as stream:
                yield from reader.run(stream, source)
        except DECOMPRESSION_ERRORS as exc:
            code = codes.TRUNCATED if is_truncation(exc) else codes.UNREADABLE
            ctx.report(code, f"decompressing: {exc or type(exc).__name__}")
            if reader.rules is None:
                reader.start_records()
        return reader.finish()


@register
class BamValidator(FormatValidator):
    """BAM: BGZF inflated on worker threads, records checked in bulk (`_sam_bam`).

    The file is read at its own pace in big chunks, so the engine hashes it beside us.
    """

    format = "bam"
    version = "1"
    hashes_raw_bytes: ClassVar[bool] = False

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        stats = yield from read_bam(source, ctx)
        return stats


@register
class CramValidator(FormatValidator):
    """CRAM through pysam/htslib, offline and without the reference (`_sam_binary`)."""

    format = "cram"
    version = "1"
    hashes_raw_bytes: ClassVar[bool] = False

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        with quiet_offline_htslib(), quiet_pysam_teardown():
            stats = yield from read_binary(source, ctx, self.format)
        return stats
