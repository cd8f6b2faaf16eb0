"""Grading in shards on an existing engine (``--shard i/N``, ``grader.commands.merge``; issue 26): the
Kubernetes Indexed Job and the GitHub Actions matrix that docs/instructors.md gives, run as their engines
start them (one process per index, each with the variable its engine sets, the commands read from the
guide), merged as the guide says, and compared file by file with one run over the same class."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grade_submissions as gs
import nbformat
import pytest
import yaml

from grader.commands import merge

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "instructors.md"
pytestmark = pytest.mark.slow  # runs the grader many times: not in make test-fast

#: Engines' paths in the guide's commands, and where this test puts them.
SUBMISSIONS, GRADES, SECRET = "/class/submissions", "/class/grades", "/secret/grade-secret"


def section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## Grading beyond one machine: shards")
    return text[start : text.index("\n## ", start + 1)]


def documents() -> list[dict]:
    """Every YAML document the section shows."""
    return [doc for block in re.findall(r"```yaml\n(.*?)```", section(), re.S) for doc in yaml.safe_load_all(block)]


def the_class(folder: Path) -> None:
    """Seven learners, four notebooks, with what a class holds: several notebooks a learner, a second
    upload, a PDF, a file that is no notebook, one that is none of the course's, and a wrong answer."""
    solved = {name: json.dumps(gs.solved_learner_copy(name)) for name in ("02_initializers", "03_embedding_lookup")}
    files = {
        "adaokafor_4101_9001_02_initializers.ipynb": solved["02_initializers"],
        "adaokafor_4101_9002_04_time_to_code.ipynb": gs.submission(),
        "benlee_4102_9003_04_time_to_code.ipynb": gs.submission(embedding_model=gs.WRONG_FORWARD),
        "benlee_4102_9013_04_time_to_code-1.ipynb": gs.submission(),  # his second upload
        "carladiaz_4103_9004_03_embedding_lookup.ipynb": solved["03_embedding_lookup"],
        "carladiaz_4103_9005_02_initializers.pdf": "%PDF-1.4 not a notebook",
        "dan/04_time_to_code.ipynb": gs.skeleton_submission(),
        "dan/notes.ipynb": nbformat.writes(gs.notebook([("print('my own notes')", ())])),
        "eve/02_initializers.ipynb": "{ not json",
        "fay.ipynb": solved["03_embedding_lookup"],
        "gus_4107_9009_04_time_to_code.ipynb": gs.submission(get_initializer=gs.get_initializer_def("return None")),
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """The class and its secret, and the OUT of one run over all of it."""
    base = tmp_path_factory.mktemp("shards")
    (base / "class").mkdir()
    the_class(base / "class")
    (base / "secret").write_text("a secret for the shard test\n")
    single = base / "single"
    engine(["python", "-m", "grader", str(base / "class"), "--out", str(single), "--secret-file", str(base / "secret")])
    engine(["python", "-m", "grader.commands.report", str(single)])
    return {"base": base, "single": single}


def environment(**more: str) -> dict:
    """What the engine's container has: the grader's Python first on PATH, as `python`."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **more}


def engine(argv: list[str], cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, cwd=cwd, env=environment(**env), capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"{argv}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def at_once(commands: list[tuple[list[str], Path, dict]]) -> None:
    """Start every command at once, as an engine starts its pods or jobs, and wait for them all."""
    started = [
        (argv, subprocess.Popen(argv, cwd=cwd, env=environment(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        for argv, cwd, env in commands
    ]
    for argv, process in started:
        out, err = process.communicate(timeout=1800)
        assert process.returncode == 0, f"{argv}\n{out.decode()[-2000:]}\n{err.decode()[-3000:]}"


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of an OUT that one run writes, with the time each submission took (and the report's
    time of writing) left out: all that may differ between a run and its shards merged."""
    found = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or name.startswith(f"{merge.PARTS}/"):
            continue
        data = path.read_bytes()
        if name == "results.json":
            document = json.loads(data)
            for row in document["submissions"]:
                row["seconds"] = None
            data = json.dumps(document, indent=1).encode()
        elif name == "report.html":
            data = re.sub(rb"written \d{4}-\d\d-\d\d \d\d:\d\d UTC", b"written (time)", data)
        found[name] = data
    return found


def same_as_one_run(merged: Path, single: Path) -> None:
    ours, theirs = outputs(merged), outputs(single)
    rows = json.loads(theirs["results.json"])["submissions"]
    assert len(rows) == 10 and len([name for name in theirs if name.startswith("feedback/")]) == 10
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], f"{name} differs from one run's"


