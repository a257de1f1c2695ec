"""Reading a student's numbers from a CSV or text file: exactly, boundedly, and saying what happened.

The student's numbers are the lesson's data, so nothing is guessed silently: a file may have a
header or not, one column or many, be separated by commas, semicolons, tabs or spaces, use a
decimal comma, end its lines in LF, CRLF or CR (Excel for Mac), and come in UTF-8 (with or
without a BOM), UTF-16 or GBK. `read_series_file` returns a `SeriesTable` that says what it
decided (separator, decimal mark, header) and `column_values` says which entries it left out and
why, so the sidebar can show both.

The work is bounded: the separator is chosen by counting characters in the first lines (pandas'
`sep=None` uses csv.Sniffer, whose regular expressions take minutes on one long line), and only
the rows a series can use are parsed (MAX_SERIES_LENGTH; the rest are counted, not read). Every
failure is an InputRefused (a ValueError) whose key names the sentence (ui/i18n.py).
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

from ui.input_refusal import InputRefused

MAX_ROWS = 2000  # = ui.inputs.MAX_SERIES_LENGTH: rows beyond it are counted, never parsed
MAX_COLUMNS = 200
SAMPLE_LINES = 50  # lines that decide the separator
MAX_LINE_CHARACTERS = 100_000  # a line is read this far (200 columns of numbers fit many times over)
ROW_CHARACTERS = MAX_ROWS * 64  # a single line of numbers is split this far: MAX_ROWS numbers fit
SEPARATORS = ("\t", ";", ",", "|")  # in order of preference when several fit; else white space
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$")
_COMMA_OR_WHOLE = re.compile(r"^[+-]?\d+(?:,\d+)?(?:[eE][+-]?\d+)?$")
_QUOTED = re.compile(r'"[^"\n]*"')


@dataclass(frozen=True)
class Dropped:
    """Entries of a column that are not used, with the file's line numbers (1-based)."""

    empty: tuple[int, ...] = ()
    not_numbers: tuple[int, ...] = ()
    not_finite: tuple[int, ...] = ()

    @property
    def count(self) -> int:
        return len(self.empty) + len(self.not_numbers) + len(self.not_finite)


@dataclass(frozen=True)
class SeriesTable:
    """What a file held, and how it was read."""

    columns: tuple[str, ...]  # from the header, or "" for a file without one (the UI numbers them)
    cells: tuple[tuple[str, ...], ...]  # one tuple per column: its raw entries, in file order
    lines: tuple[int, ...]  # each data row's line number in the file (1-based); for a file of one
    # line of numbers, each number's position in that line
    separator: str  # "\t", ";", ",", "|", " " (white space) or "" (one column)
    decimal: str  # "." or ","
    header: bool
    total_rows: int  # data rows in the file (only the first MAX_ROWS are parsed)

    @property
    def rows(self) -> int:
        return len(self.lines)


