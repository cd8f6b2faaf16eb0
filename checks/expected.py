"""What an exercise's reference solution, and each of its named wrong versions, give on given cases.

Where the exercise's ``solution_code`` is present (the course's repository, the instructor's
machine) it is run. Where a release or an autograder left it out, the results come from data the
builder recorded next to the exercise while it still had the solution (``recorded``), found by each
case's fingerprint: a learner's release carries the public cases' results, a Gradescope autograder
also the hidden ones its secret draws. Either way the learner's code never runs here, and nothing
here is ever inside the grader's sandbox.

The grader calls ``python -m checks.expected`` in a process of its own (trusted code only, started
before any submission runs), which reads ``{exercise: cases}`` as a pickle on stdin and writes
``{exercise: results}`` as a pickle on stdout.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from pathlib import Path

import numpy as np

#: Where a release or an autograder keeps recorded results: checks/expected/<variant id>.json (an
#: exercise's own task's variant id is its name).
RECORDED = Path(__file__).resolve().parent / "expected"
_COMPUTED: dict = {}  # (variant id, fingerprint) -> entry: the reference is deterministic, run it once


class NoReference(LookupError):
    """Neither the solution nor a recorded result is at hand for a case."""


def result(value) -> dict:
    """What a function returned, as plain data: its kind, and for anything array-like its dtype and
    values (a tf.Tensor, a variable, a NumPy array, a list or a number alike); for a list or tuple of
    results of different lengths (ragged: no array holds it), each item's result."""
    if value is None:
        return {"kind": "None"}
    kind = type(value).__name__
    try:
        import tensorflow as tf

        if isinstance(value, (tf.Tensor, tf.Variable)):
            value, kind = value.numpy(), "variable" if isinstance(value, tf.Variable) else "tensor"
    except ImportError:
        pass
    if isinstance(value, (list, tuple, int, float, bool, np.ndarray, np.generic)):
        try:
            array = np.array(value)
        except (ValueError, TypeError):
            array = None
        if array is not None and array.dtype.kind in "biufc":
            return {"kind": kind, "dtype": array.dtype.name, "values": array}
        if isinstance(value, (list, tuple)):
            items = [result(item) for item in value]
            if all("values" in item or "items" in item for item in items):
                return {"kind": kind, "items": items}
    return {"kind": kind}


def fingerprint(case: dict) -> str:
    """A case's inputs (and group), hashed: the same case always has the same fingerprint."""
    digest = hashlib.sha256()
    for key in sorted(case):
        if key in ("hidden", "expected", "wrong"):
            continue
        value = case[key]
        digest.update(key.encode() + b"\0")
        if isinstance(value, np.ndarray):
            digest.update(f"{value.dtype.str}{value.shape}".encode() + np.array(value, order="C").tobytes())
        else:
            digest.update(repr(value).encode())
        digest.update(b"\1")
    return digest.hexdigest()


def results(exercise, cases: list[dict]) -> list[dict]:
    """For each case, ``{"reference": result, "wrong": {key: result}}``."""
    if exercise.solution_code is not None:
        return compute(exercise, cases)
    recorded = _recorded(exercise.variant_id)
    missing = [case for case in cases if fingerprint(case) not in recorded]
    if missing:
        raise NoReference(
            f"{exercise.variant_id}: the reference solution is withheld and {len(missing)} of the "
            f"{len(cases)} cases have no recorded result (rebuild the release or the autograder)."
        )
    return [recorded[fingerprint(case)] for case in cases]


def compute(exercise, cases: list[dict]) -> list[dict]:
    found = []
    for case in cases:
        key = (exercise.variant_id, fingerprint(case))
        if key not in _COMPUTED:
            _COMPUTED[key] = {
                "reference": _run(exercise, exercise.solution_code, case),
                "wrong": {name: _run(exercise, code, case) for name, (_, code) in exercise.wrong_versions.items()},
            }
        found.append(_COMPUTED[key])
    return found


def _run(exercise, code: str, case: dict) -> dict:
    import tensorflow as tf

    namespace = {"tf": tf, "np": np, "__name__": f"reference_{exercise.name}"}
    exec(compile(code, f"<{exercise.name} reference>", "exec"), namespace)
    try:
        return result(exercise.call(namespace[exercise.answer_name], case))
    except Exception as exc:  # a wrong version may raise where the learner's code did not
        return {"kind": "error", "error": type(exc).__name__}


# -- recorded results ---------------------------------------------------------------------------
def recorded(exercise, cases: list[dict], path: Path | None = None) -> str:
    """The data a copy of the exercise without its solution needs: the results on ``cases`` (merged
    with what ``path`` holds already), as the text of checks/expected/<variant id>.json."""
    entries = _read(path) if path is not None and path.is_file() else {}
    entries.update((fingerprint(case), entry) for case, entry in zip(cases, compute(exercise, cases)))
    return (
        json.dumps(
            {"exercise": exercise.variant_id, "cases": {k: _plain(v) for k, v in sorted(entries.items())}},
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )


def _recorded(name: str) -> dict:
    path = RECORDED / f"{name}.json"
    return _read(path) if path.is_file() else {}


def _read(path: Path) -> dict:
    return {key: _unplain(entry) for key, entry in json.loads(path.read_text(encoding="utf-8"))["cases"].items()}


def _plain(value):
    if isinstance(value, np.ndarray):
        return {"array": [value.dtype.str, list(value.shape), value.ravel().tolist()]}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _unplain(value):
    if isinstance(value, list):
        return [_unplain(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"array"}:
            dtype, shape, flat = value["array"]
            return np.array(flat, dtype=np.dtype(dtype)).reshape(shape)
        return {key: _unplain(item) for key, item in value.items()}
    return value


def main() -> None:
    """The grader's trusted step: ``{variant id: cases}`` in (stdin), ``{variant id: results}`` out
    (stdout); an exercise's own task's variant id is its name."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import checks

    wanted = pickle.load(sys.stdin.buffer)
    variants = {variant.variant_id: variant for variant in checks.registry.every_variant()}
    answer = {name: results(variants[name], cases) for name, cases in wanted.items()}
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
