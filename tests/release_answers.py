"""Run with a learners' release first on the path (``PYTHONPATH=<release>``): every callable its ``checks``
package holds, tried as an answer to every exercise, the ways a learner who imported it would try it.

    python tests/release_answers.py <expected.pickle> [MODULE ...]

The pickle holds, for each exercise judged against a reference, what the reference gives on the public
cases and on the hidden ones of ``SECRET`` (worked out from the repository, which has the solutions).
With MODULEs, only their callables are tried. Prints one JSON object: the callables tried, how many
answers, and every answer that passed an exercise's check, public cases alone or with the hidden ones.
``tests/test_release_answers.py`` runs it.

The callables: each module's functions and classes, the classes' static, class and plain methods (a
plain method bound to the registered exercise where the class is one), and every method of the
registered exercise objects. The ways: the callable itself as the answer; the answer calling it with
all its own arguments, or with one of them; what it returns used as it is, as a float32 tensor, or, for
an exercise whose answer draws random values, as the bound of tf.random.uniform's range.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pickle
import pkgutil
import signal
import sys
import types

import numpy as np

SECRET = "release-answers"
#: For the exercises whose answer draws random values: the shape of the result, from the answer's arguments.
RANDOM_SHAPES = {
    "uniform_with_std": lambda shape, std: shape,
    "get_initializer": lambda embedding_dim, vocab_size: (vocab_size, embedding_dim),
}


class TookTooLong(BaseException):
    """Raised by the alarm: a BaseException, so that the checks' ``except Exception`` lets it through."""


def _alarm(signum, frame):
    raise TookTooLong()


def limited(seconds, function, *args):
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def callables(checks, only=()) -> dict:
    """qualified name -> callable, for everything the ``checks`` package defines (each once, under the
    name of the module that defines it; dunder methods left out), or only ``only`` modules' when given."""
    found, seen = {}, set()
    modules = [checks] + [
        importlib.import_module(info.name) for info in pkgutil.walk_packages(checks.__path__, prefix="checks.")
    ]
    exercise_of = {type(exercise): exercise for exercise in checks.EXERCISES.values()}

    def add(name, value, defined_by):
        key = id(getattr(value, "__func__", value)), id(getattr(value, "__self__", None))
        if key not in seen and (not only or defined_by in only):
            seen.add(key)
            found[name] = value

    for module in modules:
        for name, value in list(vars(module).items()):
            if getattr(value, "__module__", None) != module.__name__ or not callable(value):
                continue  # defined elsewhere: found under the module that defines it
            if isinstance(value, types.FunctionType):
                add(f"{module.__name__}.{name}", value, module.__name__)
            elif isinstance(value, type):
                add(f"{module.__name__}.{name}", value, module.__name__)
                owner = exercise_of.get(value, value)
                for attribute, member in vars(value).items():
                    if attribute.startswith("__") or not isinstance(
                        member, (staticmethod, classmethod, types.FunctionType)
                    ):
                        continue
                    try:
                        add(f"{module.__name__}.{name}.{attribute}", getattr(owner, attribute), module.__name__)
                    except Exception:  # an attribute of an instance that cannot be read: not a callable
                        pass
    for exercise in checks.EXERCISES.values():  # what a registered exercise inherits, bound to it
        for attribute in dir(exercise):
            if attribute.startswith("__"):
                continue
            try:
                member = getattr(exercise, attribute)
            except Exception:
                continue
            if inspect.ismethod(member):
                add(f"checks.{exercise.name}.{attribute}", member, type(exercise).__module__)
    return found


def first_arguments(exercise) -> tuple | None:
    """The arguments the check passes the learner's code on its first public case."""
    seen = []

    def recorder(*args, **kwargs):
        seen.append((args, kwargs))
        raise TookTooLong()  # stop at the first call

    case = exercise.public_cases()[0]
    try:
        exercise.observe(recorder, dict(case), {})
    except (TookTooLong, Exception):
        pass
    return seen[0] if seen else None


def completions(exercise_name: str):
    """How an answer may use what a callable returned: as it is, as a float32 tensor, as a bound."""
    import tensorflow as tf

    def as_it_is(value, args):
        return value

    def as_tensor(value, args):
        return tf.convert_to_tensor(np.asarray(value, dtype=np.float32))

    ways = {"as it is": as_it_is, "as a tensor": as_tensor}
    if exercise_name in RANDOM_SHAPES:

        def as_bound(value, args):
            bound = float(np.asarray(value))
            return tf.random.uniform(RANDOM_SHAPES[exercise_name](*args), -bound, bound)

        ways["as the bound of tf.random.uniform"] = as_bound
    return ways


def answers(exercise, function, arguments):
    """(how, answer) for each way a learner may use ``function`` in an answer to ``exercise``."""
    if "." in exercise.skeleton_path:  # forward: the answer is a class
        if isinstance(function, type):
            yield "the class itself", function

        def forward(self, target_ids):
            return function(target_ids)

        yield "forward returning what it gives", type("Model", (), {"__init__": _model_init, "forward": forward})
        return
    yield "itself", function
    args, kwargs = arguments
    count = len(args) + len(kwargs)
    for how, complete in completions(exercise.name).items():
        yield f"called with every argument, {how}", _calling(function, None, complete)
        for position in range(count):
            yield f"called with argument {position + 1}, {how}", _calling(function, position, complete)


def _model_init(self, vocab_size, embedding_dim):
    self.vocab_size, self.embedding_dim = vocab_size, embedding_dim


def _calling(function, position, complete):
    def answer(*args, **kwargs):
        given = list(args) + list(kwargs.values())
        value = function(*args, **kwargs) if position is None else function(given[position])
        return complete(value, given)

    return answer


def passes(exercise, answer, expected, first: list) -> str | None:
    """Which check the answer passes (the public cases, or with the hidden ones too), or None. ``first``:
    the check's first case, which decides first: an answer wrong there fails it, so the rest is spared."""
    reference = expected.get(exercise.name)
    try:
        report = limited(5, exercise.observe_all, answer, first)
        if not exercise.decide(report, first, reference[:1] if reference else None).passed:
            return None
        if limited(20, exercise.evaluate, answer).passed:
            return "public cases"
        cases = exercise.cases(SECRET)
        report = limited(30, exercise.observe_all, answer, cases)
        if exercise.decide(report, cases, reference).passed:
            return "public and hidden cases"
    except (TookTooLong, Exception):
        return None
    return None


def main() -> None:
    from checks.environment import prepare

    prepare(seed=0)
    import checks

    expected = pickle.loads(open(sys.argv[1], "rb").read())
    found = callables(checks, tuple(sys.argv[2:]))
    tried, passed = 0, []
    for exercise in checks.EXERCISES.values():
        arguments, first = first_arguments(exercise), exercise.public_cases()[:1]
        for name, function in found.items():
            for how, answer in answers(exercise, function, arguments or ((), {})):
                tried += 1
                which = passes(exercise, answer, expected, first)
                if which:
                    passed.append({"exercise": exercise.name, "callable": name, "how": how, "passed": which})
    print(json.dumps({"callables": sorted(found), "answers_tried": tried, "passed": passed}))


if __name__ == "__main__":
    main()
