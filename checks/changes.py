"""What a learner's function did to the arguments it was given.

A function that computes a result is expected to leave its arguments as they were: the caller goes on
using them (notebook 3's later cells read the matrix ``sentence_vectors`` was given; notebook 5 exports
the one ``nearest_neighbours`` was given). An exercise names the arguments it asks to be changed
(``Exercise.may_change``: ``count_words`` adds to its counter); a change to any other is a mistake.

``Watched`` wraps the learner's function on the learner's side (the notebook's kernel, the grader's
sandbox): each call copies the arguments' values before the function runs and compares them after it,
and what changed is kept as plain data. ``change_mistake`` words that data on the judge's side.
"""

from __future__ import annotations

import sys

import numpy as np

from checks.outcome import Mistake

#: How many changed rows or positions a change records (a message names a few of them at most).
_KEPT = 20


class Watched:
    """``function``, called as the learner's code is called, remembering the first change each call made
    to each of its arguments (by the skeleton's parameter names) but those in ``may_change``."""

    def __init__(self, function, parameters: tuple, may_change: tuple = ()):
        self.function, self.parameters, self.may_change = function, tuple(parameters), set(may_change)
        self.changed: dict = {}

    def __call__(self, *args, **kwargs):
        given = self._named(args, kwargs)
        before = {name: _copy(value) for name, value in given.items() if name not in self.may_change}
        returned = self.function(*args, **kwargs)
        for name, value in given.items():
            if name in before and name not in self.changed:
                change = _change(before[name], _copy(value))
                if change is not None:
                    self.changed[name] = change
        return returned

    def _named(self, args, kwargs) -> dict:
        named = dict(zip(self.parameters, args))
        named.update((f"argument {number + 1}", value) for number, value in enumerate(args[len(self.parameters) :]))
        named.update(kwargs)
        return named

    def record(self, facts: dict) -> None:
        """Add what the calls changed to an observation's ``facts`` (nothing when they changed nothing)."""
        if self.changed:
            facts["changed"] = dict(self.changed)


def parameters_of(function_node) -> tuple:
    """The names of a function's parameters (a syntax tree's ``FunctionDef``), without ``self``."""
    arguments = function_node.args
    names = [a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs]
    return tuple(name for name in names if name != "self")


# -- the learner's side: copies, and what differs between two of them ----------------------------
_NOT_WATCHED = object()


def _copy(value):
    """An independent copy of ``value``'s contents, tagged with what it was, or ``_NOT_WATCHED`` for
    what cannot change (numbers, strings, tensors) or cannot be copied."""
    if isinstance(value, np.ndarray):
        return ("array", value.copy())
    if _is_variable(value):
        try:
            return ("variable", np.array(value.numpy(), copy=True))
        except Exception:  # a variable that cannot be read (uninitialised): nothing to compare
            return _NOT_WATCHED
    if isinstance(value, (list, tuple)):
        items = [_copy(item) for item in value]
        if isinstance(value, tuple) and all(item is _NOT_WATCHED for item in items):
            return _NOT_WATCHED  # a tuple of numbers (a shape) cannot change
        return ("list" if isinstance(value, list) else "tuple", [(item, _plain(v)) for item, v in zip(items, value)])
    if isinstance(value, dict):
        return ("dict", {key: (_copy(item), _plain(item)) for key, item in value.items()})
    return _NOT_WATCHED


def _is_variable(value) -> bool:
    tf = sys.modules.get("tensorflow")  # a variable exists only once TensorFlow is imported
    return tf is not None and isinstance(value, tf.Variable)


def _plain(value):
    """What a list holds at one place, for an item that is not itself watched: the item as it is (a
    number, a string), compared by equality."""
    if isinstance(value, (int, float, str, bool, type(None), np.generic)):
        return value
    return None


def _change(before, after) -> dict | None:
    """What differs between two copies of one argument, as plain data, or None if nothing does."""
    if before is _NOT_WATCHED or after is _NOT_WATCHED or before[0] != after[0]:
        return None
    kind = before[0]
    if kind in ("array", "variable"):
        return _array_change(kind, before[1], after[1])
    if kind == "dict":
        if before[1].keys() != after[1].keys():
            return {"of": kind, "length": [len(before[1]), len(after[1])]}
        same = all(_equal_item(before[1][key], after[1][key]) for key in before[1])
        return None if same else {"of": kind, "items": True}
    if len(before[1]) != len(after[1]):
        return {"of": kind, "length": [len(before[1]), len(after[1])]}
    if all(_equal_item(a, b) for a, b in zip(before[1], after[1])):
        return None
    return {"of": kind, "items": True}


