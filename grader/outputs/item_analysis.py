"""Item analysis: what each exercise did across the class, from results.json's rows alone (plain data).

Two kinds of evidence, kept apart because they are not equally sure:

* from the grades (the grader's verdicts, which nobody but the grader writes): an exercise's
  **difficulty** p, the share of its learners who passed it; its **discrimination**, the corrected
  item-rest correlation (Pearson's r between the points a learner earned on it and the points they
  earned on everything else they handed in); and its pass rate in each **quintile** of the learners'
  totals;
* from the attempt records the notebooks carry (``checks/record.py``), which learners can edit, so
  self-reported: how many checks a pass took, the hint level reached, the solution opened, the minutes
  from the first check of an answer to the first pass, and the mistakes named on the way.

A learner is a row's ``learner`` (else its submission); their total is the sum of their rows' scores,
so with one assignment per notebook it counts every notebook they handed in. A check of the untouched
placeholder ("not attempted": Run All runs every check cell) is no attempt and starts no clock.

``analyse(submissions)`` gives one ``Item`` per exercise, in the order the rows name them;
``statistics_csv`` writes them as OUT/item-statistics.csv.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

import checks
from checks.outcome import Status
from checks.record import entries_of
from grader.outputs.text import spreadsheet_cell

PASSED = Status.PASSED.value
#: Checks of an answer: a check of the placeholder is not an attempt.
ANSWERED = (Status.PASSED.value, Status.INCORRECT.value, Status.ERROR.value)
#: The flag rule, stated in the report: too easy, too hard, or not telling learners apart.
EASY, HARD, DISCRIMINATION = 0.95, 0.30, 0.20
QUINTILES = ("Q1 (lowest totals)", "Q2", "Q3", "Q4", "Q5 (highest totals)")
#: (from, up to but not including, label): checks until the first pass, and minutes.
CHECK_BINS = (*((n, n + 1, f"{n}") for n in range(1, 6)), (6, 11, "6-10"), (11, None, "11+"))
MINUTE_BINS = (
    (0, 1, "under 1"),
    (1, 5, "1-5"),
    (5, 15, "5-15"),
    (15, 30, "15-30"),
    (30, 60, "30-60"),
    (60, 180, "1-3 hours"),
    (180, None, "over 3 hours"),
)
TOP_MISTAKES = 5


@dataclass(frozen=True)
class Quintile:
    label: str
    learners: int
    passed: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.learners if self.learners else None


@dataclass(frozen=True)
class Item:
    exercise: str
    learners: int  # n: learners whose work holds the exercise
    passed: int
    discrimination: float | None  # corrected item-rest r, or None (``why_no_discrimination`` says why)
    why_no_discrimination: str
    quintiles: tuple  # Quintile, lowest totals first
    # -- from the attempt records (self-reported) --
    recorded: int  # learners whose record has an entry for the exercise
    no_record: int  # learners whose work holds no record at all (an older copy, cleared outputs)
    checks_to_pass: tuple = ()  # per learner whose record shows a pass: checks of an answer up to it
    not_passed_in_record: int = 0  # learners who checked an answer but never passed, by their record
    hints_reached: tuple = ()  # per learner with an entry: the highest hint level reached
    solution_opened: int = 0
    minutes_to_pass: tuple = ()  # per learner whose record shows a pass
    mistakes: tuple = ()  # (key, learners), most learners first
    flags: tuple = field(default=())  # why the flag rule marks it

    @property
    def difficulty(self) -> float | None:
        return self.passed / self.learners if self.learners else None


def analyse(submissions: list[dict]) -> list[Item]:
    """One Item per exercise the rows hold, in the order they first name it."""
    totals: Counter = Counter()
    holding: dict[str, dict] = {}  # exercise -> learner -> (test, the row's record)
    for row in submissions:
        learner = row.get("learner") or row.get("submission", "")
        totals[learner] = round(totals[learner] + float(row.get("score", 0) or 0), 9)  # ties stay ties
        for test in row.get("tests", []):
            holding.setdefault(test["name"], {})[learner] = (test, row.get("record"))
    return [_item(exercise, learners, totals) for exercise, learners in holding.items()]


def _item(exercise: str, learners: dict, totals: Counter) -> Item:
    names = list(learners)
    scores = [float(learners[name][0].get("score", 0) or 0) for name in names]
    passed = [_result(learners[name][0]) == PASSED for name in names]
    rest = [totals[name] - score for name, score in zip(names, scores)]
    discrimination, why = correlation(scores, rest)
    groups = quintile_groups([totals[name] for name in names])
    quintiles = tuple(
        Quintile(label, sum(1 for g in groups if g == q), sum(1 for g, p in zip(groups, passed) if g == q and p))
        for q, label in enumerate(QUINTILES)
    )
    journeys = [_journey(exercise, learners[name][1]) for name in names]
    recorded = [j for j in journeys if j is not None and j["entries"]]
    mistakes = Counter(key for j in recorded for key in j["mistakes"])
    item = Item(
        exercise,
        len(names),
        sum(passed),
        discrimination,
        why,
        quintiles,
        recorded=len(recorded),
        no_record=sum(1 for j in journeys if j is None),
        checks_to_pass=tuple(j["checks_to_pass"] for j in recorded if j["checks_to_pass"] is not None),
        not_passed_in_record=sum(1 for j in recorded if j["checks_to_pass"] is None and j["answered"]),
        hints_reached=tuple(j["hint"] for j in recorded),
        solution_opened=sum(1 for j in recorded if j["solution"]),
        minutes_to_pass=tuple(j["minutes"] for j in recorded if j["minutes"] is not None),
        mistakes=tuple(sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISTAKES]),
    )
    return _flagged(item)


def _result(test: dict) -> str:
    return (test.get("extra_data") or {}).get("result", test.get("status", ""))


def _journey(exercise: str, record: dict | None) -> dict | None:
    """What one learner's record says of one exercise, or None when the work that holds it carries no
    record (the notebook asking for it handed in without one, or not at all)."""
    notebook = getattr(checks.EXERCISES.get(exercise), "notebook", None)
    if not isinstance(record, dict) or notebook not in record.get("notebooks", [notebook]):
        return None
    entries = [e for e in entries_of(record) if e["exercise"] == exercise]
    answered = [e for e in entries if e.get("action") == "check" and e.get("result") in ANSWERED]
    first_pass = next((i for i, e in enumerate(answered) if e["result"] == PASSED), None)
    return {
        "entries": entries,
        "answered": len(answered),
        "checks_to_pass": None if first_pass is None else first_pass + 1,
        "minutes": None if first_pass is None else _minutes(answered[0]["time"], answered[first_pass]["time"]),
        "hint": max((int(e.get("hint") or 0) for e in entries), default=0),
        "solution": any(e.get("action") == "solution" for e in entries),
        "mistakes": {e["mistake"] for e in answered if e["result"] != PASSED and e.get("mistake")},
    }


def _minutes(start: str, end: str) -> float:
    def when(time: str) -> datetime:
        return datetime.fromisoformat(time.replace("Z", "+00:00"))

    return max(0.0, (when(end) - when(start)).total_seconds() / 60)


def correlation(x: list[float], y: list[float]) -> tuple[float | None, str]:
    """Pearson's r of ``x`` and ``y``, or None and why it cannot be worked out."""
    n = len(x)
    if n < 3:
        return None, f"{n} learner{'s' if n != 1 else ''}: it needs at least 3"
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12:
        return None, "every learner earned the same on it"
    if syy <= 1e-12:
        return None, "every learner earned the same on the rest of their work (or there is no other exercise)"
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy))), ""


