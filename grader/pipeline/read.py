"""Read, the first step: each submitted file read into the code it runs, without running anything;
and finding the submitted files (``find_submissions``, which the commands call before the batch).

A submission is untrusted: it may be empty, binary, huge, not JSON, JSON that is not a notebook, or a
notebook that nbformat finds slightly invalid. Each case ends as a ``Rejected`` with a clear reason, or
as the notebook's code cells, in order, as plain Python: IPython syntax (``%matplotlib inline``,
``!pip install ...``, ``%%time``) is turned into ``get_ipython()`` calls, which the sandbox answers
with a stand-in that runs nothing outside Python.

Files are looked at with ``lstat``: a symbolic link (to the solution notebook, say) or a special file
is never followed or opened, and gets a row saying so. A notebook's stored outputs (plots, printouts)
are dropped before anything else, once the attempt record they carry is read (it is reported, never
graded: ``checks/record.py``): the limits are on its code (``MAX_CODE_BYTES``, ``MAX_CELLS``), so
a correct notebook with big plots in it is graded; a file larger than ``MAX_FILE_BYTES`` is not read.
Everything here is linear in the notebook's size.

Check cells are not removed here: the sandbox makes ``checks.<exercise>.check`` a no-op while the
notebook runs, so a learner who wrote code into a check cell (or a check call into a code cell) loses
nothing, and no check runs inside the learner's process.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from checks.record import read_record
from grader.pipeline.progress import Progress
from grader.results import Unjudged

#: Larger files are not read at all: a notebook of the course is about 15 kB of code, and a few MB
#: with its plots (24 MB has been handed in); reading one costs about twice its size in memory.
MAX_FILE_BYTES = 100 * 2**20
#: More code than this is not run: the course's notebooks hold under 50 kB.
MAX_CODE_BYTES = 2 * 2**20
#: More code cells are not run: the course's longest notebook has about 30.
MAX_CELLS = 1000
#: Not submissions: what operating systems and Jupyter leave in folders.
_IGNORED = {"__MACOSX", ".ipynb_checkpoints", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class ReadFiles:
    notebooks: dict  # file name -> Notebook: its code cells
    rejected: dict  # file name -> Rejected: why it could not be read as a notebook


class Read:
    """Each file read into its code cells, or rejected with the reason (a rejected file is done)."""

    def run(self, submissions: list[tuple[str, Path]], progress: Progress) -> ReadFiles:
        notebooks, rejected = {}, {}
        for name, path in submissions:
            found = read_submission(path)
            if isinstance(found, Rejected):
                rejected[name] = found
                progress.advance(name)
            else:
                notebooks[name] = found
        return ReadFiles(notebooks, rejected)


class NothingToGrade(Exception):
    pass


def find_submissions(path: Path) -> list[tuple[str, Path]]:
    """Every file to grade, named as found: the file's name, or its path inside the folder. Symbolic
    links are listed (to get a row saying what they are), never followed."""
    if not path.exists() and not path.is_symlink():
        raise NothingToGrade(f"{path} does not exist.")
    if not path.is_dir():
        return [(path.name, path)]
    found = []
    for folder, subfolders, files in os.walk(path):  # does not follow symlinked folders
        links = [d for d in subfolders if os.path.islink(os.path.join(folder, d))]
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in _IGNORED and d not in links)
        for file in sorted(files + links):
            if not file.startswith(".") and file not in _IGNORED:
                item = Path(folder) / file
                found.append((item.relative_to(path).as_posix(), item))
    if not found:
        raise NothingToGrade(f"{path} holds no files to grade.")
    return found


@dataclass(frozen=True)
class Cell:
    number: int  # 1-based position among the notebook's code cells, as a learner counts them
    source: str  # plain Python
    first_line: str  # the cell's first non-blank line as written, to name it in feedback


@dataclass
class Notebook:
    cells: list[Cell]
    notes: list[str] = field(default_factory=list)
    record: dict | None = None  # the attempt record its outputs carry: never graded, only reported


@dataclass(frozen=True)
class Rejected:
    status: Unjudged
    message: str


def read_submission(path: Path) -> Notebook | Rejected:
    """The code cells of the notebook at ``path``, or why it cannot be graded."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return Rejected(Unjudged.NOT_A_NOTEBOOK, f"The file could not be read ({exc.strerror}).")
    if stat.S_ISLNK(info.st_mode):
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK,
            "This is a symbolic link, not a notebook file, so it was not followed or "
            "graded. Submit the notebook itself.",
        )
    if not stat.S_ISREG(info.st_mode):
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK, "This is not a regular file (a device, pipe or socket), so it was not read."
        )
    if info.st_size == 0:
        return Rejected(Unjudged.NOT_A_NOTEBOOK, "The file is empty.")
    if info.st_size > MAX_FILE_BYTES:
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK,
            f"The file is {info.st_size / 2**20:.0f} MB, more than the "
            f"{MAX_FILE_BYTES // 2**20} MB the grader reads; clear the notebook's "
            "outputs (Edit > Clear Outputs of All Cells), save, and hand it in again.",
        )
    try:  # O_NOFOLLOW: a file swapped for a symbolic link since the lstat is not followed either
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return Rejected(Unjudged.NOT_A_NOTEBOOK, "This is not a regular file, so it was not read.")
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Rejected(Unjudged.NOT_A_NOTEBOOK, f"The file could not be read ({exc.strerror}).")
    return parse_notebook(raw)


