"""The grader on a whole class at once: correct answers written many ways, wrong ones, exercises
graded independently, nothing attempted, hostile submissions (one per trick), malformed files.

Everything is graded in ONE run of ``python -m grader`` (a module-scoped fixture), and each test
reads its submission's row. The limits are shorter than the defaults so that the time-outs are quick.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from itertools import zip_longest
from pathlib import Path

import grade_submissions as gs
import nbformat
import pytest

from grader.course import classroom
from grader.pipeline.read import MAX_FILE_BYTES

NOTEBOOK_04 = classroom.load().course().only(["get_initializer", "forward"])

pytestmark = pytest.mark.slow  # runs the grader or whole notebooks: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
LIMITS = ["--timeout", "12", "--cell-timeout", "2", "--exercise-timeout", "3"]


# -- correct answers, written in different ways ----------------------------------------------------
CORRECT_GET_INITIALIZER = {
    "solution": gs.GET_INITIALIZER_SOLUTION,
    "keywords_and_dtype": gs.get_initializer_def("""
        return tf.random.uniform(shape=[vocab_size, embedding_dim], minval=-0.5 / embedding_dim,
                                 maxval=0.5 / embedding_dim, dtype=tf.float32)"""),
    "compat_random_uniform": gs.get_initializer_def("""
        bound = 0.5 / embedding_dim
        return tf.compat.v1.random_uniform((vocab_size, embedding_dim), -bound, bound)"""),
    "keras_initializer_called": gs.get_initializer_def("""
        init = tf.keras.initializers.RandomUniform(-0.5 / embedding_dim, 0.5 / embedding_dim)
        return init(shape=(vocab_size, embedding_dim))"""),
    "scaled_unit_uniform": gs.get_initializer_def("""
        bound = 0.5 / embedding_dim
        return (tf.random.uniform((vocab_size, embedding_dim)) * 2.0 - 1.0) * bound"""),
    "numpy_then_tensor": gs.get_initializer_def("""
        bound = 0.5 / embedding_dim
        values = np.random.uniform(-bound, bound, size=(vocab_size, embedding_dim))
        return tf.constant(values, dtype=tf.float32)"""),
    "lambda": "get_initializer = lambda embedding_dim, vocab_size: tf.random.uniform(\n"
    "    (vocab_size, embedding_dim), -0.5 / embedding_dim, 0.5 / embedding_dim)",
    "stateless": gs.get_initializer_def("""
        bound = 0.5 / embedding_dim
        return tf.random.stateless_uniform((vocab_size, embedding_dim), seed=[4, 2], minval=-bound, maxval=bound)"""),
}
CORRECT_FORWARD = {
    "solution": gs.SOLVED_CLASS,
    "nn_embedding_lookup": gs.forward_def("""
        self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
        return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)"""),
    "gather": gs.forward_def("""
        self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
        return tf.gather(self.embedding_matrix, target_ids)"""),
    "keywords": gs.forward_def("""
        self.embedding_matrix = tf.compat.v1.get_variable(name='embedding_matrix', initializer=initializer,
                                                          dtype=tf.float32, trainable=True)
        embeddings = tf.compat.v1.nn.embedding_lookup(params=self.embedding_matrix, ids=target_ids)
        return embeddings"""),
    "variable_scope": gs.forward_def("""
        with tf.compat.v1.variable_scope('skipgram', reuse=tf.compat.v1.AUTO_REUSE):
            self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)
        return tf.nn.embedding_lookup(self.embedding_matrix, tf.convert_to_tensor(target_ids))"""),
    "helper_method": gs.model_class("""
        def _matrix(self, initializer):
            return tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)

        def forward(self, target_ids):
            initializer = get_initializer(self.embedding_dim, self.vocab_size)
            self.embedding_matrix = self._matrix(initializer)
            return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)"""),
}
CORRECT = {
    f"correct-{g}-{f}": gs.submission(
        get_initializer=CORRECT_GET_INITIALIZER[g or "solution"], embedding_model=CORRECT_FORWARD[f or "solution"]
    )
    for g, f in zip_longest(CORRECT_GET_INITIALIZER, CORRECT_FORWARD)
}
CORRECT.update(
    {
        "correct-with-magics": gs.submission(
            before=(
                "%matplotlib inline",
                "!pip install --no-index nothing-at-all",
                "%load_ext autoreload\n%autoreload 2",
            ),
            get_initializer="%%time\n" + gs.GET_INITIALIZER_SOLUTION,
        ),
        "correct-checks-in-code-cells-hints-run": gs.submission(
            get_initializer=gs.GET_INITIALIZER_SOLUTION + "\nchecks.get_initializer.check(get_initializer)\n"
            "checks.get_initializer.hint()\nchecks.get_initializer.solution()",
            embedding_model=gs.SOLVED_CLASS + "\nchecks.forward.check(EmbeddingModel)\nchecks.forward.solution()",
        ),
        "correct-redefined-later": gs.submission(
            get_initializer=gs.get_initializer_def("return None"), middle=(gs.GET_INITIALIZER_SOLUTION,)
        ),
        "correct-broken-cell-left": gs.submission(middle=("def oops(:\n    pass",), after=("undefined_name + 1",)),
    }
)

# -- wrong answers, and the words their feedback must contain ---------------------------------------
WRONG_GET_INITIALIZER = {
    "returns_none": ("tf.random.uniform((vocab_size, embedding_dim))", "returned None"),
    "shape_swapped": (
        "b = 0.5 / embedding_dim\nreturn tf.random.uniform((embedding_dim, vocab_size), -b, b)",
        "the two sizes are swapped",
    ),
    "bounds_swapped": (
        "b = 0.5 / embedding_dim\nreturn tf.random.uniform((vocab_size, embedding_dim), b, -b)",
        "minval larger than its maxval",
    ),
    "default_range": ("return tf.random.uniform((vocab_size, embedding_dim))", "default range [0, 1)"),
    "truncated_normal": (
        "return tf.random.truncated_normal((vocab_size, embedding_dim), stddev=0.25 / embedding_dim)",
        "normal distribution",
    ),
    "vocab_bound": (
        "b = 0.5 / vocab_size\nreturn tf.random.uniform((vocab_size, embedding_dim), -b, b)",
        "0.5 / vocab_size",
    ),
    "returns_variable": (
        "b = 0.5 / embedding_dim\nreturn tf.Variable(tf.random.uniform((vocab_size, embedding_dim), -b, b))",
        "from which forward makes the variable",
    ),
    "returns_numpy": (
        "b = 0.5 / embedding_dim\nreturn np.random.uniform(-b, b, (vocab_size, embedding_dim)).astype(np.float32)",
        "a TensorFlow tensor",
    ),
    "returns_initializer": (
        "b = 0.5 / embedding_dim\nreturn tf.random_uniform_initializer(-b, b)",
        "initializer object",
    ),
    "float64": (
        "b = 0.5 / embedding_dim\nreturn tf.random.uniform((vocab_size, embedding_dim), -b, b, dtype=tf.float64)",
        "dtype float64",
    ),
    "raises": ("return tf.random.uniform((vocab_size, embedding_dim), -bound, bound)", "NameError"),
}
WRONG_FORWARD = {
    "local_variable": (
        "embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "return tf.nn.embedding_lookup(embedding_matrix, target_ids)",
        "did not set self.embedding_matrix",
    ),
    "tf_variable": (
        "self.embedding_matrix = tf.Variable(initializer, name='embedding_matrix')\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)",
        "it was not made by tf.compat.v1.get_variable",
    ),
    "wrong_name": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embeddings', initializer=initializer)\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)",
        "the expected name is 'embedding_matrix'",
    ),
    "no_initializer": (
        "self.embedding_matrix = tf.compat.v1.get_variable(\n"
        "    'embedding_matrix', shape=(self.vocab_size, self.embedding_dim))\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, target_ids)",
        "Glorot",
    ),
    "whole_matrix": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "return tf.convert_to_tensor(self.embedding_matrix)",
        "returned the whole matrix",
    ),
    "returns_none": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "tf.nn.embedding_lookup(self.embedding_matrix, target_ids)",
        "forward returned None",
    ),
    "wrong_rows": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, (target_ids + 1) % self.vocab_size)",
        "expected row i of the matrix for id i",
    ),
    "returns_numpy": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, target_ids).numpy()",
        "cuts the link gradients follow back",
    ),
    "unique_ids": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "ids, _ = tf.unique(tf.reshape(target_ids, [-1]))\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, ids)",
        "a repeated id must give its row again",
    ),
    "flattened": (
        "self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)\n"
        "return tf.nn.embedding_lookup(self.embedding_matrix, tf.reshape(target_ids, [-1]))",
        "the ids were flattened",
    ),
}
WRONG = {}
for (g, (g_body, g_words)), (f, (f_body, f_words)) in zip(WRONG_GET_INITIALIZER.items(), WRONG_FORWARD.items()):
    WRONG[f"wrong-{g}-{f}"] = (
        gs.submission(get_initializer=gs.get_initializer_def(g_body), embedding_model=gs.forward_def(f_body)),
        g_words,
        f_words,
    )
WRONG["wrong-raises-solution"] = (
    gs.submission(get_initializer=gs.get_initializer_def(WRONG_GET_INITIALIZER["raises"][0])),
    "NameError",
    None,
)

# -- exercises are graded on their own --------------------------------------------------------------
INDEPENDENT = {
    # name: (notebook, get_initializer result, forward result)
    "independent-none-right": (
        gs.submission(get_initializer=gs.get_initializer_def("pass\nreturn None")),
        "incorrect",
        "passed",
    ),
    "independent-raises-right": (
        gs.submission(get_initializer=gs.get_initializer_def("raise ValueError('not yet')")),
        "error",
        "passed",
    ),
    "independent-skeleton-right": (
        gs.submission(get_initializer=gs.GET_INITIALIZER_SKELETON),
        "not attempted",
        "passed",
    ),
    "independent-deleted-right": (gs.submission(get_initializer="# deleted"), "not attempted", "passed"),
    "independent-right-skeleton": (gs.submission(embedding_model=gs.FORWARD_SKELETON), "passed", "not attempted"),
    "independent-exits-right": (
        gs.submission(get_initializer=gs.get_initializer_def("import os\nos._exit(3)")),
        "crashed",
        "passed",
    ),
    "independent-loops-right": (
        gs.submission(get_initializer=gs.get_initializer_def("while True:\n    pass")),
        "timed out",
        "passed",
    ),
    "independent-syntax-error-right": (
        gs.submission(get_initializer="def get_initializer(embedding_dim, vocab_size)\n    pass"),
        "error",
        "passed",
    ),
}

NOT_ATTEMPTED = {
    "not-attempted-as-shipped": gs.skeleton_submission(),
    "not-attempted-comments-edited": gs.submission(
        get_initializer=gs.GET_INITIALIZER_SKELETON.replace("# CODE HERE", "# I will do this later\n    # really"),
        embedding_model=gs.FORWARD_SKELETON.replace("# CODE HERE", "# TODO"),
    ),
}

# -- hostile submissions: one per trick ---------------------------------------------------------------
KILL_PARENT = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"
EXIT_IN_CELL = "import os\nos._exit(3)"
SYSTEM_EXIT = "import sys\nsys.exit('bye')"
INFINITE_LOOP = "while True:\n    pass"
SWALLOWING_LOOP = """import time
while True:
    try:
        time.sleep(0.05)
    except BaseException:
        pass"""
OUTPUT_FLOOD = """import os, sys
for _ in range(100):
    print("x" * 10**6)