def quintile_groups(totals: list[float]) -> list[int]:
    """Each learner's quintile (0 to 4) of ``totals``, by their percentile rank, (learners below + half
    of those level with them) / n: learners with equal totals share a quintile, so with many ties some
    quintiles hold more learners and some none."""
    n = len(totals)
    groups = []
    for total in totals:
        below = sum(1 for t in totals if t < total)
        level = sum(1 for t in totals if t == total)
        groups.append(min(4, (5 * (2 * below + level)) // (2 * n)))  # 5 * percentile rank, in integers
    return groups


def _flagged(item: Item) -> Item:
    flags = []
    p = item.difficulty
    if p is not None and p > EASY:
        flags.append(f"p > {EASY:g}: almost everyone passes, so it does not tell learners apart")
    if p is not None and p < HARD:
        flags.append(f"p < {HARD:g}: few pass: too hard, unclear, or not reached")
    if item.discrimination is not None and item.discrimination < DISCRIMINATION:
        flags.append(f"r < {DISCRIMINATION:g}: passing it goes little with doing well on the rest")
    return replace(item, flags=tuple(flags))


def median(values) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def quartiles(values) -> tuple[float, float] | None:
    """The lower and upper quartile (the medians of the lower and upper halves), from 4 values on."""
    ordered = sorted(values)
    if len(ordered) < 4:
        return None
    half = len(ordered) // 2
    return median(ordered[:half]), median(ordered[-half:])


def binned(values, bins) -> list[tuple[str, int]]:
    """(label, how many values fall in it) for each of ``bins``, (low, high or None, label)."""
    return [(label, sum(1 for v in values if v >= low and (high is None or v < high))) for low, high, label in bins]


def checks_histogram(item: Item) -> list[tuple[str, int]]:
    return binned(item.checks_to_pass, CHECK_BINS) + [("no pass", item.not_passed_in_record)]


def hints_histogram(item: Item, levels: int) -> list[tuple[str, int]]:
    top = max([levels, *item.hints_reached])
    counts = Counter(item.hints_reached)
    return [("none" if level == 0 else f"level {level}", counts[level]) for level in range(top + 1)]


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def statistics_csv(submissions: list[dict]) -> str:
    """OUT/item-statistics.csv: one row per exercise, every statistic the report shows, each with its n."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "exercise",
            "learners",
            "passed",
            "difficulty_p",
            "discrimination_r",
            "discrimination_note",
            *[f"q{q}_{what}" for q in range(1, 6) for what in ("learners", "passed", "pass_rate")],
            "flags",
            "learners_with_record",
            "learners_without_record",
            "passed_in_record",
            "median_checks_to_pass",
            "not_passed_in_record",
            "median_hint_level",
            "solution_opened",
            "median_minutes_to_pass",
            "minutes_q1",
            "minutes_q3",
            "top_mistakes",
        ]
    )
    for item in analyse(submissions):
        spread = quartiles(item.minutes_to_pass) or (None, None)
        writer.writerow(
            [
                item.exercise,
                item.learners,
                item.passed,
                _number(item.difficulty, 3),
                _number(item.discrimination, 3),
                item.why_no_discrimination,
                *[cell for q in item.quintiles for cell in (q.learners, q.passed, _number(q.rate, 3))],
                "; ".join(item.flags),
                item.recorded,
                item.no_record,
                len(item.checks_to_pass),
                _number(median(item.checks_to_pass), 1),
                item.not_passed_in_record,
                _number(median(item.hints_reached), 1),
                item.solution_opened,
                _number(median(item.minutes_to_pass), 1),
                *(_number(value, 1) for value in spread),
                spreadsheet_cell("; ".join(f"{key}: {n}" for key, n in item.mistakes)),
            ]
        )
    return buffer.getvalue()
