"""Recognise: which notebook each file is, whose it is, and which of a learner's copies is graded.

Which notebook, from what the file holds (``notebook_of``): learners rename files ("Copy of
02_initializers (1).ipynb") and LMSs rename them again, so the check calls it still has
(``checks.<exercise>.check(``) and the answers it defines (``def get_initializer``, ``class
EmbeddingModel``) decide; its name only breaks a tie, and a file that matches no notebook, or two
equally, is not guessed at. Whose, from the name the LMS's download gave it
(``grader/course/learners.py``). Which copy: a learner's files make one unit per assignment (a
notebook, or with the course graded as one, the course), and of several copies of one notebook the
rules of ``NEWEST_COPY`` choose the one graded; the others are set aside.

What the instructor says overrides what the files say: ``handed_in_to``, the notebook whose
assignment the files were handed in to (one LMS assignment's download), is what a file that shows no
notebook is taken for, and each unit carries it, so a notebook handed in to another's assignment is
graded as what it is and said to be misfiled; ``learner`` says whose every file is (a notebook a
learner emailed, graded under the instructor's file name). A ``shard`` keeps only its part of the
learners, once every file is recognised, so each part decides exactly as one run would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from checks.learner_work import definition_of
from grader.course.graded import WHOLE_COURSE, Course
from grader.course.learners import Submitter, claimed, identify
from grader.course.variants import learner_id
from grader.pipeline.progress import Progress
from grader.pipeline.read import Notebook
from grader.pipeline.shard import Shard

NOT_RECOGNISED = "not recognised"


@dataclass
class Unit:
    """What gets one row: a learner's copy of one assignment (a notebook, or the whole course)."""

    learner: str
    label: str
    assignment: str  # a notebook's name, "course", or NOT_RECOGNISED
    files: dict = field(default_factory=dict)  # notebook -> the file graded for it
    set_aside: list = field(default_factory=list)  # the learner's other files for it
    late: bool = False
    handed_in_to: str = ""  # the notebook whose assignment its files were handed in to, when the instructor said
    whose: str | None = None  # the id the platform gives the learner, which their variants are allotted by


@dataclass(frozen=True)
class Recognised:
    units: list  # Unit, each to get a row
    graded_on: dict  # file name -> the graded exercises it is observed and marked on (readable, recognised files)


class Recognise:
    """Which notebook each file is, whose, and which of a learner's copies is graded (the others are done)."""

    def run(
        self,
        course: Course,
        submissions: list[tuple[str, Path]],
        notebooks: dict[str, Notebook],
        handed_in_to: str | None,
        learner: str | None,
        shard: Shard | None,
        progress: Progress,
    ) -> Recognised:
        copies = copies_of(course, [name for name, _ in submissions], notebooks, handed_in_to, learner)
        units = units_of(course, copies, handed_in_to or "")
        mine = shard.part(units) if shard else units
        graded_on = {
            name: course.for_learner(unit.whose).in_notebook(notebook)  # each learner's own variants
            for unit in mine
            if unit.assignment != NOT_RECOGNISED
            for notebook, name in unit.files.items()
            if name in notebooks
        }
        ours = {id(unit) for unit in mine}
        for unit in units:  # the copies set aside, and another part's files, are done here
            for name in unit.set_aside if id(unit) in ours else [*unit.files.values(), *unit.set_aside]:
                if name in notebooks:  # an unreadable file was done when it was read
                    progress.advance(name)
        return Recognised(mine, graded_on)


