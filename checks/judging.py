"""From a report (plain data) to a verdict and the points it earns. Nothing here runs learner code.

Cases are judged in order, public before hidden, and the first case that goes wrong decides the
verdict, so a learner always hears first about a case they can see.
"""

from __future__ import annotations

from checks.outcome import TIMED_OUT, Grade, Mistake, Outcome, Status

PLACEHOLDER = (
    "still holds the skeleton's `# CODE HERE` placeholder: write your code in its place, then run this check again."
)


def decide_report(exercise, report: dict, cases: list[dict]) -> Outcome:
    """The verdict on ``report``, an observation of each of ``cases`` (which carry what the reference
    gives on them, for the exercises judged against one)."""
    if report.get("placeholder"):
        return exercise.outcome(Status.NOT_ATTEMPTED, f"Your {exercise.skeleton_path} {PLACEHOLDER}")
    if "wrong_answer" in report:
        return exercise.outcome(Status.INCORRECT, report["wrong_answer"], "wrong-answer-type")
    failures = _case_failures(exercise, report, cases)
    for failure, observation in zip(failures, report.get("observations", [])):
        if failure is None:
            continue
        # A mistake only all the cases together show wins, but over a change to the arguments, which
        # the results cannot show.
        if failure.status is Status.INCORRECT and not observation.get("changed"):
            overall = exercise.diagnose_all(cases, report["observations"])
            if overall is not None:
                return _incorrect(exercise, overall)
        return failure
    if "error" in report:  # the grader's worker: the learner's code ended the check itself (e.g. exit())
        return exercise.outcome(Status.ERROR, report["error"], _raised(report["error"]))
    observed = len(report["observations"])
    if observed != len(cases):  # never from observe_all; a report that skipped cases proves nothing
        return exercise.outcome(
            Status.ERROR,
            f"The check got results for {observed} of the "
            f"{len(cases)} test cases, so it cannot say your code is right.",
            "incomplete-report",
        )
    return exercise.outcome(Status.PASSED, "Well done: your code gives the right result on every test case.")


def grade_report(exercise, report: dict, cases: list[dict], points: float, partial_credit: bool) -> Grade:
    """The verdict and the share of ``points`` it earns: all or nothing, or, with ``partial_credit``, an
    equal share for each group of cases the answer gets entirely right."""
    outcome = decide_report(exercise, report, cases)
    failures = _case_failures(exercise, report, cases)
    right: dict[str, bool] = {}
    for number, case in enumerate(cases):  # a case the report has nothing for is not right
        case_right = number < len(failures) and failures[number] is None
        right[case["group"]] = right.get(case["group"], True) and case_right
    if outcome.passed:
        fraction = 1.0
    elif partial_credit and right:
        fraction = sum(right.values()) / len(right)
    else:
        fraction = 0.0
    return Grade(outcome, float(points), fraction, tuple(right.items()) if partial_credit else ())


def _case_failures(exercise, report: dict, cases: list[dict]) -> list[Outcome | None]:
    """For each observed case, the outcome it shows when it is not right, else None."""
    return [
        _diagnose_case(exercise, case, observation) for case, observation in zip(cases, report.get("observations", []))
    ]


def _diagnose_case(exercise, case: dict, observation: dict) -> Outcome | None:
    if observation.get("skipped"):  # after an error in its group, which decides the verdict first
        return exercise.outcome(Status.ERROR, "Not run: your code raised an error on a case like it.", "not-run")
    if "stopped_after" in observation:
        return exercise.outcome(Status.ERROR, _stopped(exercise, case, observation["stopped_after"]), TIMED_OUT)
    if "error" in observation:
        mistake = exercise.diagnose_before_error(case, observation)
        if mistake is not None:
            return _incorrect(exercise, mistake)
        return exercise.outcome(
            Status.ERROR, _error_with_case(exercise, case, observation["error"]), _raised(observation["error"])
        )
    if observation.get("changed"):  # whatever it returned: the caller's own data is not what it was
        return _incorrect(exercise, exercise.diagnose_change(case, observation["changed"]))
    mistake = exercise.diagnose(case, observation)
    return None if mistake is None else _incorrect(exercise, mistake)


def _stopped(exercise, case: dict, seconds: float) -> str:
    which = f"on a hidden test case ({case['group']})" if case.get("hidden") else f"with {exercise.describe(case)}"
    return (
        f"Checking your {exercise.skeleton_path} was stopped after {seconds:g} s {which}, before your code "
        "returned (the kernel was interrupted: the stop button, or an autograder's time limit). The check "
        "of a right answer takes a few seconds: look for a loop that never ends."
    )


def _incorrect(exercise, mistake: Mistake) -> Outcome:
    if not isinstance(mistake, Mistake):  # a bare message would reach the class report without its key
        raise TypeError(f"{exercise.name}'s diagnose returned {mistake!r}, not a Mistake(key, message)")
    return exercise.outcome(Status.INCORRECT, mistake.message, mistake.key)


def _raised(error: str) -> str:
    """The key of a learner's error: its exception's class name (the text may quote the inputs)."""
    return "raised-" + error.split("\n", 1)[0].split(":", 1)[0]


def _error_with_case(exercise, case: dict, error: str) -> str:
    """The learner's error, its second line saying which case raised it (only the group of a hidden
    case: an error's own text may quote the hidden inputs, so it is left out too)."""
    first, _, where = error.partition("\n")
    if case.get("hidden"):
        first = first.split(":", 1)[0] + " (its text is not shown: it may quote the hidden inputs)"
        which = f"on a hidden test case ({case['group']})"
    else:
        which = f"with {exercise.describe(case)}"
    return f"{first}\n  {which}" + (f", {where.strip()}" if where else "")
