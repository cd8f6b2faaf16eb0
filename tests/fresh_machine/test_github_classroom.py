"""Issue 18's GitHub Classroom check: the template repositories `make release TEMPLATE=github` writes,
graded as GitHub would run their workflow, on the fresh Debian 12 root standing in for ubuntu-latest.

Every step is read from the template's own .github/workflows/classroom.yml:
- `actions/checkout`: the unzipped template is the workspace, /home/learner/work/<repository>;
- `actions/setup-python` ("3.11"): a venv of Debian's CPython 3.11 put first on PATH, where the runner's
  tool cache would be;
- each `run:` step as the runner runs it: `bash --noprofile --norc -eo pipefail`, as the ordinary user
  the job runs as, who (like GitHub's `runner`) may use sudo: the only thing the harness adds to the
  root is Debian's sudo, which every GitHub runner has. apt is Debian's, so the step's apt-get must
  work there too. pip downloads through a cache kept in build/fresh-machine/caches/;
- each `classroom-resources/autograding-command-grader` step as that action does (its src/main.js):
  `setup-command`, then `command`, through /bin/sh, with only PATH, HOME, FORCE_COLOR, DOTNET_CLI_HOME
  and DOTNET_NOLOGO in the environment, killed after `timeout` minutes; exit 0 earns `max-score`
  (read with parseInt), anything else 0;
- `classroom-resources/autograding-grading-reporter`: the points of the steps its `runners` names,
  each found by its id, added up.
A correct notebook earns every step's points; a wrong `forward` fails that step alone.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import grade_submissions as gs
import pytest
import yaml
from debian_root import LEARNER, REPO, Machine, booted, cache_folder

import checks
from grader.course import classroom

pytestmark = pytest.mark.fresh_machine

HOME = f"/home/{LEARNER}"
TOOL_CACHE = "/opt/hostedtoolcache/Python/3.11/x64"  # where setup-python puts CPython on GitHub's runners
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
SETUP_TIMEOUT = 30 * 60


def assert_ran(result):
    if result.returncode != 0:
        pytest.fail(result.tail(), pytrace=False)


def steps(template: Path) -> list[dict]:
    workflow = yaml.safe_load((template / ".github" / "workflows" / "classroom.yml").read_text())
    [job] = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    return job["steps"]


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    """assignment -> the unzipped template repository, as `make release TEMPLATE=github` wrote it."""
    out = tmp_path_factory.mktemp("release")
    built = subprocess.run(
        [sys.executable, "-m", "tools.release", "learners", "--out", str(out), "--template", "github"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    found = {}
    for assignment in classroom.load().course().assignments():
        [zipped] = out.glob(f"*-github-{assignment}.zip")
        with zipfile.ZipFile(zipped) as archive:
            archive.extractall(out / "unzipped")
        found[assignment] = out / "unzipped" / zipped.stem
    return found


@pytest.fixture(scope="module")
def runner(debian_root, templates, timings):
    """The machine once every template's setup steps have run: a runner with the grader installed."""
    first = next(iter(templates.values()))
    setup = [s for s in steps(first) if "run" in s]
    for template in templates.values():  # the templates differ only in their grading steps
        assert [s for s in steps(template) if "run" in s] == setup
    with Machine(debian_root) as machine:
        # The runner image: Debian's sudo for the job's user; setup-python's CPython 3.11 first on PATH.
        python = next(s for s in steps(first) if s.get("uses", "").startswith("actions/setup-python@"))
        assert python["with"]["python-version"] == "3.11"
        assert_ran(
            machine.run(
                "apt-get update -q && apt-get install -y -q --no-install-recommends sudo\n"
                f"echo '{LEARNER} ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/runner\n"
                f"python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)'\n"
                f"python3 -m venv {TOOL_CACHE} && chown -R {LEARNER}: /opt/hostedtoolcache"
            )
        )
        # Nothing the workflow installs is there before it runs.
        assert_ran(machine.run(f"! command -v bwrap && ! {TOOL_CACHE}/bin/python -c 'import tensorflow'"))
        machine.copy_in(first, f"{HOME}/work/setup", owner=LEARNER)
        for step in setup:
            result = run_step(machine, step["run"], f"{HOME}/work/setup")
            timings.append((f"GitHub Classroom workflow: {step['name']}", result.seconds))
            assert_ran(result)
        yield machine


