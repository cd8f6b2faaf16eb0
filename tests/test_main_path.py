"""The main path: what a learner reads outside the optional sections, at most 11,000 words over the
course, and the time each notebook states, worked out by the rule in CONTRIBUTING.md ("How long a
notebook takes"); the counting and the rule are tools/main_path.py's, tested here.
"""

from __future__ import annotations

import nbformat
import pytest

from tools import notebooks as tool
from tools.main_path import (
    LIMIT,
    RUN_MINUTES,
    TIME_LINE,
    WORDS_PER_MINUTE,
    exercise_minutes,
    main_path,
    markdown_cells,
    stated_minutes,
    words,
)

LEARNER = sorted(tool.LEARNER.glob("*.ipynb"))


# -- the course ------------------------------------------------------------------------------------
def test_the_main_path_is_at_most_11000_words():
    counts = {path.stem: main_path(markdown_cells(nbformat.read(path, 4))) for path in LEARNER}
    total = sum(main for main, _ in counts.values())
    table = "; ".join(f"{name}: {main:,} (+{optional:,} optional)" for name, (main, optional) in counts.items())
    assert total <= LIMIT, f"the main path has {total:,} words, more than {LIMIT:,}: {table}"


@pytest.mark.parametrize("path", LEARNER, ids=lambda p: p.stem)
def test_each_notebook_says_how_long_it_takes_by_the_rule(path):
    if path.stem not in RUN_MINUTES:
        pytest.skip(f"{path.stem}'s run minutes are not in RUN_MINUTES yet: time a full run of its cells")
    nb = nbformat.read(path, 4)
    first = next(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    stated = TIME_LINE.findall(first)
    assert len(stated) == 1, "the first Markdown cell needs one line '**Time:** about N minutes'"
    main, _ = main_path(markdown_cells(nb))
    wanted = stated_minutes(main, exercise_minutes(nb), RUN_MINUTES[path.stem])
    assert int(stated[0]) == wanted, (
        f"{path.stem} states {stated[0]} minutes; the rule gives {wanted}: {main:,} words / "
        f"{WORDS_PER_MINUTE} + {exercise_minutes(nb)} for its exercises + {RUN_MINUTES[path.stem]} to run"
    )


def test_the_run_minutes_are_of_notebooks_the_course_has():
    assert set(RUN_MINUTES) <= {path.stem for path in LEARNER}


# -- the counting rule -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "markdown, count",
    [
        ("Each row is one word.", 5),
        ("It's 0.5/d, not 1,000 words", 9),  # runs of letters and digits: It, s, 0, 5, d, not, 1, 000, words
        ("fan_in and fan_out", 5),  # an underscore is neither a letter nor a digit
        ("Call `tf.compat.v1.get_variable('v1', shape=(1, 3))` twice.", 3),
        ("A span of two backticks: ``a ` inside``, one word.", 8),
        ("The limit $\\sqrt{6 / (\\text{fan\\_in} + \\text{fan\\_out})}$ is small.", 5),
        ("Displayed:\n\n$$\\left[-\\frac{0.5}{d},\\ \\frac{0.5}{d}\\right)$$\n\nthat is all", 5),
        ("A formula may wrap $a +\nb$ within a paragraph.", 8),
        ("Déjà vu, naïve café", 4),  # letters of any alphabet
        ("a lone ` backtick and a lone $ sign", 7),
        ("", 0),
    ],
)
def test_words_are_runs_of_letters_and_digits_and_a_span_or_formula_is_one(markdown, count):
    assert words(markdown) == count


def test_a_fenced_code_block_is_one_word_and_its_lines_are_no_headings():
    cell = "Run this:\n\n```python\n# Optional: not a heading\nx = 1  # many words here\n```\n\nDone."
    assert main_path([cell]) == (4, 0)


def test_an_optional_section_runs_to_the_next_heading_of_its_level():
    cells = ["## 1. First\n\nOne two.", "## Optional: a deep dive\n\nThree four five.", "## 2. Second\n\nSix."]
    assert main_path(cells) == (4 + 3, 7)  # the heading "Optional: a deep dive" is in its optional section


def test_an_optional_section_ends_at_a_higher_heading_and_a_deeper_one_stays_optional():
    cells = [
        "### Where it comes from (optional deep dive)\n\nhidden words\n\n#### Deeper\n\nstill hidden",
        "#### Another deeper one\n\nhidden too\n\n## Summary\n\nShown.",
    ]
    main, optional = main_path(cells)
    assert main == 2  # "Summary Shown"
    assert optional == 7 + 2 + 1 + 2 + 3 + 2  # headings and text up to ## Summary


def test_optional_is_found_in_any_case_and_only_in_headings():
    cells = ["# Title\n\nThis part is optional, says the text.", "## OPTIONAL\n\nskipped", "## Next\n\nread"]
    assert main_path(cells) == (1 + 7 + 2, 2)


def test_text_before_the_first_heading_and_hashes_without_a_space_are_main_path():
    assert main_path(["Intro words.\n#hashtag is no heading\n## Optional part\nx"]) == (6, 3)


def test_an_optional_section_inside_another_ends_with_the_outer_one():
    cells = ["## Optional A\n\na\n\n### Optional B\n\nb\n\n## C\n\nc"]
    assert main_path(cells) == (2, 6)


def test_the_stated_time_rounds_to_the_nearest_five_minutes():
    assert stated_minutes(1500, 10 + 5, 1) == 25  # 10 + 15 + 1 = 26
    assert stated_minutes(1875, 10, 0) == 25  # 12.5 + 10 = 22.5: a half rounds up
    assert stated_minutes(300, 0, 0) == 0  # 2 minutes
    assert stated_minutes(3000, 10, 1) == 30  # 20 + 10 + 1 = 31


def test_the_time_line_has_one_form():
    assert TIME_LINE.findall("# 1. Title\n\n**Time:** about 35 minutes (reading 13, exercises 15)\n") == ["35"]
    assert TIME_LINE.findall("**Time:** about 35 minutes\nmore text") == ["35"]
    assert TIME_LINE.findall("Time: about 35 minutes") == []
    assert TIME_LINE.findall("**Time:** 35 minutes") == []
