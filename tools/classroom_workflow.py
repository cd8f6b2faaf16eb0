"""The GitHub Classroom workflow of one assignment, written into its template repository by
``make release TEMPLATE=github`` (tools/release/classroom.py) from classroom.toml.

The job installs what the grader needs (``requirements-grader.txt`` at the versions of the course's
lock, ``constraints.txt``) and bubblewrap, the grader's sandbox, then runs one autograding step per
graded exercise of the assignment, worth the exercise's points in classroom.toml: each grades the
exercise's notebook with ``python -m grader notebooks/<notebook>.ipynb ... --require <exercise>``,
which exits non-zero unless that exercise passed, and prints the learner's feedback; GitHub
Classroom adds up the steps that passed. No secret: a learner can read the whole repository, so the
steps grade the public cases only.

Two of GitHub's actions decide what the steps may say: classroom-resources/autograding-command-grader
reads ``max-score`` with ``parseInt`` (whole points only) and gives a step all of them or none, and
it runs ``command`` with /bin/sh and only PATH and HOME of the job's environment.
"""

from __future__ import annotations

from grader.course.classroom import ClassroomError

RUNNER = "ubuntu-latest"
PYTHON = "3.11"
GRADER_REQUIREMENTS = "requirements-grader.txt"
LOCK = "constraints.txt"
MINUTES_PER_STEP = 10
GRADES = "/tmp/grades"  # each step's results, feedback and report, in a folder of its own

HEADER = f"""\
# Written by `make release TEMPLATE=github` from the course's classroom.toml: do not edit by hand.
# GitHub Classroom runs it in every learner's repository made from this template, on every push: it
# installs the grader, then each step grades one exercise of the learner's notebook and earns the
# exercise's points when it passes. The Actions tab shows each step's feedback.
name: Autograding Tests
"on":
  - push
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: {RUNNER}
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python {PYTHON}
        uses: actions/setup-python@v5
        with:
          python-version: "{PYTHON}"
      - name: Install what the grader needs, at the versions of the course's lock
        run: python -m pip install --disable-pip-version-check -r {GRADER_REQUIREMENTS} -c {LOCK}
      - name: Install bubblewrap, the grader's sandbox
        run: |
          sudo apt-get update -q
          sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends bubblewrap
          # Ubuntu 24.04 lets only programs with an AppArmor profile of their own make user namespaces,
          # which bubblewrap needs: lift that restriction on this throw-away runner (where the setting
          # does not exist, as on Debian, there is nothing to lift).
          if [ "$(cat /proc/sys/kernel/apparmor_restrict_unprivileged_userns 2>/dev/null)" = 1 ]; then
            sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0
          fi
"""


def step_id(exercise) -> str:
    return exercise.name.replace(".", "_")


#: Where the class hands out variants: the learner whose task is graded is the GitHub user who pushed
#: (GitHub puts the name into the command before the step runs; a username is letters, digits, hyphens).
LEARNER = ' --learner "file:${{ github.actor }}"'


def command(exercise, variants: bool = False) -> str:
    """Grade the exercise's notebook, print the learner's feedback, and exit as the grader did (0 only
    when the exercise passed). ``variants``: the class hands out variants, each learner's by their id."""
    out = f"{GRADES}/{step_id(exercise)}"
    return (
        f"python -m grader notebooks/{exercise.notebook}.ipynb --out {out} --jobs 1 --require {exercise.name}"
        f"{LEARNER if variants else ''}; status=$?; cat {out}/feedback/*.md; exit $status"
    )


def max_score(exercise) -> int:
    """The step's points: classroom.toml's, which must be whole (the action reads them with parseInt)."""
    if exercise.points != int(exercise.points):
        raise ClassroomError(
            f"GitHub Classroom gives whole points only, and {exercise.name} is worth "
            f"{exercise.points:g} in classroom.toml; make its points a whole number."
        )
    return int(exercise.points)


def not_carried(exercises) -> list[str]:
    """Choices of classroom.toml a step cannot carry: partial credit (a step earns all or nothing)."""
    return [ex.name for ex in exercises if ex.partial_credit]


def workflow(exercises, variants: bool = False) -> str:
    """The workflow grading ``exercises`` (graded exercises of the grader's course, one assignment's);
    ``variants``: each learner's own variants, allotted by the pusher's GitHub username."""
    steps = []
    for exercise in exercises:
        steps.append(f"""\
      - name: {exercise.name}
        id: {step_id(exercise)}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: {exercise.name}
          setup-command: ""
          command: {command(exercise, variants)}
          timeout: {MINUTES_PER_STEP}
          max-score: {max_score(exercise)}
""")
    results = "".join(
        f'          {step_id(ex).upper()}_RESULTS: "${{{{steps.{step_id(ex)}.outputs.result}}}}"\n' for ex in exercises
    )
    reporter = f"""\
      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{results}        with:
          runners: {",".join(step_id(ex) for ex in exercises)}
"""
    return HEADER + "".join(steps) + reporter