for _ in range(50):
    os.write(1, b"y" * 10**6)
    os.write(2, b"z" * 10**6)"""
MEMORY_BOMB = """import numpy as np
hoard = []
while True:
    hoard.append(np.ones(2**27))  # 1 GB each"""
PATCH_NUMPY_TF = """import numpy as np, tensorflow as tf
np.array_equal = lambda *a, **k: True
np.allclose = lambda *a, **k: True
np.any = lambda *a, **k: False
tf.random.uniform = lambda *a, **k: tf.zeros((1,))
tf.compat.v1.get_variable = lambda *a, **k: None"""
PATCH_CHECKS = """import checks, checks.exercise, checks.observing, checks.outcome
fake = lambda self, *a, **k: checks.Outcome(self.name, checks.Status.PASSED, "Well done")
checks.exercise.Exercise.verdict = fake
checks.exercise.Exercise.evaluate = fake
checks.exercise.Exercise.observe_all = lambda self, answer, cases=None: {"observations": []}
checks.get_initializer.verdict = lambda *a, **k: None
checks.observing.is_placeholder = lambda *a, **k: False
checks.outcome.Outcome.passed = property(lambda self: True)
import builtins
builtins.isinstance = lambda *a: True"""
PATCH_DURING_CHECK = gs.get_initializer_def("""
    import checks.exercises.get_initializer as module
    bound = 0.5 / embedding_dim
    fake = tf.random.uniform((vocab_size, embedding_dim), -bound, bound)
    module.snapshot = lambda value: {"kind": "tensor", "dtype": "float32", "shape": (vocab_size, embedding_dim),
                                     "values": fake.numpy()}
    return None""")
