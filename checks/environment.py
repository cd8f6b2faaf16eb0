"""The setup every notebook runs first: a quiet, pinned, seeded TensorFlow."""
from __future__ import annotations

import os
import re
from importlib import metadata
from pathlib import Path

from checks.version import __version__, version_problem

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s#]+)", line)
        if match:
            pins[match[1]] = match[2]
    return pins


def version_problems() -> list[str]:
    problems = []
    for package, wanted in pinned_versions().items():
        try:
            found = metadata.version(package)
        except metadata.PackageNotFoundError:
            problems.append(f"{package} is not installed (the course pins {wanted})")
            continue
        if found != wanted:
            problems.append(f"{package} is {found}, the course pins {wanted}")
    return problems + [p for p in [version_problem()] if p]


def prepare(seed: int = 42) -> None:
    """Quiet TensorFlow's logs, check the pinned versions, and fix the random seeds."""
    # Must be set before TensorFlow is first imported: the C++ start-up lines differ from machine to
    # machine, and oneDNN's reordered float sums would make printed values differ in the last digits.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import numpy as np
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    problems = version_problems()
    if problems:
        print("Warning: outputs may differ from the course's, because", "; ".join(problems) + ".",
              "Run `make setup` from the course folder to install the pinned versions.")
    tf.random.set_seed(seed)
    np.random.seed(seed)
    print(f"Ready: course {__version__}, TensorFlow {tf.__version__}, NumPy {np.__version__}; random seeds set to {seed}.")
