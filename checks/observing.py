"""Running learner code and turning what it did into plain data.

Everything here runs on the learner's side (the notebook kernel, or the grader's sandboxed worker). It
returns dicts of plain values and NumPy arrays, so that the verdict can be reached somewhere the
learner's code cannot reach.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import linecache
import os
import re
import textwrap
import traceback
import types

import numpy as np

#: The course's own packages (checks/, and grader/ where the course has it): never the learner's code.
_COURSE_PACKAGES = tuple(
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), package) + os.sep
    for package in ("checks", "grader")
)
#: Where Python's own library lives: its frames are not the learner's either.
_PYTHON_LIBRARY = tuple({os.path.dirname(os.__file__) + os.sep})


def _code_fingerprint(code: types.CodeType):
    # Comments, blank lines and line numbers do not reach co_code, so a learner who only edited
    # the comments of the skeleton has still not attempted the exercise.
    return (
        code.co_code,
        code.co_names,
        code.co_varnames,
        tuple(c for c in code.co_consts if not isinstance(c, types.CodeType)),
    )


def compile_function(source: str, path: str):
    """The function object at ``path`` ("f" or "Class.method") defined by ``source``."""
    namespace: dict = {}
    exec(compile(textwrap.dedent(source), "<skeleton>", "exec"), namespace)
    obj = namespace
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


def _definition(source: str, path: str) -> str | None:
    """The function at ``path`` ("f" or "Class.method") in ``source``: its parameters and body as a syntax
    tree without positions (so comments and blank lines do not count), or None where there is none."""
    try:
        nodes = ast.parse(textwrap.dedent(source)).body
    except SyntaxError:
        return None
    found = None
    for part in path.split("."):
        found = next((node for node in nodes if getattr(node, "name", None) == part), None)
        if found is None:
            return None
        nodes = getattr(found, "body", [])
    if not isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    return ast.dump(ast.Module(body=found.body, type_ignores=[])) + ast.dump(found.args)  # whatever its name


def is_placeholder(func, skeleton: str, path: str) -> bool:
    """True when ``func`` is still the skeleton's function at ``path``, its body untouched but for
    comments. Judged on the source where it can be read (``return None`` is an answer, though it
    compiles to the same bytecode as ``pass``), else on the bytecode."""
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    try:
        written = _definition(inspect.getsource(func), func.__name__)
    except (OSError, TypeError):
        written = None
    if written is not None:
        return written == _definition(skeleton, path)
    return _code_fingerprint(code) == _code_fingerprint(compile_function(skeleton, path).__code__)


def describe_exception(exc: BaseException) -> str:
    """One or two lines: the exception, and the line of the learner's code that raised it (never a
    line of the course's own code, of Python's library, or of an installed package)."""
    if isinstance(exc, SyntaxError):  # raised by compiling the learner's cell: its own line says where
        where = f"\n  at line {exc.lineno}" if exc.lineno else ""
        text = (exc.text or "").strip()
        return f"{type(exc).__name__}: {exc.msg}" + (f"{where}: {text}" if text else where)
    # TensorFlow wraps op errors in "{{function_node ...}}" and "[Op:GatherV2] name: ", and quotes whole
    # tensors ("<tf.Tensor: shape=..., numpy=...>"): its internals, which mean nothing to a learner.
    message = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", str(exc)).strip()
    first_line = (message.splitlines() or [""])[0]
    first_line = re.sub(r"\s*\[Op:\w+\](\s*name:\s*\S*)?\s*$", "", first_line)
    first_line = re.sub(r":?\s*<tf\.(Tensor|Variable)\b.*>\s*$", "", first_line)
    if len(first_line) > 200:
        first_line = first_line[:197] + "..."
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not _learners(frame.filename):
            continue
        line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
        where = f"\n  in {frame.name}(), at: {line}" if line else f"\n  in {frame.name}()"
        break
    return f"{type(exc).__name__}: {first_line}".rstrip(": ") + where


def _learners(filename: str) -> bool:
    """Whether a frame's file is the learner's: a notebook cell, or a file of their own."""
    if "site-packages" in filename or "dist-packages" in filename:
        return False
    path = os.path.abspath(filename) if not filename.startswith("<") else filename
    return not path.startswith(_COURSE_PACKAGES + _PYTHON_LIBRARY)


def snapshot(value) -> dict:
    """What a returned value is, in plain data: its kind, dtype, shape, name and values."""
    import tensorflow as tf

    if value is None:
        return {"kind": "None"}
    if isinstance(value, tf.Variable):
        return {
            "kind": "variable",
            "name": value.name,
            "dtype": value.dtype.name,
            "trainable": value.trainable,
            "shape": tuple(value.shape),
            "values": value.numpy().copy(),
        }
    if isinstance(value, tf.Tensor):
        return {
            "kind": "tensor",
            "dtype": value.dtype.name,
            "shape": tuple(value.shape),
            "values": value.numpy().copy(),
        }
    if isinstance(value, np.ndarray):
        return {"kind": "ndarray", "dtype": value.dtype.name, "shape": value.shape, "values": value.copy()}
    return {"kind": type(value).__name__}


def plain_number(value):
    """A whole number as an int; anything else as the name of its type (a report carries no objects)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return f"<{type(value).__name__}>"


