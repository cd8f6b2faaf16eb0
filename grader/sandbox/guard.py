"""Putting back what learner code may have monkeypatched, and saying what it replaced.

The worker takes a ``Guard`` after the notebook's modules are imported and before any learner code
runs, restores it before each exercise is observed, and reports ``changes()`` after it: an exercise
observed while a guarded name was replaced is not judged. What is guarded comes with the workload:
the modules observing relies on, and every module and class of the grader's own packages (the
exercises' classes among them: the worker makes a fresh exercise object from its class for each
observation, so no object a learner could reach is ever reused).
"""

from __future__ import annotations

import builtins
import importlib
import sys
import types


def resolve(tf, name: str):
    """The TensorFlow module ``name`` ("tensorflow.compat.v1.nn"): an attribute of TensorFlow's API
    (some are lazily loaded wrappers), else an importable module; None if neither."""
    obj = tf
    for part in name.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            break
    if obj is not None:
        return obj
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _guarded_namespaces(guarded, own):
    """The modules and classes whose attributes observing relies on, by name: the ``guarded`` modules
    and every module and class of the ``own`` packages."""
    import numpy as np
    import tensorflow as tf

    modules = {"builtins": builtins, "numpy": np, "tensorflow": tf}
    for name, module in list(sys.modules.items()):
        if module is not None and _ours(name, own):
            modules[name] = module
    for name in guarded:
        module = resolve(tf, name)
        if module is not None:
            modules[name] = module
    classes = {}
    samples = [tf.DType, tf.TensorShape]
    try:  # the classes of what learner code returns; imported, not instantiated, so no runtime starts
        from tensorflow.python.framework.ops import EagerTensor
        from tensorflow.python.ops.resource_variable_ops import ResourceVariable

        samples += [EagerTensor, ResourceVariable]
    except ImportError:
        pass
    for sample in samples:
        for cls in sample.__mro__:
            if (cls.__module__ or "").startswith("tensorflow"):
                classes[f"{cls.__module__}.{cls.__qualname__}"] = cls
    for name, module in list(modules.items()):
        if _ours(name, own):  # Exercise, GetInitializer, Outcome, ...
            for value in list(vars(module).values()):
                if isinstance(value, type) and _ours(value.__module__ or "", own):
                    classes[f"{value.__module__}.{value.__qualname__}"] = value
    return modules, classes


def _ours(module_name: str, own) -> bool:
    """Whether a module belongs to the grader's own packages (the exercises, the sandbox's code)."""
    return module_name.split(".")[0] in own


def _is_plain(module) -> bool:
    return type(module) is types.ModuleType or module is builtins


class _ModuleCopy:
    """A module's attributes as they were. TensorFlow wraps some API modules (tf.compat.v1) in objects
    that keep attributes outside ``__dict__``; those are read and put back through getattr/setattr."""

    def __init__(self, module):
        self.module = module
        self.plain = _is_plain(module)
        if self.plain:
            self.saved = dict(vars(module))
        else:
            wrapped = getattr(module, "_tfmw_wrapped_module", None)
            names = [k for k in vars(wrapped) if not k.startswith("_")] if wrapped is not None else []
            self.saved = {}
            for key in names:
                try:
                    self.saved[key] = getattr(module, key)
                except Exception:
                    pass
            self.inner = _ModuleCopy(wrapped) if wrapped is not None else None

    def restore(self) -> None:
        if self.plain:
            namespace = vars(self.module)
            for key in [k for k in namespace if k not in self.saved and not k.startswith("__")]:
                del namespace[key]
            namespace.update(self.saved)
            return
        if self.inner is not None:
            self.inner.restore()
        for key, value in self.saved.items():
            try:
                if getattr(self.module, key) is not value:
                    setattr(self.module, key, value)
            except Exception:
                pass

    def changes(self, label: str) -> list[str]:
        changed = []
        for key, value in self.saved.items():
            if key.startswith("__"):
                continue
            if self.plain:
                now = vars(self.module).get(key, _MISSING)
            else:
                try:
                    now = getattr(self.module, key)
                except Exception:
                    now = _MISSING
            if now is not value:
                changed.append(f"{label}.{key}")
        return changed


class Guard:
    """A copy of the guarded namespaces, to put back and to compare with."""

    def __init__(self, guarded=(), own=()):
        modules, self.classes = _guarded_namespaces(guarded, own)
        self.modules = {name: _ModuleCopy(module) for name, module in modules.items()}
        self.sys_modules = {
            name: sys.modules.get(name)
            for name in list(sys.modules)
            if name in ("numpy", "tensorflow") or _ours(name, own)
        }
        self.class_dicts = {name: dict(vars(c)) for name, c in self.classes.items()}

    def restore(self) -> None:
        sys.modules.update(self.sys_modules)
        for copy in self.modules.values():
            copy.restore()
        for name, cls in self.classes.items():
            saved = self.class_dicts[name]
            for key in [k for k in vars(cls) if k not in saved]:
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
            for key, value in saved.items():
                if vars(cls).get(key, _MISSING) is not value:
                    try:
                        setattr(cls, key, value)
                    except (AttributeError, TypeError):
                        pass
        sys.settrace(None)
        sys.setprofile(None)

    def changes(self) -> list[str]:
        """What was replaced since the copy was taken (names only; additions are not changes)."""
        changed = []
        for name, copy in self.modules.items():
            changed += copy.changes(name)
        for name, cls in self.classes.items():
            namespace = vars(cls)
            for key, value in self.class_dicts[name].items():
                if not key.startswith("__") and namespace.get(key, _MISSING) is not value:
                    changed.append(f"{name}.{key}")
        for name, module in self.sys_modules.items():
            if sys.modules.get(name) is not module:
                changed.append(f"sys.modules[{name!r}]")
        return changed


_MISSING = object()