def run_step(machine: Machine, script: str, workspace: str):
    """A `run:` step, as GitHub's runner runs it on Linux."""
    env = {
        "PATH": f"{TOOL_CACHE}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": workspace,
        "pythonLocation": TOOL_CACHE,
    }
    return machine.run(
        f"exec bash --noprofile --norc -eo pipefail -c {shlex.quote(script)}",
        user=LEARNER,
        cwd=workspace,
        env=env,
        binds=booted(machine.folder),
        writable={cache_folder("pip-learner", owner=LEARNER): f"{HOME}/.cache/pip"},
        timeout=SETUP_TIMEOUT,
    )


def command_grader(machine: Machine, step: dict, workspace: str, timings: list, actor: str) -> tuple[int, str]:
    """One autograding step as classroom-resources/autograding-command-grader runs it: its points
    (all of max-score on exit 0, else none) and what it printed. ``actor``: who pushed, as GitHub puts
    ``${{ github.actor }}`` into the step's inputs before the action reads them."""
    given = {key: str(value).replace("${{ github.actor }}", actor) for key, value in step["with"].items()}
    env = {
        "PATH": f"{TOOL_CACHE}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "FORCE_COLOR": "true",
        "DOTNET_CLI_HOME": "/tmp",
        "DOTNET_NOLOGO": "true",
        "HOME": HOME,
    }
    script = "\n".join(f"/bin/sh -c {shlex.quote(c)}" for c in (given.get("setup-command"), given["command"]) if c)
    result = machine.run(
        f"exec env -i {' '.join(f'{k}={v}' for k, v in env.items())} /bin/sh -c {shlex.quote(script)}",
        user=LEARNER,
        cwd=workspace,
        binds=booted(machine.folder),
        timeout=float(given.get("timeout", 10)) * 60,
    )
    timings.append((f"GitHub Classroom step {step['name']} (exit {result.returncode})", result.seconds))
    return (int(given["max-score"]) if result.returncode == 0 else 0), result.output


def grade(
    machine: Machine, template: Path, notebooks: dict[str, dict], tmp_path: Path, timings, actor: str = "octo-learner"
) -> dict:
    """The learner's repository (the template with `notebooks` committed, pushed by ``actor``) graded by
    every step of its workflow: step name -> (points, max-score, output); and the reporter's total."""
    repository = tmp_path / actor / template.name
    repository.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(template), str(repository)], check=True)
    for name, notebook in notebooks.items():
        (repository / "notebooks" / f"{name}.ipynb").write_text(json.dumps(notebook))
    workspace = f"{HOME}/work/{template.name}"
    machine.run(f"rm -rf {workspace}", check=True)
    machine.copy_in(repository, workspace, owner=LEARNER)
    graded, results = {}, {}
    for step in steps(template):
        if step.get("uses") == COMMAND_GRADER:
            points, output = command_grader(machine, step, workspace, timings, actor)
            graded[step["name"]] = (points, int(step["with"]["max-score"]), output)
            results[step["id"]] = points
    reporter = steps(template)[-1]
    assert reporter["uses"] == REPORTER
    runners = reporter["with"]["runners"].split(",")
    assert sorted(runners) == sorted(results)
    assert all(reporter["env"][f"{r.upper()}_RESULTS"] == f"${{{{steps.{r}.outputs.result}}}}" for r in runners)
    graded["total"] = sum(results[r] for r in runners)
    return graded


