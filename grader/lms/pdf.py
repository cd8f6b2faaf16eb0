"""The feedback as a PDF, for a learner who handed in a PDF: Canvas shows a file attached to a
submission under the name of the file handed in ("answers.pdf"), so the feedback that tells them to
hand in the notebook has to open as a PDF.

Plain text, one column of Helvetica (a font every PDF reader has, so nothing is embedded), wrapped
and paged; the language and title declared, so a screen reader reads it as English text. Characters
outside Windows-1252 (the encoding the standard fonts have) become "?". Nothing in it depends on the
time: the same feedback gives the same bytes.
"""

from __future__ import annotations

import re
import textwrap

#: A4 in points, the margin, the font size, the line height, and the characters a line holds.
WIDTH, HEIGHT, MARGIN, SIZE, LEADING, COLUMNS = 595, 842, 56, 10, 14, 92
LINES_PER_PAGE = (HEIGHT - 2 * MARGIN) // LEADING


def plain_lines(markdown: str) -> list[str]:
    """The Markdown the grader writes as the lines of plain text a page shows."""
    lines = []
    for line in markdown.splitlines():
        line = re.sub(r"\*\*([^*\n]+)\*\*", r"\1", line).replace("`", "")
        line = re.sub(r"^#+\s*", "", line)
        indent = "  " if line.startswith(("> ", "- ")) else ""
        lines += textwrap.wrap(line, COLUMNS, subsequent_indent=indent) or [""]
    return lines


def _text(line: str) -> bytes:
    encoded = line.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def document(markdown: str, title: str) -> bytes:
    """A PDF of ``markdown`` as plain text, titled ``title``."""
    lines = plain_lines(markdown)
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, max(len(lines), 1), LINES_PER_PAGE)]
    font, first_page = 3, 5  # objects: 1 catalog, 2 pages, 3 font, 4 info, then a page and its content each
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (en) /ViewerPreferences << /DisplayDocTitle true >> >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(pages)))
        + b"] /Count %d >>" % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title " + _text(title) + b" >>",
    ]
    for i, page in enumerate(pages):
        stream = b"BT /F1 %d Tf %d TL %d %d Td " % (SIZE, LEADING, MARGIN, HEIGHT - MARGIN)
        stream += b" ".join(_text(line) + b" Tj T*" for line in page) + b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (WIDTH, HEIGHT, font, first_page + 2 * i + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
