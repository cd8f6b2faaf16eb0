"""The former name of ``checks.observing``, kept only so that ``checks/grade/`` (which imports it)
keeps working until the grader moves to its own package; nothing in ``checks`` uses it."""
from checks.observing import (compile_function, describe_exception, is_placeholder, kind_phrase,  # noqa: F401
                              recording_calls, snapshot)