def _equal_item(a, b) -> bool:
    (copy_a, plain_a), (copy_b, plain_b) = a, b
    if copy_a is _NOT_WATCHED or copy_b is _NOT_WATCHED:
        return copy_a is copy_b and plain_a == plain_b
    return _change(copy_a, copy_b) is None


def _array_change(kind: str, before: np.ndarray, after: np.ndarray) -> dict | None:
    if before.shape != after.shape or before.dtype != after.dtype:
        if before.shape != after.shape:
            return {"of": kind, "shape": [list(before.shape), list(after.shape)]}
        return {"of": kind, "dtype": [before.dtype.name, after.dtype.name]}
    if _same_values(before, after):
        return None
    if before.ndim == 0:
        return {"of": kind, "value": True}
    rows_before, rows_after = before.reshape(len(before), -1), after.reshape(len(after), -1)
    different = np.flatnonzero([not _same_values(a, b) for a, b in zip(rows_before, rows_after)])
    changed = rows_after[different]
    change = {
        "of": kind,
        "rank": before.ndim,
        "rows": [int(row) for row in different[:_KEPT]],
        "how_many": int(different.size),
        "out_of": len(before),
        "zeros": bool(changed.size and np.all(changed == 0)),
        "reordered": bool(before.ndim == 1 and np.array_equal(np.sort(before), np.sort(after))),
    }
    if before.ndim >= 2 and after.dtype.kind == "f":
        lengths = np.linalg.norm(rows_after.astype(np.float64), axis=1)
        change["unit_rows"] = bool(np.allclose(lengths, 1.0, rtol=0, atol=1e-3))
    return change


def _same_values(a: np.ndarray, b: np.ndarray) -> bool:
    try:
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    except TypeError:  # arrays of objects
        return bool(np.array_equal(a, b))


# -- the judge's side: a change in words ---------------------------------------------------------
def change_mistake(
    function: str, argument: str, change: dict, where: str, hidden: bool, named_rows: dict, may_change=()
) -> Mistake:
    """The mistake of a function that changed ``argument``: what it changed, as ``change`` (from
    ``Watched``) records it. ``named_rows``: row -> how to call it ("the pad id's row");
    ``may_change``: the arguments it was asked to change."""
    what = _what_changed(change, hidden, {int(row): name for row, name in named_rows.items()})
    if may_change:
        expected = f"to change its {_listed(list(may_change))} alone and leave its other arguments as they were"
    else:
        expected = "to leave its arguments as they were and to give its answer in what it returns"
    return Mistake(
        "changes-" + argument.replace("_", "-").replace(" ", "-"),
        f"{where}, {function} changed the {argument} it was given: {what}. The caller goes on using what it "
        f"passed in, so {function} is expected {expected}.",
    )


def _what_changed(change: dict, hidden: bool, named_rows: dict) -> str:
    kind = {"variable": "the variable", "array": "the array", "list": "the list", "tuple": "the tuple"}.get(
        change.get("of"), "it"
    )
    if "length" in change:
        before, after = change["length"]
        if after == 0:
            return f"{kind} is empty after the call"
        if hidden:
            return f"{kind} holds {'fewer' if after < before else 'more'} items after the call than before it"
        return f"{kind} held {before} items before the call and {after} after it"
    if "shape" in change:
        before, after = (tuple(shape) for shape in change["shape"])
        return (
            f"{kind}'s shape is different after the call" if hidden else f"{kind}'s shape went from {before} to {after}"
        )
    if "dtype" in change:
        before, after = change["dtype"]
        return f"{kind}'s dtype went from {before} to {after}"
    if "rows" not in change:
        return f"{kind} holds other values after the call"
    if change["rank"] == 1:
        if change.get("reordered"):
            return f"{kind} holds the same values in another order after the call"
        if change["zeros"]:
            return f"some of {kind}'s values are zeros after the call"
        return f"some of {kind}'s values are different after the call"
    rows, every = change["rows"], change["how_many"] == change["out_of"]
    if every:
        subject, plural = "every row", False
    elif change["how_many"] <= len(rows) and all(row in named_rows for row in rows):
        subject, plural = _listed([named_rows[row] for row in rows]), len(rows) > 1
    elif hidden:
        subject, plural = "some of its rows", True
    elif change["how_many"] <= 3:
        subject, plural = ("row " if len(rows) == 1 else "rows ") + _listed([str(row) for row in rows]), len(rows) > 1
    else:
        subject, plural = f"{change['how_many']} of its {change['out_of']} rows", True
    if change.get("unit_rows") and not change["zeros"]:
        held = "have length 1" if plural else "has length 1"
        return f"{subject} {held} after the call: {kind} was scaled in place"
    held = ("hold" if plural else "holds") + (" zeros" if change["zeros"] else " other values")
    return f"{subject} {held} after the call"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