def test_the_kubernetes_indexed_job_graded_in_parts_and_merged_is_one_run(graded):
    base = graded["base"]
    jobs = [doc for doc in documents() if doc.get("kind") == "Job"]
    indexed = next(job for job in jobs if job["spec"].get("completionMode") == "Indexed")
    merging = next(job for job in jobs if job is not indexed)
    count = indexed["spec"]["completions"]
    assert count == indexed["spec"]["parallelism"] == 3
    (container,) = indexed["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["sh", "-c"] and f"/{count}" in container["args"][0]
    grades = base / "k8s"

    def here(script: str) -> str:
        return (
            script.replace(SUBMISSIONS, str(base / "class"))
            .replace(GRADES, str(grades))
            .replace(SECRET, str(base / "secret"))
        )

    # one pod per index, each with its index in JOB_COMPLETION_INDEX, in the image's WORKDIR (/course)
    at_once([(["sh", "-c", here(container["args"][0])], ROOT, {"JOB_COMPLETION_INDEX": str(i)}) for i in range(count)])
    parts = sorted((grades / merge.PARTS).iterdir())
    assert [part.name for part in parts] == [f"{i}-of-{count}" for i in range(count)]
    sizes = [len(json.loads((part / "results.json").read_text())["submissions"]) for part in parts]
    assert sum(sizes) == 10 and min(sizes) > 0, sizes  # every part graded some of the class
    (merger,) = merging["spec"]["template"]["spec"]["containers"]
    engine(["sh", "-c", here(merger["args"][0])])
    same_as_one_run(grades, graded["single"])


def test_the_github_actions_matrix_graded_in_parts_and_merged_is_one_run(graded):
    base = graded["base"]
    workflow = next(doc for doc in documents() if "jobs" in doc)
    grading, merging = workflow["jobs"]["grade"], workflow["jobs"]["merge"]
    shards = grading["strategy"]["matrix"]["shard"]
    assert shards == list(range(len(shards))) and merging["needs"] == "grade"
    step = next(s for s in grading["steps"] if s.get("name") == "Grade")
    assert step["env"] == {"GRADE_SECRET": "${{ secrets.GRADE_SECRET }}"}
    secret = (base / "secret").read_text().strip()
    jobs = []
    for shard in shards:  # each matrix job on a runner of its own: a checkout with the submissions in it
        workspace = base / f"runner-{shard}"
        shutil.copytree(base / "class", workspace / "submissions")
        script = step["run"].replace("${{ matrix.shard }}", str(shard))
        script = script.replace("${{ strategy.job-total }}", str(len(shards)))
        jobs.append((["bash", "-eo", "pipefail", "-c", script], workspace, {"GRADE_SECRET": secret}))
    at_once(jobs)
    # the merge job: every part-* artifact downloaded into grades/parts, merged in one folder
    upload = next(s for s in grading["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    download = next(s for s in merging["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert upload["with"]["path"] == "parts/" and download["with"]["merge-multiple"] is True
    workspace = base / "runner-merge"
    for shard in shards:
        shutil.copytree(base / f"runner-{shard}" / "parts", workspace / download["with"]["path"], dirs_exist_ok=True)
    merged = next(s for s in merging["steps"] if s.get("name") == "Merge")
    engine(["bash", "-eo", "pipefail", "-c", merged["run"]], cwd=workspace)
    same_as_one_run(workspace / "grades", graded["single"])


def test_the_merge_refuses_parts_that_are_not_every_part_of_one_class(graded, tmp_path):
    base = graded["base"]
    parts = sorted((base / "k8s" / merge.PARTS).iterdir()) if (base / "k8s").exists() else []
    if len(parts) < 3:
        pytest.skip("the Kubernetes test's parts are not there (it failed or did not run)")

    def merged(*folders: Path) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "grader.commands.merge", str(tmp_path / "out"), *map(str, folders)]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)

    missing = merged(parts[0], parts[2])
    assert missing.returncode == 2 and missing.stderr.strip() == "Nothing merged: shard 1/3 is missing."
    twice = merged(parts[0], parts[1], parts[1], parts[2])
    assert twice.returncode == 2 and "shard 1/3 is given twice" in twice.stderr
    assert merged(graded["single"]).stderr.startswith("Nothing merged: ")  # one run's OUT is no part
    assert not (tmp_path / "out" / "results.json").exists()


def test_the_image_installs_what_the_course_has_and_the_guide_shows_the_containerfile():
    guide = re.search(r"```dockerfile\n(.*?)```", section(), re.S)[1]
    assert (ROOT / "docs" / "Containerfile").read_text() == guide
    for named in re.findall(r"-r (\S+) -c (\S+)", guide)[0]:
        assert (ROOT / named).is_file(), named