FAKE_PASSED_LINES = """print("get_initializer: Correct. Well done: your code gives the right result on every test case.")
print("forward: Correct. Well done: your code gives the right result on every test case.")
print('{"score": 2.0, "tests": [{"name": "get_initializer", "score": 1.0}, {"name": "forward", "score": 1.0}]}')
import sys
print("ALL TESTS PASSED", file=sys.stderr)"""  # noqa: E501 (the checks' own lines)
FORGED_FRAMES = (
    f"NAMES = {NOTEBOOK_04.names()!r}\n"
    + """import json, os, struct
def frame(message):
    body = json.dumps(message).encode()
    os.write(3, struct.pack("!I", len(body)) + body)
frame({"t": "cells_done", "errors": [], "output_characters": 0, "defined": {}})
for name in NAMES:
    frame({"t": "observing", "ex": name})
    frame({"t": "report", "ex": name, "report": {"observations": []}, "changed": []})
frame({"t": "done"})"""
)


def fake_files(pid_file: Path) -> str:
    return textwrap.dedent(f"""\
        import json, os, time
        fake = {{"submissions": [{{"submission": "fake-files", "score": 2.0, "max_score": 2.0, "status": "graded"}}]}}
        def plant(folder):
            try:
                os.makedirs(os.path.join(folder, "feedback"), exist_ok=True)
                with open(os.path.join(folder, "results.json"), "w") as f:
                    json.dump(fake, f)
                with open(os.path.join(folder, "grades.csv"), "w") as f:
                    f.write("submission,total\\nfake-files,2\\n")
                with open(os.path.join(folder, "feedback", "planted.md"), "w") as f:
                    f.write("you passed")
            except OSError:
                pass
        folders, pid = [".", "/tmp"], os.getpid()
        for _ in range(6):  # find the grader's --out among our ancestors' command lines
            try:
                with open(f"/proc/{{pid}}/stat") as f:
                    stat = f.read()
                pid = int(stat[stat.rfind(")") + 2:].split()[1])
                with open(f"/proc/{{pid}}/cmdline") as f:
                    args = f.read().split("\\0")
            except (OSError, ValueError):
                break
            if "--out" in args:
                folders.append(args[args.index("--out") + 1])
        for folder in folders:
            plant(folder)
        if os.fork() == 0:  # a daemon that plants them again later
            os.setsid()
            if os.fork() == 0:
                with open({str(pid_file)!r}, "w") as f:
                    f.write(str(os.getpid()))
                time.sleep(4)
                for folder in folders:
                    plant(folder)
                time.sleep(600)
            os._exit(0)
        """)


