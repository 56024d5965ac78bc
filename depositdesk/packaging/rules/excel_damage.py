"""Values a spreadsheet has already mangled, each with the value to put back.

Every finding's suggestion reads ``Replace with '<value>'`` so the app can apply it in one undo step
(`suggested_value` parses it back). What is found:

- gene symbols turned into dates: ``2-Sep`` / ``Sep-02`` / ``02-Sep-2024`` -> ``SEPT2``; ``1-Mar`` -> ``MARCH1``
  (Zeeberg et al. 2004; Ziemann et al. 2016), in SDRF cells that are not date columns;
- long numbers in scientific notation (``1.23457E+11``), the digits written out;
- numbers that lost their leading zeros in a column of zero-padded numbers (``12`` among ``0034``, ``0056``);
- leading/trailing, doubled and non-breaking spaces; typographic quotes and dashes;
- one value spelled in several letter cases in one column (``paired`` / ``PAIRED``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.rules import codes
from depositdesk.packaging.rules._where import cell, column_counts, idf_values, rows_with

# month abbreviation -> the gene-family stem a spreadsheet turns into that month
GENE_MONTHS = {"sep": "SEPT", "mar": "MARCH", "dec": "DEC", "oct": "OCT", "nov": "NOV", "apr": "APR"}
_MONTH = "|".join(GENE_MONTHS)
DAY_MONTH = re.compile(rf"^(\d{{1,2}})-({_MONTH})(?:-(?:\d{{2}}|\d{{4}}))?$", re.I)
MONTH_DAY = re.compile(rf"^({_MONTH})-(\d{{1,2}})$", re.I)
SCIENTIFIC = re.compile(r"^[+-]?\d(?:\.\d+)?[eE]\+?(\d{1,3})$")
PLAIN_NUMBER = re.compile(r"^\d+$")
SMART = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'",
         "\u2013": "-", "\u2014": "-", "\u2032": "'", "\u2033": '"'}
SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200b]")
QUICK = re.compile("^\\s|\\s$|\\s\\s|[" + "".join(SMART) + "\u00a0\u2007\u202f\u2009\u200b]"
                   r"|^[+-]?\d(?:\.\d+)?[eE]|^\d{1,2}-[A-Za-z]|^[A-Za-z]{3}-\d")
"""Any damage starts like one of these; most values match none and are passed over at once."""
SUGGEST = re.compile(r"^Replace with '(.*)'$", re.S)
DATE_COLUMN_WORDS = ("date", "time", "year", "month", "day")


def suggested_value(suggestion: str) -> str | None:
    """The value a ``Replace with '...'`` suggestion names (None for other suggestions)."""
    match = SUGGEST.match(suggestion)
    return match.group(1) if match else None


def replace_with(value: str) -> str:
    return f"Replace with '{value}'"


# --- single values ---------------------------------------------------------------------------------
def gene_from_date(value: str) -> str | None:
    text = value.strip()
    match = DAY_MONTH.match(text)
    if match:
        return f"{GENE_MONTHS[match.group(2).lower()]}{int(match.group(1))}"
    match = MONTH_DAY.match(text)
    if match:
        return f"{GENE_MONTHS[match.group(1).lower()]}{int(match.group(2))}"
    return None


def expand_scientific(value: str) -> str | None:
    """'1.23457E+11' -> '123457000000' (only for long numbers: exponent >= 10, as barcodes/ids)."""
    match = SCIENTIFIC.match(value.strip())
    if not match or int(match.group(1)) < 10:
        return None
    try:
        return format(Decimal(value.strip()).quantize(Decimal(1)), "f")
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def cleaned_spaces(value: str) -> str:
    return re.sub(r" {2,}", " ", SPACES.sub(" ", value)).strip()


def plain_quotes(value: str) -> str:
    return "".join(SMART.get(ch, ch) for ch in value)


def value_findings(value: str, where: Location, gene_dates: bool = True) -> list[Finding]:
    if not QUICK.search(value):
        return []
    out: list[Finding] = []
    gene = gene_from_date(value) if gene_dates else None
    if gene is not None:
        out.append(finding(codes.XL_GENE_DATE, f"'{value}' looks like the gene symbol {gene} turned into "
                           "a date by a spreadsheet", where, suggestion=replace_with(gene)))
    number = expand_scientific(value)
    if number is not None:
        out.append(finding(codes.XL_SCIENTIFIC, f"'{value}' is a long number in scientific notation; "
                           "digits after the first few may be lost", where, suggestion=replace_with(number)))
    if cleaned_spaces(value) != value:
        kind = "non-breaking" if SPACES.search(value) else "extra"
        out.append(finding(codes.XL_SPACES, f"'{value}' has {kind} spaces", where,
                           suggestion=replace_with(cleaned_spaces(value))))
    if plain_quotes(value) != value:
        out.append(finding(codes.XL_SMART_QUOTES, f"'{value}' holds typographic quotes or dashes", where,
                           suggestion=replace_with(plain_quotes(value))))
    return out


# --- columns ---------------------------------------------------------------------------------------
def is_date_column(heading: str, kind: str) -> bool:
    """A column of dates, where "2-Sep" may be meant (no gene-date finding there)."""
    return kind == "date" or any(word in heading.lower() for word in DATE_COLUMN_WORDS)


def lost_zeros(counts: dict[str, int]) -> tuple[int, set[str]] | None:
    """(width, padded values) when most numbers of a column (value -> count) are zero-padded to one width."""
    numbers = {v: n for v, n in counts.items() if PLAIN_NUMBER.match(v)}
    padded = {v: n for v, n in numbers.items() if v.startswith("0") and len(v) > 1}
    total_padded = sum(padded.values())
    if len(padded) < 2 or total_padded * 2 < sum(numbers.values()):
        return None
    widths: Counter[int] = Counter()
    for v, n in padded.items():
        widths[len(v)] += n
    width, count = widths.most_common(1)[0]
    return (width, set(padded)) if count * 10 >= total_padded * 9 else None


def column_findings(sdrf: Sdrf, c: int, counts: dict[str, int]) -> list[Finding]:
    """Lost zeros and case variants: judged on the column's distinct values, reported per cell."""
    fixes: dict[str, tuple[str, str, str]] = {}
    padding = lost_zeros({v.strip(): n for v, n in counts.items()})
    if padding is not None:
        width = padding[0]
        for value in counts:
            v = value.strip()
            if PLAIN_NUMBER.match(v) and len(v) < width:
                fixes[value] = (codes.XL_LEADING_ZEROS, f"'{v}' is shorter than the column's {width}-digit "
                                "zero-padded numbers", v.zfill(width))
    fixes.update(_case_variants(counts))
    return [finding(code, message, cell(sdrf, r, c), suggestion=replace_with(fixed))
            for r, value in rows_with(sdrf, c, fixes) for code, message, fixed in (fixes[value],)]


