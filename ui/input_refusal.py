"""The one error a page shows for input a student typed, uploaded or linked that it cannot use.

It is a ValueError (lstm_core's convention for bad input) that carries a key the translator
knows (`error_<key>` in ui/i18n.py) and the detail its sentence names, so a page never parses a
message to find out what went wrong.
"""

from __future__ import annotations


class InputRefused(ValueError):
    """`key` names the problem (empty_text, csv_unclosed_quote, …); `detail` is what the
    sentence quotes (the bad number, the line, a limit)."""

    def __init__(self, key: str, detail: object = "") -> None:
        self.key, self.detail = key, str(detail)
        super().__init__(f"{key}: {self.detail}" if self.detail else key)

    def __reduce__(self):
        """Pickle by key and detail (Streamlit's cache pickles what a cached function raises)."""
        return InputRefused, (self.key, self.detail)