def read_other_files(folder: Path, out: Path) -> str:
    """Copy the answers from solutions/ and from another learner's submission; plant a file in OUT."""
    return textwrap.dedent(f"""\
        import json
        def code_cells(path):
            try:
                with open(path) as f:
                    cells = json.load(f)["cells"]
            except (OSError, ValueError):
                return []
            return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
        for source in code_cells({str(ROOT / "solutions" / "04_time_to_code.ipynb")!r}):
            if source.startswith("def get_initializer"):
                exec(source)
        for source in code_cells({str(folder / "correct-solution-solution.ipynb")!r}):
            if "class EmbeddingModel" in source:
                exec(source)
        try:
            with open({str(out / "planted-by-sandbox.txt")!r}, "w") as f:
                f.write("written by a submission")
        except OSError:
            pass
        """)


# As many threads (or processes) as it can start, then the count, in an error the feedback quotes.
THREAD_FLOOD = """import threading
event, started = threading.Event(), 0
try:
    while started < 5000:
        threading.Thread(target=event.wait, daemon=True).start()
        started += 1
finally:
    event.set()
    raise ValueError(f"started {started} threads")"""
PROCESS_FLOOD = """import os, time
children = []
try:
    while len(children) < 5000:
        pid = os.fork()
        if pid == 0:
            time.sleep(5)
            os._exit(0)
        children.append(pid)
finally:
    for pid in children:
        os.kill(pid, 9)
    raise ValueError(f"started {len(children)} processes")"""
# What the sandbox's copy of checks/ says of each exercise's solution, read from inside and raised, so
# that the learner's feedback would quote it.
READ_THE_CHECKS = """import checks, pathlib
said = []
for path in sorted(pathlib.Path(checks.__file__).parent.rglob("*")):
    text = path.read_text(errors="replace") if path.is_file() else ""
    start = text.find("solution_code = ")
    if start >= 0:
        said.append(path.name + ": " + text[start:start + 150].replace(chr(10), " "))
    if "expected" in path.parts:
        said.append("recorded results: " + path.name)
raise ValueError(" | ".join(said))"""
# Threads left waiting, so that the check's own TensorFlow threads cannot start.
THREADS_LEFT_RUNNING = """import threading
for _ in range(1000):
    threading.Thread(target=threading.Event().wait, daemon=True).start()
return None"""


def tricks(pid_file: Path, folder: Path, out: Path) -> dict:
    return {
        "trick-read-solutions-and-other-submissions": gs.skeleton_submission(after=(read_other_files(folder, out),)),
        # name: notebook. Solved tricks must still earn their marks; skeleton tricks must earn none.
        "trick-exception-in-cell": gs.submission(middle=("raise RuntimeError('boom')",)),
        "trick-system-exit-in-cell": gs.submission(before=(SYSTEM_EXIT,)),
        "trick-system-exit-in-answer": gs.submission(get_initializer=gs.get_initializer_def("raise SystemExit(3)")),
        "trick-os-exit-in-cell": gs.submission(middle=(EXIT_IN_CELL,)),
        "trick-os-exit-in-forward": gs.submission(embedding_model=gs.forward_def("import os\nos._exit(4)")),
        "trick-kill-parent": gs.submission(middle=(KILL_PARENT,)),
        "trick-infinite-loop-in-cell": gs.submission(middle=(INFINITE_LOOP,)),
        "trick-infinite-loop-before-the-answer": gs.submission(
            get_initializer=INFINITE_LOOP + "\n" + gs.GET_INITIALIZER_SOLUTION
        ),
        "trick-loop-that-swallows-the-alarm": gs.submission(after=(SWALLOWING_LOOP,)),
        "trick-output-flood": gs.submission(middle=(OUTPUT_FLOOD,)),
        "trick-memory-bomb": gs.submission(middle=(MEMORY_BOMB,)),
        "trick-memory-bomb-in-answer": gs.submission(get_initializer=gs.get_initializer_def(MEMORY_BOMB)),
        "trick-thread-flood": gs.submission(middle=(THREAD_FLOOD,)),
        "trick-read-the-checks": gs.submission(middle=(READ_THE_CHECKS,)),
        "trick-process-flood": gs.submission(middle=(PROCESS_FLOOD,)),
        "trick-threads-left-running": gs.submission(get_initializer=gs.get_initializer_def(THREADS_LEFT_RUNNING)),
        "trick-patch-numpy-tensorflow-solved": gs.submission(middle=(PATCH_NUMPY_TF,)),
        "trick-patch-numpy-tensorflow": gs.skeleton_submission(after=(PATCH_NUMPY_TF,)),
        "trick-patch-checks": gs.skeleton_submission(after=(PATCH_CHECKS,)),
        "trick-patch-during-check": gs.submission(get_initializer=PATCH_DURING_CHECK),
        "trick-fake-passed-lines": gs.skeleton_submission(after=(FAKE_PASSED_LINES,)),
        "trick-fake-result-files": gs.skeleton_submission(after=(fake_files(pid_file),)),
        "trick-forged-frames": gs.skeleton_submission(after=(FORGED_FRAMES,)),
    }


