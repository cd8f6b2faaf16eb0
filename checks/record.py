"""The attempt record: each check, ``hint()`` and ``solution()`` call as one entry (when, which exercise
and variant, the verdict, the mistake's key, the hint level reached), kept in the notebook's own saved
outputs, where the instructor's class report reads it. It never takes part in a grade: a learner can
edit or clear it, so everything made from it is self-reported.

Where it is kept. The one place a kernel can write into a notebook is its cells' outputs. So each call
shows a line saying what is kept, and that output carries, in its metadata under ``RECORD_KEY``,
every entry of that exercise this kernel knows of. What learners do to outputs decides the rest:

* re-running a cell replaces its output: the new one carries the exercise's entries the kernel knows,
  those the cell showed before included;
* restarting the kernel empties its memory: at its first entry a kernel reads the record back from the
  notebook, where its front end tells it where that is: Colab's live notebook, or the saved file whose
  path JupyterLab (``JPY_SESSION_NAME``, ``__session__``) or VS Code (``__vsc_ipynb_file__``) gives.
  Where none does (nbclient, other front ends), a cell re-run after a restart replaces that cell's
  earlier entries; every other cell keeps its own;
* saving keeps outputs; clearing them removes the record (the report counts such a notebook as having
  no record), once the kernel that remembers the entries has restarted too.

The record is the union of every output's entries, by each entry's id (``read_record``): the grader
reads a handed-in notebook so, and so does a kernel reading the notebook back. Nothing is kept where
no notebook is (plain Python), nor while the grader runs a submission (its checks are silenced) or a
check cell runs with the instructor's secret (nbgrader's autograde).
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path

from checks.environment import grading_secret
from checks.outcome import Status

#: Where an output's metadata holds its part of the record.
RECORD_KEY = "embedding-matrix/attempts"
FORMAT = 1
ACTIONS = ("check", "hint", "solution")
#: An entry's fields, in the order the record shows them.
FIELDS = ("id", "time", "exercise", "variant", "action", "result", "mistake", "hint")
#: More entries than this in one notebook are not read (a learner's week of work makes a few hundred).
MAX_ENTRIES = 5000
#: A saved notebook larger than this is not read back (notebooks with plots are a few MB).
MAX_NOTEBOOK_BYTES = 50 * 2**20
_TIME = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z")
_ID = re.compile(r"[0-9a-f]{12,32}")
_VARIANT = re.compile(r"[\w.\-]{1,40}", re.ASCII)
#: A mistake's key as outcomes carry it: the checks' own ("wrong-shape") or a status's ("raised-TypeError").
_KEY = re.compile(r"[\w.\-]{1,80}", re.ASCII)

#: This kernel's memory of the record: entry id -> entry.
_KNOWN: dict[str, dict] = {}
#: Where the record was read back from, once this kernel tried ("" when nowhere).
_READ_BACK: list[str] = []


def variant_of(exercise) -> str | None:
    """The variant of ``exercise`` this learner has, where the exercise has variants: its ``variant``
    attribute (a property may work it out), None for an exercise that has one task for everyone."""
    variant = getattr(exercise, "variant", None)
    return None if variant is None else str(variant)


# -- keeping it: what check(), hint() and solution() call -----------------------------------------------
def note(exercise, action: str, outcome=None, level: int | None = None) -> None:
    """Add an entry for ``action`` on ``exercise`` and show the line that says what is kept, its output
    carrying the exercise's record. ``outcome``: a check's; ``level``: the hint level just shown."""
    shell = _shell()
    if shell is None or _grading():
        return
    _read_back(shell)
    known = [entry for entry in _KNOWN.values() if entry["exercise"] == exercise.name]
    reached = max((entry["hint"] for entry in known), default=0)
    entry = {
        "id": secrets.token_hex(8),
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "exercise": exercise.name,
        "variant": variant_of(exercise),
        "action": action,
        "result": outcome.status.value if outcome is not None else None,
        "mistake": outcome.mistake if outcome is not None else None,
        "hint": max(reached, level or 0),
    }
    _KNOWN[entry["id"]] = entry
    kept = {
        "check": "the time, result and mistake of this check",
        "hint": "the time and level of this hint",
        "solution": "that you opened the solution, and when",
    }[action]
    _display(
        f"Attempt record: this notebook's outputs keep {kept}, for you and your instructor to see how the "
        "exercise went; it never changes your grade. `checks.attempts()` shows the record.",
        _ordered(known + [entry]),
    )


def attempts() -> None:
    """Show this notebook's attempt record: every entry this kernel knows of, oldest first."""
    shell = _shell()
    if shell is None:
        print("The attempt record is kept in a notebook's outputs; outside a notebook there is none.")
        return
    _read_back(shell)
    entries = _ordered(_KNOWN.values())
    where = (
        f"Entries from before this kernel started were read back from {_READ_BACK[0]}."
        if _READ_BACK[0]
        else "This kernel could not find the notebook's file: after a restart, running a check cell "
        "again replaces the entries it showed before (the other cells keep theirs)."
    )
    about = (
        f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, kept in the outputs of the cells that "
        "made them (clearing the outputs, then restarting the kernel, removes them). It is self-reported: it "
        "never changes your grade. " + where
    )
    _display(about, entries, table=_table(entries))


