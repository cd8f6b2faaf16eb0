"""What a check concludes, and how that is shown to a learner."""

from __future__ import annotations

import enum
import html
import re
from dataclasses import dataclass


class Status(str, enum.Enum):
    """What a check concludes. The grader's results extend it with the ways an exercise can end
    without a verdict (``grader.results.Unjudged``); both word their headings here and there alone."""

    PASSED = "passed"
    NOT_ATTEMPTED = "not attempted"
    INCORRECT = "incorrect"
    ERROR = "error"

    @property
    def heading(self) -> str:
        return _STYLE[self][0]

    @property
    def icon(self) -> str:
        return _STYLE[self][1]

    @property
    def key(self) -> str:
        """The status as a mistake key ("not-attempted"), for outcomes that name no mistake."""
        return self.value.replace(" ", "-")


class CheckFailed(AssertionError):
    """Raised by ``Exercise.check`` so that the cell fails, and nbval, pytest and the grader see it. Its
    text is the whole message; ``headline`` says only which exercise failed how."""

    headline = ""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this in place of printing a traceback. The box above the error already says
        # what went wrong, and frames inside the checks package would only bury it: one line says
        # that the cell failed, and points to the box rather than saying it all again.
        return [f"{type(self).__name__}: {self.headline or str(self).splitlines()[0]} (the message is above)"]


class NotAttempted(CheckFailed):
    pass


class Incorrect(CheckFailed):
    pass


class LearnerCodeError(CheckFailed):
    pass


_STYLE = {
    # status: (heading, icon, border and heading colour, background colour, exception raised). The icon
    # and the heading carry the meaning; the colours (each at least 4.5:1 against its background) only
    # repeat it.
    Status.PASSED: ("Correct", "\u2714", "#2e7d32", "#edf7ed", None),
    Status.NOT_ATTEMPTED: ("Not attempted yet", "\u2026", "#616161", "#f5f5f5", NotAttempted),
    Status.INCORRECT: ("Incorrect", "\u2718", "#c62828", "#fdecea", Incorrect),
    Status.ERROR: ("Your code raised an error", "\u26a0", "#a84300", "#fff4e5", LearnerCodeError),
}


_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: The key of an error that is a time-out (the learner's code was stopped before it returned), headed
#: as one; the grader's own time-outs have the same key (``grader.results.Unjudged.TIMED_OUT``).
TIMED_OUT = "timed-out"


@dataclass(frozen=True)
class Mistake:
    """A wrong answer as a judge names it: a key that stays the same whatever case revealed it (the
    class report counts learners by it), and the message for the learner, which may quote the case."""

    key: str
    message: str

    def __post_init__(self):
        if not _KEY.fullmatch(self.key):
            raise ValueError(f"a mistake's key is short kebab-case, not {self.key!r}")


@dataclass(frozen=True)
class Outcome:
    """The verdict on one exercise: a status, a message written for the learner, and the key of the
    mistake it names (without one, the status's own: "passed", "not-attempted", "error", ...)."""

    exercise: str
    status: Status
    message: str
    mistake: str = ""

    def __post_init__(self):
        if not self.mistake:
            object.__setattr__(self, "mistake", self.status.key)

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def heading(self) -> str:
        return "Timed out" if self.mistake == TIMED_OUT else self.status.heading

    def exception(self) -> CheckFailed | None:
        kind = _STYLE[self.status][4]
        if kind is None:
            return None
        failure = kind(f"{self.exercise}: {self.heading.lower()}. {self.message}")
        failure.headline = f"{self.exercise}: {self.heading.lower()}"
        return failure

    def __str__(self) -> str:
        return f"{self.exercise}: {self.heading}. {self.message}"

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_html_(self) -> str:
        _, icon, border, background, _ = _STYLE[self.status]
        heading = self.heading
        return (
            f'<div style="border-left:5px solid {border};background:{background};'
            f'padding:6px 10px;margin:4px 0;color:#212121">'
            f'<b style="color:{border}">{icon} {html.escape(self.exercise)}: {heading}.</b> '
            f'<span style="white-space:pre-wrap">{_code_spans(html.escape(self.message))}</span></div>'
        )


@dataclass(frozen=True)
class Grade:
    """What an exercise earns: the verdict, the points it is worth and the share of them earned.
    ``groups`` says, for each group of cases (e.g. "2-D ids"), whether the answer got every case of it
    right; with all-or-nothing marking it is empty."""

    outcome: Outcome
    points: float
    fraction: float
    groups: tuple = ()  # (group, right?) pairs, in the exercise's order

    @property
    def score(self) -> float:
        return self.points * self.fraction


def show(outcome: Outcome) -> None:
    """The outcome as a coloured box in a notebook, as a line of text elsewhere."""
    if _in_notebook():
        from IPython.display import display

        display(outcome)
    else:
        print(outcome)


def show_markdown(text: str) -> None:
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(text))
    else:
        print(text)


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _code_spans(text: str) -> str:
    # Messages mark code Markdown's way, for the grader's Markdown feedback; the box shows it as code.
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", text)