# -- files that are not (good) notebooks ------------------------------------------------------------
def v3_notebook() -> str:
    return nbformat.writes(nbformat.convert(gs.notebook(gs.cells()), 3), version=3)


def lenient_notebook() -> str:
    data = json.loads(gs.submission())
    del data["metadata"]
    for cell in data["cells"]:
        cell.pop("outputs", None)
    return json.dumps(data)


MALFORMED = {
    "malformed-empty.ipynb": b"",
    "malformed-whitespace.ipynb": b"  \n\n",
    "malformed-binary.ipynb": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "malformed-not-json.ipynb": b"print('this is a Python file')\n",
    "malformed-json-list.ipynb": b"[1, 2, 3]",
    "malformed-json-object.ipynb": b'{"name": "not a notebook"}',
    "malformed-deeply-nested.ipynb": b"[" * 200000 + b"]" * 200000,
    "malformed-cells-not-cells.ipynb": b'{"cells": [1, 2], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
    "answers.py": gs.GET_INITIALIZER_SOLUTION.encode(),
}


# -- the one grading run ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    out = tmp_path_factory.mktemp("out")
    pid_file = tmp_path_factory.mktemp("daemon") / "pid"
    # The grader's own temporary folders (its copy of the code, which its servers' command lines name)
    # under a folder of this run's: the servers of other graders on the machine are not this run's.
    own_tmp = Path(tempfile.mkdtemp(prefix="grader-batch-tmp-"))
    notebooks = {
        **CORRECT,
        **{k: v[0] for k, v in WRONG.items()},
        **{k: v[0] for k, v in INDEPENDENT.items()},
        **NOT_ATTEMPTED,
        **tricks(pid_file, folder, out),
    }
    for name, text in notebooks.items():
        (folder / f"{name}.ipynb").write_text(text)
    for name, data in MALFORMED.items():
        (folder / name).write_bytes(data)
    with open(folder / "malformed-too-large.ipynb", "wb") as handle:  # sparse: larger than the grader reads
        handle.truncate(MAX_FILE_BYTES + 1)
    (folder / "format-v3.ipynb").write_text(v3_notebook())
    (folder / "format-lenient.ipynb").write_text(lenient_notebook())
    (folder / "format-no-code-cells.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    (folder / "student-folder").mkdir()
    (folder / "student-folder" / "04_time_to_code.ipynb").write_text(gs.submission())
    (folder / ".hidden.ipynb").write_text(gs.submission())
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "x-checkpoint.ipynb").write_text(gs.submission())
    for real in ("notebooks", "solutions"):
        path = ROOT / real / "04_time_to_code.ipynb"
        if path.exists():
            (folder / f"real-{real}.ipynb").write_bytes(path.read_bytes())

    started = time.monotonic()
    command = [sys.executable, "-m", "grader", str(folder), "--out", str(out), *LIMITS]
    grading = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(own_tmp)},
    )
    servers_seen = 0  # this run's fork servers seen while it graded: the marker above finds them
    while True:
        try:
            stdout, stderr = grading.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            servers_seen = max(servers_seen, len(own_servers(own_tmp)))
            if time.monotonic() - started > 900:
                grading.kill()
                raise
    completed = subprocess.CompletedProcess(command, grading.returncode, stdout, stderr)
    seconds = time.monotonic() - started
    time.sleep(5)  # past the moment the daemon of trick-fake-result-files would plant its files again
    results = json.loads((out / "results.json").read_text())
    rows = {s["submission"]: s for s in results["submissions"]}
    yield {
        "completed": completed,
        "out": out,
        "folder": folder,
        "rows": rows,
        "results": results,
        "seconds": seconds,
        "pid_file": pid_file,
        "count": len(list(folder.rglob("*"))),
        "tmp": own_tmp,
        "servers_seen": servers_seen,
    }
    shutil.rmtree(own_tmp, ignore_errors=True)


def row(graded, name):
    return graded["rows"][name if "." in name else f"{name}.ipynb"]


def exercise_tests(graded, name):
    return {t["name"]: t for t in row(graded, name)["tests"]}


def result_of(graded, name, exercise):
    return exercise_tests(graded, name)[exercise]["extra_data"]["result"]


def assert_full_marks(graded, name):
    r = row(graded, name)
    assert r["status"] == "graded", r
    assert r["score"] == r["max_score"] == NOTEBOOK_04.max_score(), json.dumps(r["tests"], indent=1)


# -- the run as a whole ------------------------------------------------------------------------------
def test_the_run_exits_0_and_prints_a_summary(graded):
    completed = graded["completed"]
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Graded " in completed.stdout and "Passed (learners): get_initializer" in completed.stdout
    assert "Slowest:" in completed.stdout
    assert "graded " in completed.stderr  # progress lines (stderr is not a terminal here)


