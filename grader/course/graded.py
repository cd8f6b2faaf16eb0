"""The course as the grader grades it: a graded copy of each graded exercise (the exercise, never
changed, with the points and the marking the class chose) and the assignments they make up.

Everything the grader knows about an exercise comes from its declaration in ``checks``: its name,
notebook, answer, cases and judge. Nothing here lists exercises by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grader.sandbox.workload import Task, Workload

#: What an exercise's observation relies on when its declaration names nothing.
DEFAULT_TF_MODULES = (
    "tensorflow.random",
    "tensorflow.nn",
    "tensorflow.compat.v1",
    "tensorflow.compat.v1.random",
    "tensorflow.compat.v1.nn",
)
#: What the course's notebooks import, besides NumPy and TensorFlow: the sandbox's fork server imports
#: them once, before it forks, so no submission pays for them.
NOTEBOOK_IMPORTS = (
    "checks.environment",
    "checks.figures",
    "checks.learner_work",
    "IPython.display",
    "matplotlib.pyplot",
    "ipywidgets",
)
#: The assignment's name when the whole course is graded as one.
WHOLE_COURSE = "course"


@dataclass(frozen=True)
class GradedExercise:
    exercise: object  # the checks exercise, as declared: the variant a learner is graded on
    points: float
    partial_credit: bool
    others: tuple = ()  # the other variants the class hands out: observed too, so a neighbour's task shows

    @property
    def name(self) -> str:
        return self.exercise.name

    @property
    def notebook(self) -> str:
        return self.exercise.notebook

    @property
    def answer_name(self) -> str:
        return self.exercise.answer_name

    @property
    def judged_against_reference(self) -> bool:
        """Judged against a reference solution, whose results the grader works out beforehand."""
        return bool(getattr(self.exercise, "judged_against_reference", False))

    @property
    def variant(self) -> str:
        """The key of the task graded, where the class hands out variants of this exercise; else ""."""
        return self.exercise.variant if self.others else ""

    @property
    def variant_id(self) -> str:
        """The graded variant's id: where its cases, reference results and observations are kept."""
        return self.exercise.variant_id

    def tasks(self) -> tuple:
        """Every variant an answer to this exercise is observed on: the graded one first."""
        return (self.exercise, *self.others)

    def grade(self, report: dict, cases: list, expected: list | None = None):
        return self.exercise.grade(report, cases, expected, self.points, self.partial_credit)

    def graded_on(self, variant) -> GradedExercise:
        """The same exercise, graded on ``variant`` (one of its tasks), the others observed beside it."""
        tasks = self.tasks()
        return replace(self, exercise=variant, others=tuple(task for task in tasks if task is not variant))


@dataclass(frozen=True)
class Course:
    exercises: tuple  # GradedExercise, in course order
    per_notebook: bool = True
    allocation: object = None  # checks.allocation.Allocation: whose variant is whose; None: one task for all

    def by_name(self) -> dict:
        return {ex.name: ex for ex in self.exercises}

    def names(self) -> list[str]:
        return [ex.name for ex in self.exercises]

    def notebooks(self) -> list[str]:
        """The notebooks with graded exercises, in course order."""
        return list(dict.fromkeys(ex.notebook for ex in self.exercises))

    def in_notebook(self, notebook: str) -> tuple:
        return tuple(ex for ex in self.exercises if ex.notebook == notebook)

    def assignments(self) -> dict:
        """Each assignment's name -> its exercises: a notebook each, or the whole course as one."""
        if self.per_notebook:
            return {notebook: self.in_notebook(notebook) for notebook in self.notebooks()}
        return {WHOLE_COURSE: self.exercises}

    def max_score(self, exercises=None) -> float:
        return sum(ex.points for ex in (self.exercises if exercises is None else exercises))

    def tasks(self) -> tuple:
        """Every variant the exercises are observed on (each exercise's own task alone, without variants)."""
        return tuple(task for ex in self.exercises for task in ex.tasks())

    def cases(self, secret: str | None) -> dict[str, list]:
        """Each variant's cases, by its id: the public ones, and hidden ones drawn from ``secret`` when given."""
        return {task.variant_id: list(task.cases(secret)) for task in self.tasks()}

    def tf_modules(self) -> tuple[str, ...]:
        """Every TensorFlow module the exercises' observations rely on (guarded and warmed up)."""
        found: dict[str, None] = {}
        for task in self.tasks():
            for module in task.tf_modules or DEFAULT_TF_MODULES:
                found[module] = None
        return tuple(found)

    def for_learner(self, learner: str | None) -> Course:
        """The course as ``learner`` (the id the platform gives) is graded on it: each exercise that hands
        out variants graded on the one allotted to that id. Unchanged without variants, or without an id
        (each exercise's own task is then graded)."""
        if self.allocation is None or learner is None:
            return self
        exercises = []
        for ex in self.exercises:
            keys = self.allocation.offered.get(ex.name)
            if keys:
                key = self.allocation.variant_of(learner, ex.name)
                ex = ex.graded_on(next(task for task in ex.tasks() if task.variant == key))
            exercises.append(ex)
        return replace(self, exercises=tuple(exercises))

    def workload(self, code_root) -> Workload:
        """What the grader's sandboxes are asked to do for this course: observe each exercise (named by
        its class), guard what observing relies on, and import what the notebooks import."""
        tasks = tuple(
            Task(task.variant_id, f"{type(task).__module__}:{type(task).__qualname__}", task.answer_name)
            for task in self.tasks()
        )
        return Workload(
            tasks,
            str(code_root),
            guarded=self.tf_modules(),
            own_packages=("checks", "grader"),
            warm_up=NOTEBOOK_IMPORTS,
            silence="checks.exercise:silenced",
            describe_exception="checks.observing:describe_exception",
        )

    def only(self, names) -> Course:
        """The same course, graded on ``names`` alone (in course order)."""
        wanted = set(names)
        return Course(tuple(ex for ex in self.exercises if ex.name in wanted), self.per_notebook, self.allocation)
