"""What a sandbox is asked to do, named, never reached for: the sandbox knows nothing of the course.

The grader hands the pool a ``Workload``: which exercises to observe (each by the import path of its
class, and the name the notebook defines its answer under), which modules the observations rely on
(so the guard puts them back and the server imports them before it forks), which packages are the
grader's own code, and the two hooks a notebook run needs from the course (one that makes its check
cells do nothing, one that words a learner's exception). The fork server receives it as JSON on its
command line and imports what it names; a test can hand it a throwaway exercise and no course.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Task:
    name: str  # the exercise's name ("forward")
    exercise: str  # the import path of its class ("checks.exercises.forward:Forward")
    answer: str  # the name the notebook defines the answer under ("EmbeddingModel")


@dataclass(frozen=True)
class Workload:
    tasks: tuple  # Task, for every exercise a submission may be observed on
    code_root: str  # the folder holding the code the server imports (bound read-only)
    guarded: tuple = ()  # modules (beyond NumPy and TensorFlow) observing relies on
    own_packages: tuple = ()  # top-level packages whose modules and classes are the grader's code
    warm_up: tuple = ()  # modules the server imports before it forks (what notebooks import)
    silence: str = ""  # import path of a context manager under which check cells do nothing
    describe_exception: str = ""  # import path of a function wording a learner's exception

    def task(self, name: str) -> Task:
        return next(task for task in self.tasks if task.name == name)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Workload:
        data = json.loads(text)
        data["tasks"] = tuple(Task(**task) for task in data["tasks"])
        return cls(**{key: tuple(value) if isinstance(value, list) else value for key, value in data.items()})


def load(path: str):
    """The object an import path ("package.module:attribute") names."""
    module, _, attribute = path.partition(":")
    found = importlib.import_module(module)
    for part in attribute.split(".") if attribute else []:
        found = getattr(found, part)
    return found