def test_every_file_gets_one_row_and_hidden_files_none(graded):
    names = set(graded["rows"])
    expected = {
        p.relative_to(graded["folder"]).as_posix()
        for p in graded["folder"].rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(graded["folder"]).parts)
    }
    assert names == expected
    assert "student-folder/04_time_to_code.ipynb" in names
    assert len(graded["results"]["submissions"]) == len(names)


# -- correct, wrong, independent, not attempted -------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_answers_get_full_marks(graded, name):
    assert_full_marks(graded, name)
    for test in row(graded, name)["tests"]:
        assert test["status"] == "passed" and test["output"].startswith("Correct.")


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_get_no_marks_and_feedback_naming_the_mistake(graded, name):
    _, get_initializer_words, forward_words = WRONG[name]
    tests = exercise_tests(graded, name)
    assert tests["get_initializer"]["score"] == 0 and tests["get_initializer"]["status"] == "failed"
    assert get_initializer_words in tests["get_initializer"]["output"]
    if forward_words is None:
        assert tests["forward"]["score"] == 1
    else:
        assert tests["forward"]["score"] == 0
        assert forward_words in tests["forward"]["output"]
    feedback = (graded["out"] / row(graded, name)["feedback"]).read_text()
    assert get_initializer_words in feedback


@pytest.mark.parametrize("name", sorted(INDEPENDENT))
def test_each_exercise_is_graded_on_its_own(graded, name):
    _, get_initializer_result, forward_result = INDEPENDENT[name]
    assert result_of(graded, name, "get_initializer") == get_initializer_result
    assert result_of(graded, name, "forward") == forward_result
    assert exercise_tests(graded, name)["forward"]["score"] == (1 if forward_result == "passed" else 0)


@pytest.mark.parametrize("name", sorted(NOT_ATTEMPTED) + ["real-notebooks"])
def test_nothing_attempted_is_reported_as_such(graded, name):
    if name == "real-notebooks" and "real-notebooks.ipynb" not in graded["rows"]:
        pytest.skip("notebooks/04_time_to_code.ipynb is not generated yet")
    r = row(graded, name)
    assert r["status"] == "graded" and r["score"] == 0
    for test in r["tests"]:
        assert test["extra_data"]["result"] == "not attempted"
        assert test["output"].startswith("Not attempted yet.")


def test_the_solution_notebook_gets_full_marks(graded):
    if "real-solutions.ipynb" not in graded["rows"]:
        pytest.skip("solutions/04_time_to_code.ipynb is not written yet")
    assert_full_marks(graded, "real-solutions")


def test_a_deleted_answer_says_it_is_missing(graded):
    output = exercise_tests(graded, "independent-deleted-right")["get_initializer"]["output"]
    assert "does not define get_initializer" in output


def test_a_syntax_error_in_the_answer_cell_is_named(graded):
    output = exercise_tests(graded, "independent-syntax-error-right")["get_initializer"]["output"]
    assert "SyntaxError" in output and "code cell 2" in output
    feedback = json.dumps(row(graded, "independent-syntax-error-right"))
    assert re.search(r"SyntaxError: [^\\]*\\n  at line \d+: ", feedback), feedback  # the learner's own line
    for internal in ("_run_cells", "exec(compile", "worker.py", "grader/"):  # never the grader's own code
        assert internal not in feedback


def test_broken_cells_are_reported_but_cost_nothing(graded):
    problems = " ".join(row(graded, "correct-broken-cell-left")["problems"])
    assert "SyntaxError" in problems and "NameError" in problems


# -- tricks ------------------------------------------------------------------------------------------------
def test_trick_exception_in_a_cell(graded):
    assert_full_marks(graded, "trick-exception-in-cell")
    assert any("RuntimeError: boom" in p for p in row(graded, "trick-exception-in-cell")["problems"])


def test_trick_system_exit_in_a_cell(graded):
    assert_full_marks(graded, "trick-system-exit-in-cell")
    assert any("SystemExit" in p for p in row(graded, "trick-system-exit-in-cell")["problems"])


def test_trick_system_exit_in_an_answer(graded):
    tests = exercise_tests(graded, "trick-system-exit-in-answer")
    assert tests["get_initializer"]["extra_data"]["result"] == "error"
    assert "SystemExit" in tests["get_initializer"]["output"]
    assert tests["forward"]["score"] == 1


def test_trick_os_exit_in_a_cell_skips_that_cell(graded):
    assert_full_marks(graded, "trick-os-exit-in-cell")
    problems = " ".join(row(graded, "trick-os-exit-in-cell")["problems"])
    assert "was skipped" in problems and "exit code 3" in problems


def test_trick_os_exit_in_an_answer(graded):
    tests = exercise_tests(graded, "trick-os-exit-in-forward")
    assert tests["get_initializer"]["score"] == 1
    assert tests["forward"]["extra_data"]["result"] == "crashed" and "exit code 4" in tests["forward"]["output"]
    assert row(graded, "trick-os-exit-in-forward")["status"] == "graded"


def test_trick_killing_the_parent_process(graded):
    # The parent is the slot's fork server, PID 1 of the sandbox: no process inside can signal it, so
    # the notebook runs on, nothing is restarted and nobody is charged.
    assert_full_marks(graded, "trick-kill-parent")
    assert not row(graded, "trick-kill-parent")["notes"]
    assert "restarted" not in graded["completed"].stdout