def _case_variants(counts: dict[str, int]) -> dict[str, tuple[str, str, str]]:
    stripped = {v.strip() for v in counts}
    if len({v.casefold() for v in stripped}) == len(stripped):
        return {}      # the common case: no two spellings of one value
    folded: dict[str, list[str]] = {}
    for value in counts:
        folded.setdefault(value.strip().casefold(), []).append(value)
    out: dict[str, tuple[str, str, str]] = {}
    for key, values in folded.items():
        if not key or key.isdigit() or len({v.strip() for v in values}) < 2:
            continue
        variants: Counter[str] = Counter()
        for value in values:
            variants[value.strip()] += counts[value]
        best = variants.most_common(1)[0][0]
        for value in values:
            v = value.strip()
            if v in variants and v != best:
                out[value] = (codes.XL_CASE_VARIANT, f"'{v}' is written '{best}' elsewhere in the column", best)
    return out


def sdrf_findings(sdrf: Sdrf) -> list[Finding]:
    out: list[Finding] = []
    for c, column in enumerate(sdrf.columns):
        gene_dates = not is_date_column(sdrf.header[c], column.kind)
        counts = column_counts(sdrf, c)
        damaged = {v: value_findings(v, Location(), gene_dates) for v in counts if v and QUICK.search(v)}
        damaged = {v: found for v, found in damaged.items() if found}
        for r, value in rows_with(sdrf, c, damaged):
            where = cell(sdrf, r, c)
            out.extend(replace(f, location=where) for f in damaged[value])
        out.extend(column_findings(sdrf, c, counts))
    return out


def findings(project: Project) -> list[Finding]:
    """Spreadsheet damage in every SDRF cell, and spacing in IDF values."""
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        out.extend(sdrf_findings(sdrf))
    for where, _name, value in idf_values(project):
        if cleaned_spaces(value) != value:
            out.append(finding(codes.XL_SPACES, f"'{value}' has extra or non-breaking spaces", where,
                               suggestion=replace_with(cleaned_spaces(value))))
    return out
