"""Small helpers the outputs share to put numbers and learner-supplied text into their formats."""

from __future__ import annotations


def number(value: float) -> str:
    """A score as people write it: 1, 0.5, 2.25."""
    return f"{value:g}"


def one_line(text: str) -> str:
    """``text`` on one line (a list item, a table cell)."""
    return text.replace("\r", " ").replace("\n", " ")


def inline_code(text: str) -> str:
    """``text`` as Markdown inline code, whatever backticks it holds."""
    return "`" + text.replace("`", "'") + "`"


def quoted(text: str) -> str:
    """``text`` as a Markdown block quote."""
    return "\n".join("> " + line for line in text.splitlines()) or ">"


def spreadsheet_cell(text: str) -> str:
    """A file name like "=HYPERLINK(...)" must not become a formula in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def printable(text: str) -> str:
    """``text`` safe for a terminal: a file name may hold escape sequences."""
    return "".join(c if c.isprintable() else "?" for c in text)