def test_trick_infinite_loop_in_a_cell(graded):
    assert_full_marks(graded, "trick-infinite-loop-in-cell")
    assert any("timed out: it ran for more than" in p for p in row(graded, "trick-infinite-loop-in-cell")["problems"])
    assert not any("raised an error" in p for p in row(graded, "trick-infinite-loop-in-cell")["problems"])


def test_an_answer_cell_that_never_ends_is_a_time_out_not_an_error(graded):
    r = row(graded, "trick-infinite-loop-before-the-answer")
    test = next(t for t in r["tests"] if t["name"] == "get_initializer")
    assert test["extra_data"]["mistake"] == "timed-out" and test["output"].startswith("Timed out. The cell that")
    assert "raised an error" not in test["output"] and test["score"] == 0


def test_trick_loop_that_swallows_the_alarm_hits_the_time_limit(graded):
    r = row(graded, "trick-loop-that-swallows-the-alarm")
    assert_full_marks(graded, "trick-loop-that-swallows-the-alarm")
    assert any("was skipped" in p and "time limit" in p for p in r["problems"])


def test_trick_output_flood_is_ignored_and_bounded(graded):
    assert_full_marks(graded, "trick-output-flood")
    assert any("printed 100,0" in p for p in row(graded, "trick-output-flood")["problems"])
    assert (graded["out"] / "results.json").stat().st_size < 300_000


@pytest.mark.parametrize("name, kind", [("trick-thread-flood", "threads"), ("trick-process-flood", "processes")])
def test_trick_a_flood_of_tasks_stops_at_the_documented_limit(graded, name, kind):
    # 64 tasks at once beyond the ready worker's own; the attempt's process and its TensorFlow threads
    # are among them, so a cell starts a few less.
    assert_full_marks(graded, name)
    started = [int(m) for p in row(graded, name)["problems"] for m in re.findall(rf"started (\d+) {kind}", p)]
    assert len(started) == 1 and 32 <= started[0] <= 64, row(graded, name)["problems"]


def test_trick_threads_left_running_are_named_as_a_task_flood_not_memory(graded):
    r = row(graded, "trick-threads-left-running")
    text = json.dumps(r)
    assert "processes and threads" in text and "memory" not in text.replace("its memory or its tasks", ""), text
    assert exercise_tests(graded, "trick-threads-left-running")["get_initializer"]["score"] == 0


def test_trick_reading_the_checks_finds_no_solution_to_hand_in(graded):
    import checks

    assert_full_marks(graded, "trick-read-the-checks")
    problems = " ".join(row(graded, "trick-read-the-checks")["problems"])
    assert "solution_code = None" in problems  # it did read the copy the sandbox has
    assert "recorded results" not in problems
    for exercise in checks.EXERCISES.values():
        for line in exercise.solution_code.splitlines():
            if line.strip() and line.strip() not in exercise.skeleton:
                assert line.strip() not in problems, line


def test_trick_memory_bomb_in_a_cell(graded):
    assert_full_marks(graded, "trick-memory-bomb")
    assert any("MemoryError" in p for p in row(graded, "trick-memory-bomb")["problems"])


def test_trick_memory_bomb_in_an_answer(graded):
    tests = exercise_tests(graded, "trick-memory-bomb-in-answer")
    assert tests["get_initializer"]["score"] == 0 and "MemoryError" in tests["get_initializer"]["output"]
    assert tests["forward"]["score"] == 1


def test_trick_monkeypatching_numpy_and_tensorflow_changes_nothing(graded):
    assert_full_marks(graded, "trick-patch-numpy-tensorflow-solved")
    r = row(graded, "trick-patch-numpy-tensorflow")
    assert r["score"] == 0 and {t["extra_data"]["result"] for t in r["tests"]} == {"not attempted"}


def test_trick_monkeypatching_the_checks_gains_nothing(graded):
    r = row(graded, "trick-patch-checks")
    assert r["score"] == 0 and {t["extra_data"]["result"] for t in r["tests"]} == {"not attempted"}


def test_trick_monkeypatching_while_being_checked_is_caught(graded):
    tests = exercise_tests(graded, "trick-patch-during-check")
    assert tests["get_initializer"]["score"] == 0
    assert tests["get_initializer"]["extra_data"]["result"] == "interfered"
    assert "checks.exercises.get_initializer.snapshot" in tests["get_initializer"]["output"]
    assert tests["forward"]["score"] == 1


def test_trick_printing_fake_passed_lines(graded):
    r = row(graded, "trick-fake-passed-lines")
    assert r["score"] == 0 and {t["extra_data"]["result"] for t in r["tests"]} == {"not attempted"}


def test_trick_writing_fake_result_files(graded):
    out = graded["out"]
    r = row(graded, "trick-fake-result-files")
    assert r["score"] == 0
    results = json.loads((out / "results.json").read_text())
    assert "fake-files" not in {s["submission"] for s in results["submissions"]}
    assert "fake-files" not in (out / "grades.csv").read_text()
    assert not (out / "feedback" / "planted.md").exists()
    # The daemon it started could not even write its pid file outside the sandbox; had it, it would
    # have to be gone, since the sandbox and everything in it end with the grading.
    if graded["pid_file"].exists():
        with pytest.raises(ProcessLookupError):
            os.kill(int(graded["pid_file"].read_text()), 0)
    # No fork server of this grading is left (other tests' graders may be running on the machine now).
    assert graded["servers_seen"] > 0 and own_servers(graded["tmp"]) == []


