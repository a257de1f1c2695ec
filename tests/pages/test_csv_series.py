"""A student's numbers from a CSV come back exactly, in order, or with a clear refusal.

Files are written the ways students' tools write them: any separator, decimal mark, line ending
(LF, CRLF, and the CR of Excel for Mac), with a header or without, quoted or not, in UTF-8 with
or without a BOM, or GBK. The parsing functions are checked on many generated files; the whole
sidebar path (upload, column choice, the series the pages draw) on fewer, through AppTest.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui import inputs, series_file

from .conftest import open_page

NAMES = ("value", "temperature", "t", "温度", "销量", "x1", "Sales")


@st.composite
def series_files(draw):
    """(file bytes, column to pick, the numbers of that column) for a randomly written file."""
    columns = draw(st.integers(1, 3))
    rows = draw(st.integers(2, 30))
    number = st.floats(-1e5, 1e5, allow_nan=False).map(lambda v: float(f"{v:.6g}"))
    table = [[draw(number) for _ in range(columns)] for _ in range(rows)]
    target = draw(st.integers(0, columns - 1))
    header = draw(st.booleans())
    separator = draw(st.sampled_from([",", ";", "\t", " "])) if columns > 1 else ""
    quote = draw(st.booleans()) and separator not in ("", " ")
    decimal = draw(st.sampled_from([".", ","]))
    if decimal == "," and separator == "," and not quote:
        decimal = "."  # 1,5,2,5 cannot be read by anyone
    if decimal == "," and columns == 1:
        header = True  # without a header, `1,5` is two columns, as CSV means it (the help says so)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))

    def cell(value: float) -> str:
        text = repr(value).replace(".", decimal) if decimal == "," else repr(value)
        return f'"{text}"' if quote else text

    lines = [separator.join(f'"{n}"' if quote else n for n in draw(st.permutations(NAMES))[:columns])] if header else []
    lines += [(separator or ",").join(cell(v) for v in row) for row in table]
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    return text.encode(encoding), target, [row[target] for row in table]


@settings(max_examples=300, deadline=None)
@given(series_files())
def test_generated_files_give_back_exactly_the_numbers_written(case):
    data, target, expected = case
    table = series_file.read_series_file(data)
    values, dropped = series_file.column_values(table, target)
    assert values.tolist() == expected and dropped.count == 0, (data[:80], table.separator, table.decimal)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=series_files())
def test_through_the_sidebar_the_pages_draw_exactly_the_numbers_written(app, case):
    data, target, expected = case
    at = open_page(app, "stepper")
    at.radio(key="input").set_value("series").run()
    at.selectbox(key="series").set_value("csv").run()
    at.get("file_uploader")[0].set_value(("data.csv", data, "text/csv")).run()
    for box in at.selectbox:
        if box.key == "csv_column":  # shown when the file has more than one column
            box.set_value(target).run()
    assert not at.exception and not at.error
    np.testing.assert_array_equal(at.session_state["_demo"].prepared.x[:, 0], expected)
    assert any("Read" in caption.value for caption in at.caption)  # what was read is shown


@pytest.mark.parametrize(
    "data,expected,dropped",
    [
        (b"value\n1\n2\n3", [1, 2, 3], 0),
        (b"temperature\n12.5\n13\n14.25", [12.5, 13, 14.25], 0),
        (b"1\n2\n3", [1, 2, 3], 0),  # the first value is data, not a header
        (b"1.5", [1.5], 0),
        (b"1 2 3 4", [1, 2, 3, 4], 0),  # one line of numbers: the series runs along it
        (b"1\r2\r3\r", [1, 2, 3], 0),  # Excel for Mac's "CSV (Macintosh)"
        (b"v\n1,5\n2,25\n", [1.5, 2.25], 0),
        (b'x\n"1\n2\n', [1, 2], 0),  # an unbalanced quote in a one-column file
        (b"x;y\n1;2\n3\n4;5\n", [1, 3, 4], 0),
        (b"v\n1\nabc\n\n3\nnan\n", [1, 3], 2),  # a word and a NaN left out, and said (the blank line is no entry)
    ],
    ids=[
        "header",
        "header-decimals",
        "no-header",
        "one-number",
        "one-row",
        "cr-only",
        "decimal-comma",
        "open-quote",
        "ragged",
        "dropped",
    ],
)
def test_files_from_the_issue_are_read_exactly(data, expected, dropped):
    table = series_file.read_series_file(data)
    values, left_out = series_file.column_values(table, 0)
    assert values.tolist() == expected and left_out.count == dropped


def test_an_unclosed_quote_in_a_separated_file_is_a_clear_refusal():
    with pytest.raises(ValueError, match="^csv_unclosed_quote:"):
        series_file.read_series_file(b'a,b\n1,2\n3,"4\n')


@pytest.mark.parametrize("first_line", [b"a" * 1_000_000, b"1," * 500_000, b"x" + b",y" * 199])
def test_a_long_first_line_is_read_without_the_sniffer(monkeypatch, first_line):
    """csv.Sniffer took 97 s on a 1 MB line; the separator is now chosen by counting."""
    monkeypatch.setattr(csv, "Sniffer", None)
    table = series_file.read_series_file(first_line + b"\n1\n2\n")
    assert table.total_rows >= 2


def test_only_the_rows_a_series_can_use_are_parsed():
    data = b"v\n" + b"1.5\n" * 1_000_000
    table = series_file.read_series_file(data)
    assert table.rows == inputs.MAX_SERIES_LENGTH and table.total_rows == 1_000_000


def test_a_bad_file_keeps_the_series_in_use(app):
    at = open_page(app, "stepper")
    at.radio(key="input").set_value("series").run()
    at.selectbox(key="series").set_value("csv").run()
    at.get("file_uploader")[0].set_value(("good.csv", b"v\n1\n2\n3\n", "text/csv")).run()
    at.get("file_uploader")[0].set_value(("bad.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv")).run()
    assert not at.exception and at.error
    np.testing.assert_array_equal(at.session_state["_demo"].prepared.x[:, 0], [1, 2, 3])
