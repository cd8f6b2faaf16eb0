"""The setup every notebook runs first: a quiet, pinned, seeded TensorFlow."""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

from checks.version import __version__, version_problem

COURSE = Path(__file__).resolve().parent.parent
REQUIREMENTS = COURSE / "requirements.txt"  # the packages a learner installs
LOCK = COURSE / "constraints.txt"  # the version of each, one line per platform where they differ
TENSORFLOW = ("tensorflow", "tensorflow-cpu")  # one framework, published under two names
#: Where the instructor's secret, which draws the hidden cases, reaches the checks and the grader alike
#: (nbgrader's autograde runs the notebook's check cells with it; the grader reads it too).
SECRET_VARIABLE = "GRADE_SECRET"


def pinned_versions() -> dict[str, str]:
    """The locked version of each package of requirements.txt that this platform installs."""
    from packaging.requirements import Requirement

    if not (REQUIREMENTS.is_file() and LOCK.is_file()):  # a copy of the package without the course
        return {}
    wanted = {
        Requirement(line).name.lower()
        for line in REQUIREMENTS.read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    }
    pins = {}
    for line in LOCK.read_text().splitlines():
        if not line.strip() or line.startswith((" ", "#", "-")):
            continue
        requirement = Requirement(line)
        name, specifier = requirement.name.lower(), str(requirement.specifier)
        if (
            name in wanted
            and specifier.startswith("==")
            and (requirement.marker is None or requirement.marker.evaluate())
        ):
            pins[name] = specifier[2:]
    return pins


def hosted() -> bool:
    """A hosted notebook runtime (Colab), which brings its own TensorFlow and front end."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def version_problems() -> list[str]:
    problems = []
    for package, wanted in pinned_versions().items():
        if package in TENSORFLOW:  # whichever build is installed, TensorFlow says its own version
            import tensorflow as tf

            package, found = "TensorFlow", tf.__version__
        else:
            try:
                found = metadata.version(package)
            except metadata.PackageNotFoundError:
                if not hosted():  # a hosted runtime has its own front end instead of jupyterlab
                    problems.append(f"{package} is not installed (the course pins {wanted})")
                continue
        if found != wanted:
            problems.append(f"{package} is {found}, the course pins {wanted}")
    return problems + [p for p in [version_problem()] if p]


def prepare(seed: int = 42, learner: str | None = None) -> None:
    """Quiet TensorFlow's logs, check the pinned versions, and fix the random seeds. ``learner``: the
    id of a learner whose class hands out a task of their own to each (``checks.variation``)."""
    # Must be set before TensorFlow is first imported: the C++ start-up lines differ from machine to
    # machine, and oneDNN's reordered float sums would make printed values differ in the last digits.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import numpy as np
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    problems = version_problems()
    if problems:
        if hosted():
            print(
                "Note: this runtime's versions differ from the course's (" + "; ".join(problems) + "),",
                "so some printed numbers may differ from the text. The exercises' checks work the same.",
            )
        else:
            print(
                "Warning: outputs may differ from the course's, because",
                "; ".join(problems) + ".",
                "Run `make setup` from the course folder to install the pinned versions.",
            )
    tf.random.set_seed(seed)
    np.random.seed(seed)
    print(
        f"Ready: course {__version__}, TensorFlow {tf.__version__}, NumPy {np.__version__}; random seeds set to {seed}."
    )
    if learner is not None:
        from checks import variation

        print(variation.give_learner(learner))


def grading_secret() -> str | None:
    """The instructor's secret, from ``SECRET_VARIABLE``, or None: one reading for the checks and the
    grader, so that both draw the same hidden cases from it."""
    return os.environ.get(SECRET_VARIABLE, "").strip() or None