def notebook_of(course: Course, name: str, sources: list[str]) -> str | None:
    """The notebook (e.g. "02_initializers") whose graded exercises ``sources`` (a file's code cells)
    answer, or None when no notebook, or more than one equally, fits."""
    code = "\n".join(sources)
    scores = {}
    for notebook in course.notebooks():
        score = 0
        for ex in course.in_notebook(notebook):
            if re.search(rf"\bchecks\.{re.escape(ex.name)}\.check\(", code):
                score += 2
            if definition_of(ex.answer_name).search(code):
                score += 2
        if notebook in name:
            score += 1
        scores[notebook] = score
    best = max(scores.values(), default=0)
    winners = [notebook for notebook, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


@dataclass(frozen=True)
class Copy:
    """One handed-in file, as the rules that choose among a learner's copies see it."""

    name: str
    notebook: str | None  # the notebook it is taken for, or None
    readable: bool  # it was read as a notebook
    recognised: bool  # notebook_of found its notebook (by what it holds; an unreadable file, by its name)
    who: Submitter
    whose: str | None = None  # the id the platform gives the learner (grader/course/variants.py), or None

    @property
    def learner(self) -> str:
        return f"{self.who.lms or 'file'}:{self.who.learner}"

    @property
    def named_as_its_notebook(self) -> bool:
        return bool(self.notebook) and self.notebook in self.name


#: Which of a learner's copies of an assignment is graded: the copy ahead on the first rule that tells
#: two apart (each rule gives a value; True beats False, a larger number a smaller one).
NEWEST_COPY = (
    ("a notebook beats a file that is none", lambda copy: copy.readable),
    ("one recognised by itself beats one taken for the batch's only notebook", lambda copy: copy.recognised),
    ("a later upload beats an earlier one, in the LMS's order", lambda copy: copy.who.order[0]),
    ("one named as the notebook it is beats another name", lambda copy: copy.named_as_its_notebook),
    ("a later copy beats the file it copies (x (1).ipynb after x.ipynb)", lambda copy: copy.who.order),
)


def newest_first(copy: Copy) -> tuple:
    return tuple(rule(copy) for _, rule in NEWEST_COPY)


def copies_of(
    course: Course,
    names: list[str],
    notebooks: dict[str, Notebook],
    handed_in_to: str | None = None,
    learner: str | None = None,
) -> list[Copy]:
    """Each file as a ``Copy``: the notebook it is, and whose (``learner``'s, when the instructor says)."""
    found = {
        name: notebook_of(course, name, [cell.source for cell in notebooks[name].cells] if name in notebooks else [])
        for name in names  # by its name alone, if no notebook
    }
    # A batch of one notebook's copies (an LMS assignment's download), or a course of one graded notebook:
    # a file that shows no notebook (unreadable, or its exercises deleted) is a copy of that one.
    # The notebook whose assignment the files were handed in to, when the instructor says, is that one.
    known = set(found.values()) - {None}
    sole = handed_in_to or (
        course.notebooks()[0] if len(course.notebooks()) == 1 else (known.pop() if len(known) == 1 else None)
    )
    copies = []
    for name in names:
        who = claimed(learner, name) if learner else identify(name)
        whose = learner_id(who, name, claimed=bool(learner))
        copies.append(Copy(name, found[name] or sole, name in notebooks, found[name] is not None, who, whose))
    return copies


def units_of(course: Course, copies: list[Copy], handed_in_to: str = "") -> list[Unit]:
    """The units the copies make, each with its graded files chosen and its other files set aside."""
    units: dict[tuple, Unit] = {}
    members: dict[tuple, list[Copy]] = {}
    for copy in copies:
        if copy.readable and copy.notebook is None:
            assignment, key = NOT_RECOGNISED, (copy.name, NOT_RECOGNISED)
        elif course.per_notebook:
            assignment, key = copy.notebook, (copy.learner, copy.notebook)
        else:
            assignment, key = WHOLE_COURSE, (copy.learner, WHOLE_COURSE)
        label = copy.who.label if copy.notebook else copy.name
        unit = units.setdefault(
            key, Unit(copy.learner, label, assignment or NOT_RECOGNISED, handed_in_to=handed_in_to, whose=copy.whose)
        )
        unit.late = unit.late or copy.who.late
        members.setdefault(key, []).append(copy)
    chosen = []
    for key, unit in units.items():
        if key[1] is None:  # a learner's files that are no notebook: join their notebooks' unit
            home = next(
                (
                    other
                    for (learner, _), other in units.items()
                    if learner == key[0] and other.assignment not in ("", NOT_RECOGNISED)
                ),
                None,
            )
            if home is not None:
                home.set_aside += [copy.name for copy in members[key]]
                continue
        for copy in sorted(members[key], key=newest_first, reverse=True):
            slot = copy.notebook or ""
            if slot in unit.files:
                unit.set_aside.append(copy.name)
            else:
                unit.files[slot] = copy.name
        chosen.append(unit)
    return chosen
