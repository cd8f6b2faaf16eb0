"""What a check concludes, and how that is shown to a learner."""
from __future__ import annotations

import enum
import html
import re
from dataclasses import dataclass


class Status(str, enum.Enum):
    PASSED = "passed"
    NOT_ATTEMPTED = "not attempted"
    INCORRECT = "incorrect"
    ERROR = "error"


class CheckFailed(AssertionError):
    """Raised by ``Exercise.check`` so that the cell fails, and nbval, pytest and the grader see it."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this in place of printing a traceback. The box above the error already
        # says what went wrong; frames inside the checks package would only bury it.
        # Its first line is enough to say the cell failed (an error's second line says where).
        return [f"{type(self).__name__}: {str(self).splitlines()[0]}"]


class NotAttempted(CheckFailed):
    pass


class Incorrect(CheckFailed):
    pass


class LearnerCodeError(CheckFailed):
    pass


_STYLE = {
    # status: (heading, icon, border colour, background colour, exception raised)
    Status.PASSED: ("Correct", "\u2714", "#2e7d32", "#edf7ed", None),
    Status.NOT_ATTEMPTED: ("Not attempted yet", "\u2026", "#616161", "#f5f5f5", NotAttempted),
    Status.INCORRECT: ("Incorrect", "\u2718", "#c62828", "#fdecea", Incorrect),
    Status.ERROR: ("Your code raised an error", "\u26a0", "#e65100", "#fff4e5", LearnerCodeError),
}


_KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


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
            object.__setattr__(self, "mistake", self.status.value.replace(" ", "-"))

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def heading(self) -> str:
        return _STYLE[self.status][0]

    def exception(self) -> CheckFailed | None:
        kind = _STYLE[self.status][4]
        return None if kind is None else kind(f"{self.exercise}: {self.heading.lower()}. {self.message}")

    def __str__(self) -> str:
        return f"{self.exercise}: {self.heading}. {self.message}"

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_html_(self) -> str:
        heading, icon, border, background, _ = _STYLE[self.status]
        return (
            f'<div style="border-left:5px solid {border};background:{background};'
            f'padding:6px 10px;margin:4px 0;color:#212121">'
            f'<b style="color:{border}">{icon} {html.escape(self.exercise)}: {heading}.</b> '
            f'<span style="white-space:pre-wrap">{_code_spans(html.escape(self.message))}</span></div>'
        )


@dataclass(frozen=True)
class Grade:
    """What an exercise earns: the verdict, and the share of its points. ``groups`` says, for each group
    of cases (e.g. "2-D ids"), whether the answer got every case of it right."""

    outcome: Outcome
    points: float
    fraction: float
    groups: dict

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
