"""Each learner their own task, as the grader grades it: whose a submission is, by the id the platform
gives it (never the id its notebook's first cell holds), and whether an answer that fails its learner's
own task does another's.

The id, route by route (docs/instructors.md, "Each learner their own task"):

- Canvas's "Download Submissions": the user id in the file's name (an anonymised download has none a
  learner could type, so none);
- Moodle's "Download all submissions": the full name in the file's name. Its participant number is
  drawn per assignment and never shown to learners, so a learner could not type it; an anonymous
  download (every name "Participant") has none;
- a folder per learner (nbgrader's ``submitted/<student>/``, cloned repositories): the folder's name;
- one submission graded on its own (Gradescope's ``run_autograder``, a GitHub Classroom step): the id
  the command is given (``--learner file:<id>``): the submitter's e-mail address from Gradescope's
  ``submission_metadata.json``, the GitHub username that pushed;
- a file on its own at the top of SUBMISSIONS: none; each exercise's own task is graded then, and the
  row says so.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from grader.course.learners import CANVAS, MOODLE, Submitter

#: What Moodle writes for a learner's name in an anonymous ("blind marking") download.
MOODLE_ANONYMOUS = "Participant"


def learner_id(submitter: Submitter, submission: str, claimed: bool = False) -> str | None:
    """The id the platform gives ``submission`` (a path inside SUBMISSIONS), as variants are allotted by
    it, or None where the platform gives none a learner could have typed. ``claimed``: the instructor (or
    the route's command) said whose the file is (``--learner file:<id>``, ``canvas:<user id>``)."""
    if claimed and submitter.lms is None:
        return submitter.learner
    if submitter.lms == CANVAS:
        return None if submitter.learner.startswith("anon_") else submitter.learner
    if submitter.lms == MOODLE:
        name = submitter.label
        return None if name in (MOODLE_ANONYMOUS, submitter.learner) else name
    return submitter.learner if len(PurePosixPath(submission).parts) > 1 else None


def solved_instead(graded, observed: dict, cases: dict, expected: dict):
    """The variant among ``graded``'s others (a GradedExercise's) whose every case the answer passes,
    from what was ``observed`` of it (variant id -> the sandbox's ExerciseRun), or None."""
    for other in graded.others:
        run = observed.get(other.variant_id)
        report = run.report if run is not None and run.failure is None and not run.changed else None
        if not report or "missing" in report or "timed_out" in report:
            continue
        try:
            outcome = other.decide(report, cases[other.variant_id], expected.get(other.variant_id))
        except Exception:  # a report genuine observing never produces: no verdict on that variant
            continue
        if outcome.passed:
            return other
    return None