def _cut_off(error: json.JSONDecodeError, text: str) -> bool:
    """Whether the JSON broke off where the text ends (a truncated file), not at a wrong character: the
    parser stopped at the end, in a string the end left open, or in a word (``nul``) or number (``1.``)
    the end cut short."""
    rest = text[error.pos :].strip()
    if error.msg.startswith("Unterminated string") or re.fullmatch(r"[-+0-9.eE]*", rest):
        return True
    return any(word.startswith(rest) for word in ("null", "true", "false"))


def parse_notebook(raw: bytes) -> Notebook | Rejected:
    if not raw.strip():
        return Rejected(Unjudged.NOT_A_NOTEBOOK, "The file is empty.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK, "The file is binary data, not a notebook (.ipynb files are JSON text)."
        )
    if "\x00" in text:
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK, "The file is binary data, not a notebook (.ipynb files are JSON text)."
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError) and text.lstrip().startswith("{") and _cut_off(exc, text):
            return Rejected(
                Unjudged.NOT_A_NOTEBOOK,
                "The file stops in the middle of the notebook, so it could not be read: it was probably cut off "
                "while it was saved or uploaded. Open the notebook in Jupyter, save it, and hand it in again.",
            )
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK,
            f"The file is not valid JSON{where}, so it is not a notebook. Was it "
            "saved from Jupyter, or renamed from another kind of file?",
        )
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK, "The file is JSON but not a Jupyter notebook (it has no list of cells)."
        )
    notes = []
    record = read_record(data)  # before the outputs go: the attempt record is kept in them
    _drop_outputs(data)
    cells = _cells_via_nbformat(json.dumps(data))
    if cells is None:
        cells = _cells_leniently(data)
        if cells is None:
            return Rejected(Unjudged.NOT_A_NOTEBOOK, "The file is JSON but its cells are not notebook cells.")
        notes.append("The notebook file does not fully follow the notebook format; its cells were read anyway.")
    if len(cells) > MAX_CELLS:
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK,
            f"The notebook has {len(cells):,} code cells; the grader runs at most "
            f"{MAX_CELLS:,} (the course's notebook has about 20).",
        )
    size = sum(len(source.encode("utf-8", "replace")) for source in cells)
    if size > MAX_CODE_BYTES:
        return Rejected(
            Unjudged.NOT_A_NOTEBOOK,
            f"The notebook's code cells hold {size / 2**20:.1f} MB of code; the "
            f"grader runs at most {MAX_CODE_BYTES // 2**20} MB (the course's "
            "notebooks hold under 50 kB).",
        )
    code = [
        Cell(number=n, source=to_python(source), first_line=_first_line(source))
        for n, source in enumerate(cells, start=1)
    ]
    return Notebook(code, notes, record)


def _drop_outputs(data: dict) -> None:
    """Forget the cells' stored outputs (the grader runs the code afresh): only the code is checked
    against the limits, and the format check does not wade through megabytes of plots."""
    for cell in data.get("cells") or []:
        if isinstance(cell, dict) and "outputs" in cell:
            cell["outputs"] = []


def _cells_via_nbformat(text: str):
    import logging

    import nbformat

    logger = logging.getLogger("traitlets")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # nbformat logs validation problems; we report them ourselves
    try:
        nb = nbformat.reads(text, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "code"]
    except Exception:
        return None
    finally:
        logger.setLevel(level)


def _cells_leniently(data: dict):
    cells = data.get("cells")
    if cells is None:  # nbformat 3: cells live in worksheets
        cells = [c for w in data.get("worksheets") or [] if isinstance(w, dict) for c in w.get("cells") or []]
    found = []
    for cell in cells:
        if not isinstance(cell, dict):
            return None
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            return None
        found.append(source)
    return found


def to_python(source: str) -> str:
    """IPython cell syntax as plain Python (magics become ``get_ipython()`` calls)."""
    try:
        return _transformer().transform_cell(source)
    except Exception:  # IPython gives up on some malformed input; the sandbox reports the syntax error
        return source


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 60 else line[:57] + "..."
    return ""


@functools.lru_cache(maxsize=1)
def _transformer():
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager()
