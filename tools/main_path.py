"""The main path of a notebook, and how long a notebook takes (CONTRIBUTING.md, "What every
notebook looks like"): what the learner copies' first cells state, written by ``tools/generate.py`` (``StatedTimes``)
and held to the course's limit by ``tests/test_main_path.py``.

Words are counted in the learner notebooks' Markdown cells, in order: a run of letters and digits is a
word; a code span, a fenced code block and a formula (``$...$`` or ``$$...$$``) are one word each. A
section whose heading (``#`` to ``######``) says "Optional", in any case, runs to the next heading of
its level or higher, across cells, and is not counted; a deeper heading inside it stays optional.

A notebook's time: its main path read at 150 words a minute, 10 minutes per graded exercise and 5 per
practice exercise or checked experiment, and a full run of its cells (``RUN_MINUTES``, measured), the
total to the nearest 5 minutes.
"""

from __future__ import annotations

import math
import re

from tools import notebooks

LIMIT = 11_000
WORDS_PER_MINUTE = 150
GRADED_MINUTES, PRACTICE_MINUTES = 10, 5
#: Minutes a full run of each notebook's cells takes (nbclient, a fresh kernel, the solution notebook on
#: the course's 2-core machine, rounded up). A notebook not in the table yet gets no time written.
RUN_MINUTES = {
    "01_creating_variables": 1,
    "02_initializers": 1,
    "03_embedding_lookup": 1,
    "04_time_to_code": 1,
    "05_training": 1,
}
EXPERIMENT_CALL = re.compile(r"\bexperiments\.(\w+)\.check\(")
TIME_LINE = re.compile(r"^\*\*Time:\*\* about (\d+) minutes(?: \([^()\n]+\))?$", re.MULTILINE)

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TOKEN = re.compile(
    r"(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)"  # a code span, however many backticks
    r"|\$\$(?:(?!\n[ \t]*\n).)+?\$\$"  # a displayed formula
    r"|\$(?:(?!\n[ \t]*\n)[^$])+\$"  # an inline formula, within one paragraph
    r"|[^\W_]+",  # a run of letters and digits
    re.DOTALL,
)


def words(markdown: str) -> int:
    """The words of a piece of Markdown with no headings: a code span or a formula is one word."""
    return len(TOKEN.findall(markdown))


def main_path(cells: list[str]) -> tuple[int, int]:
    """(words on the main path, words in optional sections) of a notebook's Markdown cells, in order."""
    counted = {False: 0, True: 0}
    optional_level = None  # the level of the heading whose optional section we are in
    for source in cells:
        chunk, fence = [], None  # lines of one kind (main or optional) not counted yet; the open fence
        for line in source.split("\n"):
            if fence is not None:
                fence = None if line.strip().startswith(fence) and not line.strip().strip(fence[0]) else fence
                continue  # the block was counted as one word where it opened
            opening = FENCE.match(line)
            if opening:
                fence = opening.group(1)
                chunk.append("`block`")
                continue
            heading = HEADING.match(line)
            if heading:
                counted[optional_level is not None] += words("\n".join(chunk))
                chunk = []
                level = len(heading.group(1))
                if optional_level is not None and level <= optional_level:
                    optional_level = None
                if optional_level is None and "optional" in (heading.group(2) or "").lower():
                    optional_level = level
            chunk.append(line.lstrip(" #") if heading else line)
        counted[optional_level is not None] += words("\n".join(chunk))
    return counted[False], counted[True]


def markdown_cells(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


def exercise_minutes(nb) -> int:
    """10 for each graded exercise the notebook checks, 5 for each practice exercise or checked
    experiment: every distinct ``checks.<name>.check(`` in a cell tagged ``check``, and every distinct
    ``experiments.<name>.check(`` (an experiment's check never fails its cell, so it has no tag)."""
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    names = {
        name
        for cell in cells
        if "check" in cell.metadata.get("tags", [])
        for name in notebooks.CHECK_CALL.findall(cell.source)
    }
    experiments = {name for cell in cells for name in EXPERIMENT_CALL.findall(cell.source)}
    import checks

    graded = {name for name in names if name in checks.EXERCISES and checks.EXERCISES[name].graded}
    return GRADED_MINUTES * len(graded) + PRACTICE_MINUTES * (len(names - graded) + len(experiments))


def stated_minutes(words_on_the_main_path: int, exercises: int, run: int) -> int:
    """The rule: reading at 150 words a minute, the exercises, a full run; the total to the nearest 5."""
    total = words_on_the_main_path / WORDS_PER_MINUTE + exercises + run
    return 5 * math.floor(total / 5 + 0.5)


def minutes(learner_copy, name: str) -> int | None:
    """What the rule gives for a learner copy, or None for a notebook whose run minutes are not measured."""
    if name not in RUN_MINUTES:
        return None
    main, _ = main_path(markdown_cells(learner_copy))
    return stated_minutes(main, exercise_minutes(learner_copy), RUN_MINUTES[name])