def test_a_correct_notebook_earns_every_steps_points(runner, templates, tmp_path, timings):
    course = classroom.load().course()
    for assignment, template in templates.items():
        notebooks = {ex.notebook: gs.solved_learner_copy(ex.notebook) for ex in course.assignments()[assignment]}
        graded = grade(runner, template, notebooks, tmp_path, timings)
        names = [ex.name for ex in course.assignments()[assignment]]
        assert sorted(n for n in graded if n != "total") == sorted(names)
        for name in names:
            points, max_score, output = graded[name]
            assert points == max_score == int(course.by_name()[name].points), output[-3000:]
            assert "Correct" in output, output[-3000:]  # the step printed the learner's feedback
        assert graded["total"] == sum(int(course.by_name()[n].points) for n in names)


def test_a_wrong_forward_fails_that_step_alone(runner, templates, tmp_path, timings):
    course = classroom.load().course()
    notebook = checks.forward.notebook
    [(assignment, template)] = [
        (a, t) for a, t in templates.items() if "forward" in [ex.name for ex in course.assignments()[a]]
    ]
    notebooks = {
        ex.notebook: gs.solved_learner_copy(ex.notebook, replace={"forward": gs.WRONG_FORWARD})
        if ex.notebook == notebook
        else gs.solved_learner_copy(ex.notebook)
        for ex in course.assignments()[assignment]
    }
    graded = grade(runner, template, notebooks, tmp_path, timings)
    assert graded["forward"][0] == 0, graded["forward"][2][-3000:]
    assert "Incorrect" in graded["forward"][2]  # its feedback names the mistake
    others = [name for name in graded if name not in ("forward", "total")]
    assert others and all(graded[name][0] == graded[name][1] for name in others), graded
    assert graded["total"] == sum(graded[name][1] for name in others)


# -- variants: each learner's own task, the pusher's GitHub username deciding which ---------------------
SALT = "github term"


@pytest.fixture(scope="module")
def variant_template(tmp_path_factory) -> Path:
    """Notebook 5's template of a class that hands out variants."""
    from check_harness import classroom_with_variants

    out = tmp_path_factory.mktemp("variants-release")
    (out / "classroom.toml").write_text(
        classroom_with_variants(SALT, '[variants.moved]\n"octo-zed" = { nearest_neighbours = "cosine" }\n')
    )
    built = subprocess.run(
        [sys.executable, "-m", "tools.release", "--classroom", str(out / "classroom.toml"), "learners"]
        + ["--out", str(out / "release"), "--template", "github"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [zipped] = (out / "release").glob("*-github-05_training.zip")
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(out / "unzipped")
    return out / "unzipped" / zipped.stem


def test_with_variants_each_pusher_is_graded_on_their_own_task(runner, variant_template, tmp_path, timings):
    from checks import registry
    from checks.allocation import from_table
    from checks.variation import families

    room = from_table({"enabled": True, "salt": SALT}, families())
    users = [f"octo-{n}" for n in range(100)]
    ada = next(u for u in users if room.variant_of(u, "nearest_neighbours") == "euclidean")
    bob = next(u for u in users if room.variant_of(u, "nearest_neighbours") == "dot-product")
    euclidean = registry.VARIANTS["nearest_neighbours"]["euclidean"]
    notebook = {
        "05_training": gs.solved_learner_copy("05_training", replace={"nearest_neighbours": euclidean.solution_code})
    }
    assert "octo-zed" not in (variant_template / "classroom.toml").read_text()  # a moved learner is named nowhere
    own = grade(runner, variant_template, notebook, tmp_path, timings, actor=ada)
    assert own["nearest_neighbours"][0] == own["nearest_neighbours"][1], own["nearest_neighbours"][2][-3000:]
    copied = grade(runner, variant_template, notebook, tmp_path, timings, actor=bob)  # ada's notebook, bob's push
    points, _, output = copied["nearest_neighbours"]
    assert points == 0 and 'the task "euclidean"' in output and 'your task is "dot-product"' in output, output[-3000:]
    moved = grade(runner, variant_template, notebook, tmp_path, timings, actor="octo-zed")  # moved to cosine
    assert moved["nearest_neighbours"][0] == 0 and 'your task is "cosine"' in moved["nearest_neighbours"][2]