def _display(text: str, entries: list[dict], table: str = "") -> None:
    from IPython.display import display

    markup = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
    display(
        {
            "text/plain": text + ("\n" + _plain_table(entries) if table else ""),
            "text/html": f'<p style="color:#424242;font-size:0.9em;margin:2px 0">{markup}</p>{table}',
        },
        raw=True,
        metadata={RECORD_KEY: {"format": FORMAT, "entries": entries}},
    )


COLUMNS = FIELDS[1:]


def _cells(entry: dict) -> list[str]:
    local = _when(entry["time"]).astimezone()
    shown = {**entry, "time": f"{local:%Y-%m-%d %H:%M:%S %Z}"}
    return ["" if shown[column] is None else str(shown[column]) for column in COLUMNS]


def _table(entries: list[dict]) -> str:
    if not entries:
        return ""
    head = "".join(f'<th scope="col">{column}</th>' for column in COLUMNS)
    rows = "".join(
        '<tr><th scope="row">{}</th>{}</tr>'.format(
            html.escape(cells[0]), "".join(f"<td>{html.escape(cell)}</td>" for cell in cells[1:])
        )
        for cells in map(_cells, entries)
    )
    return (
        '<table style="color:#212121"><caption>This notebook\'s attempt record, oldest first</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _plain_table(entries: list[dict]) -> str:
    return "\n".join("  ".join(cells) for cells in map(_cells, entries))


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _grading() -> bool:
    return grading_secret() is not None


# -- reading it back: in a kernel after a restart, and in the grader ----------------------------------
def read_record(notebook: dict) -> dict | None:
    """The record a notebook (its JSON, as a dict) holds: ``{"entries": [...], "unreadable": n}``, the
    entries of every output that carries a part of it, once each (by id), oldest first, and how many
    could not be read (edited or damaged); None when no output carries a part (no record: an older copy,
    cleared outputs). Never raises, whatever the notebook holds."""
    found: dict[str, dict] = {}
    parts, unreadable = 0, 0
    for output in _outputs(notebook):
        metadata = output.get("metadata") if isinstance(output, dict) else None
        part = metadata.get(RECORD_KEY) if isinstance(metadata, dict) else None
        if part is None:
            continue
        parts += 1
        listed = part.get("entries") if isinstance(part, dict) else None
        if not isinstance(listed, list):
            unreadable += 1
            continue
        for raw in listed[:MAX_ENTRIES]:
            entry = valid_entry(raw)
            if entry is None:
                unreadable += 1
            elif entry["id"] not in found and len(found) < MAX_ENTRIES:
                found[entry["id"]] = entry
        unreadable += max(0, len(listed) - MAX_ENTRIES)
    if not parts:
        return None
    return {"entries": _ordered(found.values()), "unreadable": unreadable}


def entries_of(record) -> list[dict]:
    """The valid entries of a record as results.json holds it (none for None or anything malformed)."""
    listed = record.get("entries") if isinstance(record, dict) else None
    return [entry for entry in map(valid_entry, listed if isinstance(listed, list) else []) if entry is not None]


def merged(records: dict) -> dict | None:
    """One record of a learner's notebooks (notebook -> its record or None), saying which of them carried
    one: ``{"entries": [...], "unreadable": n, "notebooks": [...]}``; None when none did."""
    present = {notebook: record for notebook, record in records.items() if record is not None}
    if not present:
        return None
    entries = {entry["id"]: entry for record in present.values() for entry in record["entries"]}
    return {
        "entries": _ordered(entries.values()),
        "unreadable": sum(record["unreadable"] for record in present.values()),
        "notebooks": sorted(present),
    }


def _outputs(notebook: dict):
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    for cell in cells if isinstance(cells, list) else ():
        outputs = cell.get("outputs") if isinstance(cell, dict) else None
        yield from outputs if isinstance(outputs, list) else ()


def valid_entry(raw) -> dict | None:
    """The entry as the record's format has it, or None if any part of it is not (the grader's outputs
    read results.json, which a person may have edited, through it too)."""
    if not isinstance(raw, dict):
        return None
    entry = {key: raw.get(key) for key in FIELDS}
    from checks import EXERCISES  # here: checks imports this module while it registers the exercises

    if entry["action"] == "check":
        outcome = entry["result"] in {status.value for status in Status} and _matches(_KEY, entry["mistake"])
    else:
        outcome = entry["result"] is None and entry["mistake"] is None
    valid = (
        outcome
        and _matches(_ID, entry["id"])
        and _matches(_TIME, entry["time"])
        and _when(entry["time"]).year >= 2020
        and entry["exercise"] in EXERCISES
        and (entry["variant"] is None or _matches(_VARIANT, entry["variant"]))
        and entry["action"] in ACTIONS
        and type(entry["hint"]) is int
        and 0 <= entry["hint"] <= 20
    )
    return entry if valid else None


def _when(time: str) -> datetime:
    """An entry's time (UTC) as a datetime; a day the calendar lacks reads as the epoch."""
    try:
        return datetime.fromisoformat(time.replace("Z", "+00:00"))
    except ValueError:
        return datetime.fromtimestamp(0, timezone.utc)


def _matches(pattern: re.Pattern, value) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _ordered(entries) -> list[dict]:
    return sorted(entries, key=lambda entry: (entry["time"], entry["id"]))


def _read_back(shell) -> None:
    """Once per kernel: take in the record the notebook already holds, where the front end says where
    the notebook is. Nothing here is required: without it, the record keeps what the outputs keep."""
    if _READ_BACK:
        return
    _READ_BACK.append("")
    for where, notebook in _notebooks(shell):
        record = read_record(notebook)
        if record is not None:
            _KNOWN.update((entry["id"], entry) for entry in record["entries"] if entry["id"] not in _KNOWN)
            _READ_BACK[0] = _READ_BACK[0] or where


def _notebooks(shell):
    """(where, the notebook's JSON) for each place the front end tells of: Colab's live notebook, then
    the saved file VS Code or JupyterLab names."""
    if "google.colab" in sys.modules:
        try:
            from google.colab import _message

            reply = _message.blocking_request("get_ipynb", request="", timeout_sec=10)
            notebook = reply.get("ipynb") if isinstance(reply, dict) else None
            if isinstance(notebook, dict):
                yield "the notebook Colab has open", notebook
        except Exception:  # Colab's private channel: if it fails, the record keeps what the outputs keep
            pass
    names = [
        shell.user_ns.get("__vsc_ipynb_file__"),
        shell.user_ns.get("__session__"),
        os.environ.get("JPY_SESSION_NAME"),
    ]
    for path in dict.fromkeys(_candidates(name) for name in names if isinstance(name, str) and name):
        if path is None:
            continue
        try:
            if path.stat().st_size <= MAX_NOTEBOOK_BYTES:
                yield str(path), json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue


def _candidates(name: str) -> Path | None:
    """The notebook file ``name`` means: a path (JupyterLab gives the full one), or one relative to the
    kernel's folder (older servers), if it is a notebook file that is there."""
    for path in (Path(name), Path.cwd() / name, Path.cwd() / Path(name).name):
        if path.suffix == ".ipynb" and path.is_file():
            return path.resolve()
    return None