def decode(data: bytes) -> str:
    """The text: UTF-16 by its BOM, then UTF-8 (with or without a BOM), then GBK."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputRefused("csv_unreadable") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InputRefused("csv_unreadable")  # binary: an image, a spreadsheet saved as .xlsx, …


def choose_separator(sample: list[str]) -> str:
    """The separator that reads the sample best: among those that split (nearly) every line into
    the same number of fields, the one whose fields are numbers most often (preferring tab, ;,
    comma, |, white space, in that order, on a tie); "" for one column. Counting characters and
    splitting the sample is linear in its length, whatever the file holds."""
    unquoted = [_QUOTED.sub('""', line) for line in sample]  # a separator inside quotes separates nothing
    candidates = [separator for separator in SEPARATORS if _fits([line.count(separator) for line in unquoted])]
    if _fits([len(line.split()) - 1 for line in sample]) or _fits([len(line.split()) - 1 for line in sample[1:]]):
        candidates.append(" ")
    candidates.append("")
    data = sample[1:] or sample  # the first line may be a header
    return max(candidates, key=lambda separator: _numeric_score(data, separator, _decimal_mark(sample, separator)))


def _numeric_score(lines: list[str], separator: str, decimal: str) -> int:
    """Fields that are numbers, minus fields that are not: how well a separator reads the lines."""
    try:
        cells = [cell for line in lines for cell in split_line(line, separator)]
    except ValueError:  # an unclosed quote: this separator cannot read the file
        return -len(lines)
    numbers = sum(to_number(cell, decimal) is not None for cell in cells)
    return numbers - (len(cells) - numbers)


def _fits(counts: list[int]) -> bool:
    """Three lines in four share one count, the first line (a header, perhaps) among them, and it
    is not zero (a ragged line may lack a value)."""
    if not counts:
        return False
    mode = max(set(counts), key=counts.count)
    return mode > 0 and counts[0] == mode and counts.count(mode) >= 0.75 * len(counts)


def _decimal_comma_column(sample: list[str]) -> bool:
    """A header without a comma, then numbers like `1,5` (or whole numbers) on every line: one
    column with decimal commas. Without a header, `1,5` stays two columns, as CSV means it."""
    if "," in sample[0] or _COMMA_OR_WHOLE.match(sample[0].strip()):
        return False
    data = sample[1:]
    return (
        bool(data)
        and all(_COMMA_OR_WHOLE.match(line.strip()) for line in data)
        and any(_DECIMAL_COMMA.match(line.strip()) for line in data)
    )


def split_line(line: str, separator: str) -> list[str]:
    if separator == "":
        return [line.strip()]
    if separator == " ":
        return line.split()
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=separator, strict=True))]
    except csv.Error:
        raise InputRefused("csv_unclosed_quote", line[:30]) from None


def to_number(cell: str, decimal: str) -> float | None:
    """The number a cell holds, or None when it holds none (text, a formula, nothing)."""
    cell = cell.strip().strip('"').strip()
    if decimal == ",":
        cell = cell.replace(",", ".")
    try:
        return float(cell)
    except ValueError:
        return None


def read_series_file(data: bytes) -> SeriesTable:
    """A CSV/text upload as a table of raw cells, with the separator, decimal mark and header
    it was read with. InputRefused "csv_empty", "csv_unreadable", "csv_too_many_columns" (the
    count), "csv_unclosed_quote" (the line)."""
    if not data.strip():
        raise InputRefused("csv_empty")
    text = decode(data)
    stream = io.StringIO(text, newline=None)  # LF, CRLF and the CR of Excel for Mac all end a line
    numbered = [(k + 1, line.rstrip("\n")) for k, line in enumerate(itertools.islice(stream, MAX_ROWS + SAMPLE_LINES))]
    unread = stream.read()
    numbered = [(n, line) for n, line in numbered if line.strip()]
    if not numbered:
        raise InputRefused("csv_empty")
    if len(numbered) == 1:  # one line: perhaps a whole series along it (1 2 3 4)
        return _read_row(numbered[0])
    numbered = [(n, line[:MAX_LINE_CHARACTERS]) for n, line in numbered]
    separator = choose_separator([line for _, line in numbered[:SAMPLE_LINES]])
    first = split_line(numbered[0][1], separator)
    decimal = _decimal_mark([line for _, line in numbered[:SAMPLE_LINES]], separator)
    header = (
        len(numbered) > 1
        and any(to_number(cell, decimal) is None for cell in first)
        and any(
            to_number(cell, decimal) is not None for _, line in numbered[1:6] for cell in split_line(line, separator)
        )
    )
    body = (numbered[1:] if header else numbered)[:MAX_ROWS]
    rows = [split_line(line, separator) for _, line in body]
    width = max(len(first), *(len(row) for row in rows)) if rows else len(first)
    if width > MAX_COLUMNS:
        raise InputRefused("csv_too_many_columns", width)
    cells = tuple(tuple(row[k] if k < len(row) else "" for row in rows) for k in range(width))
    columns = tuple(name[:60] for name in first) + ("",) * (width - len(first)) if header else ("",) * width
    later = len(numbered) - header - len(body) + unread.count("\n") + (not unread.endswith("\n") if unread else 0)
    return SeriesTable(columns, cells, tuple(n for n, _ in body), separator, decimal, header, len(body) + later)


def _read_row(numbered: tuple[int, str]) -> SeriesTable:
    """A file of one line: a series along it when it splits into several fields, else one value.
    Only the first MAX_ROWS fields are split off; the rest is counted, in C."""
    _, line = numbered
    head = line[:ROW_CHARACTERS]
    separator = choose_separator([head])
    decimal = _decimal_mark([head], separator)
    cells = split_line(head, separator)
    if len(head) < len(line) and len(cells) > 1:
        cells = cells[:-1]  # the last field may be cut in the middle of a number
    total = _field_count(line, separator) if len(head) < len(line) else len(cells)
    cells = cells[:MAX_ROWS]
    return SeriesTable(("",), (tuple(cells),), tuple(range(1, len(cells) + 1)), separator, decimal, False, total)


def _field_count(line: str, separator: str) -> int:
    if separator == "":
        return 1
    if separator != " ":
        return line.count(separator) + 1
    blank = np.isin(np.frombuffer(line.encode("utf-8"), dtype=np.uint8), np.frombuffer(b" \t", np.uint8))
    return int(np.count_nonzero(~blank[1:] & blank[:-1]) + (not blank[0]))  # starts of runs of non-blanks


def _decimal_mark(sample: list[str], separator: str) -> str:
    """ "," when cells like 1,5 outnumber cells like 1.5 (a comma inside a field: a decimal comma)."""
    if separator == "":
        return "," if _decimal_comma_column(sample) else "."
    cells = [cell for line in sample for cell in split_line(line, separator)]
    commas = sum(bool(_DECIMAL_COMMA.match(cell.strip('"'))) for cell in cells)
    points = sum("." in cell and to_number(cell, ".") is not None for cell in cells)
    return "," if commas > points else "."


def column_values(table: SeriesTable, column: int) -> tuple[np.ndarray, Dropped]:
    """The numbers of one column in file order, and what was left out (by line number)."""
    values, empty, not_numbers, not_finite = [], [], [], []
    for line, cell in zip(table.lines, table.cells[column]):
        if not cell.strip():
            empty.append(line)
            continue
        number = to_number(cell, table.decimal)
        if number is None:
            not_numbers.append(line)
        elif not math.isfinite(number):
            not_finite.append(line)
        else:
            values.append(number)
    if not values:
        raise InputRefused("column_not_numeric")
    return np.array(values, dtype=np.float64), Dropped(tuple(empty), tuple(not_numbers), tuple(not_finite))