def own_servers(tmp: Path) -> list[bytes]:
    """The command lines of the grader's fork servers whose copy of the code is under ``tmp``."""
    return [line for line in command_lines() if b"grader.sandbox.server" in line and str(tmp).encode() in line]


def command_lines() -> list[bytes]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                found.append(handle.read())
        except OSError:
            pass
    return found


def test_trick_reading_solutions_and_other_submissions(graded):
    assert "Sandbox: bubblewrap" in graded["completed"].stdout  # it refuses to grade without one
    r = row(graded, "trick-read-solutions-and-other-submissions")
    assert r["score"] == 0 and {t["extra_data"]["result"] for t in r["tests"]} == {"not attempted"}
    assert not (graded["out"] / "planted-by-sandbox.txt").exists()


def test_trick_forging_protocol_frames(graded):
    r = row(graded, "trick-forged-frames")
    assert r["score"] == 0
    assert r["status"] == "interfered" or {t["extra_data"]["result"] for t in r["tests"]} <= {
        "not attempted",
        "error",
        "interfered",
    }


# -- malformed files ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(MALFORMED) + ["malformed-too-large.ipynb"])
def test_malformed_files_get_a_row_and_a_clear_status(graded, name):
    r = row(graded, name)
    assert r["status"] == "not a notebook" and r["score"] == 0 and r["message"]
    assert len(r["tests"]) == len(NOTEBOOK_04.names()) and all(
        t["extra_data"]["result"] == "not graded" for t in r["tests"]
    )


def test_malformed_messages_say_what_is_wrong(graded):
    assert "empty" in row(graded, "malformed-empty.ipynb")["message"]
    assert "binary" in row(graded, "malformed-binary.ipynb")["message"]
    assert "not valid JSON" in row(graded, "malformed-not-json.ipynb")["message"]
    assert "not a Jupyter notebook" in row(graded, "malformed-json-object.ipynb")["message"]
    assert "MB" in row(graded, "malformed-too-large.ipynb")["message"]


def test_old_and_slightly_invalid_notebooks_are_still_graded(graded):
    assert_full_marks(graded, "format-v3")
    assert_full_marks(graded, "format-lenient")
    assert_full_marks(graded, "student-folder/04_time_to_code.ipynb")
    r = row(graded, "format-no-code-cells")
    assert r["status"] == "graded" and {t["extra_data"]["result"] for t in r["tests"]} == {"not attempted"}


# -- what is written --------------------------------------------------------------------------------------
def test_results_json_shape(graded):
    for submission in graded["results"]["submissions"]:
        assert {"submission", "score", "max_score", "status", "tests"} <= set(submission)
        assert submission["status"] in {"graded", "not a notebook", "timed out", "crashed", "interfered"}
        assert [t["name"] for t in submission["tests"]] == NOTEBOOK_04.names()
        for test in submission["tests"]:
            assert {"name", "score", "max_score", "status", "output"} <= set(test)
            assert test["status"] in {"passed", "failed"} and test["max_score"] == 1.0
            assert test["score"] == (1.0 if test["status"] == "passed" else 0.0)
            assert isinstance(test["output"], str) and 0 < len(test["output"]) <= 2000
        assert submission["score"] == sum(t["score"] for t in submission["tests"])


def test_grades_csv_has_a_row_per_submission(graded):
    with open(graded["out"] / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = NOTEBOOK_04.names()
    assert list(rows[0])[: len(names) + 7] == [
        "submission",
        "learner",
        "assignment",
        *names,
        "total",
        "max_score",
        "status",
        "late",
    ]
    assert {r["submission"] for r in rows} == set(graded["rows"])
    for r in rows:
        assert float(r["total"]) == sum(float(r[name]) for name in names)
        assert r["status"] == graded["rows"][r["submission"]]["status"]


def test_feedback_files_for_every_submission(graded):
    files = list((graded["out"] / "feedback").iterdir())
    assert len(files) == len(graded["rows"])
    text = (graded["out"] / row(graded, "wrong-shape_swapped-tf_variable")["feedback"]).read_text()
    assert text.startswith("# Feedback on `wrong-shape_swapped-tf_variable.ipynb`")
    assert "## get_initializer: 0 / 1" in text and "## forward: 0 / 1" in text
    assert (graded["out"] / "feedback" / "student-folder__04_time_to_code.md").exists()


def test_grading_the_class_took_reasonable_time(graded):
    # Not a benchmark (that is `make bench`): a guard against a grader that restarts TensorFlow per file.
    assert graded["seconds"] < 240, graded["seconds"]


def test_notebooks_handed_in_without_outputs_carry_no_attempt_record_and_are_graded_as_ever(graded):
    assert all(row.get("record") is None for row in graded["results"]["submissions"])  # "no record"
    with open(graded["out"] / "attempts.csv", newline="") as handle:
        assert {row["EventType"] for row in csv.DictReader(handle)} == {"Submit"}  # only the grades