def kind_phrase(snap: dict, with_shape: bool = True) -> str:
    """How to name a snapshot's kind in a sentence: 'a tf.Tensor of dtype float32', 'None'. Without
    the shape when the shape would give a hidden case's inputs away."""
    kind = snap["kind"]
    shape = f" and shape {snap['shape']}" if with_shape and "shape" in snap else ""
    if kind == "None":
        return "None"
    if kind == "variable":
        return f"a tf.Variable ({snap['name']}, dtype {snap['dtype']}" + (f", shape {snap['shape']})" if shape else ")")
    if kind == "tensor":
        return f"a tf.Tensor of dtype {snap['dtype']}{shape}"
    if kind == "ndarray":
        return f"a NumPy array of dtype {snap['dtype']}{shape}"
    return f"an object of type {kind}"


def places_holding(function, names, owners, namespaces=()) -> list:
    """Every ``(owner, name)`` where ``function`` can be reached under one of ``names``: on the given
    owners (modules), and in each namespace (a learner's globals) both as a name of its own (``from
    tensorflow.random import uniform``) and on the modules it holds, and their ``random`` and
    ``compat.v1`` (``import tensorflow.compat.v1 as tf1``, which need not be the object
    ``tf.compat.v1`` is)."""
    candidates = list(owners)
    for namespace in namespaces:
        for value in list(namespace.values()):
            if _is_module(value):
                candidates += [
                    value,
                    getattr(value, "random", None),
                    _attribute_path(value, "compat.v1"),
                    _attribute_path(value, "compat.v1.random"),
                ]
    places, seen = [], set()
    for owner in candidates:
        for name in names:
            if owner is not None and (id(owner), name) not in seen and getattr(owner, name, None) is function:
                seen.add((id(owner), name))
                places.append((owner, name))
    for namespace in namespaces:
        places += [(namespace, name) for name, value in list(namespace.items()) if value is function]
    return places


def _is_module(value) -> bool:
    # TensorFlow's public modules are wrapped (TFModuleWrapper), which is not a ModuleType.
    return isinstance(value, types.ModuleType) or type(value).__name__ == "TFModuleWrapper"


def _attribute_path(value, path: str):
    for part in path.split("."):
        value = getattr(value, part, None)
    return value if _is_module(value) else None


@contextlib.contextmanager
def recording_calls(places, record):
    """Wrap the function at each ``(owner, name)`` place so every call appends [args, kwargs, result]
    to ``record``, before it runs (so a call that raises is recorded too, its result None). The places
    must all hold the same function (its aliases); an owner is a module, a class (the wrapper is then a
    method, and ``args`` starts with the instance) or a namespace dict.

    Used only for what behaviour cannot reveal: whether a variable came from ``get_variable``, and
    whether ``tf.random.uniform`` got its bounds the wrong way round (it then still returns values in
    range). The originals are always put back.
    """
    originals = [(owner, name, _get(owner, name)) for owner, name in places]
    if not originals:
        yield record
        return
    original = originals[0][2]

    def wrapper(*args, **kwargs):
        call = [args, kwargs, None]
        record.append(call)
        call[2] = original(*args, **kwargs)
        return call[2]

    for owner, name, _ in originals:
        _set(owner, name, wrapper)
    try:
        yield record
    finally:
        for owner, name, value in originals:
            _set(owner, name, value)


def get_variable_calls():
    """Record every call of ``tf.compat.v1.get_variable``, whatever name the learner reached it by
    (``tf.compat.v1.get_variable``, ``tf1.get_variable``, ``from tensorflow.compat.v1 import
    get_variable``): each goes through the current variable scope's ``get_variable`` method, and the
    record's results are the variables it made or found."""
    from tensorflow.python.ops import variable_scope

    return recording_calls([(variable_scope.VariableScope, "get_variable")], [])


def _get(owner, name):
    return owner[name] if isinstance(owner, dict) else getattr(owner, name)


def _set(owner, name, value) -> None:
    if isinstance(owner, dict):
        owner[name] = value
    else:
        setattr(owner, name, value)
