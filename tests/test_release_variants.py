"""A release of a class that hands out variants (issue 24): no variant's solution in it, the notebooks
ask for the learner's id once, the learner's copy knows whose variant is whose and nothing more, and
the instructor keeps each variant's fingerprints, so that an edit after the release is named before
grading."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from check_harness import classroom_with_variants
from test_release import leaks, texts

from checks import fingerprints, registry
from checks.allocation import learner_digest
from grader.commands.grade import _variant_warnings
from grader.course import classroom

pytestmark = pytest.mark.slow  # builds a release, TensorFlow included: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
SALT = "autumn-2026"
MOVED = '[variants.moved]\n"12345" = { sentence_vectors = "maximum" }\n'
VARIANTS_ON = f'[variants]\nenabled = true\nsalt = "{SALT}"\n{MOVED}'


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants-release")
    toml = folder / "classroom.toml"
    toml.write_text(classroom_with_variants(SALT, MOVED))
    completed = subprocess.run(
        [sys.executable, "-m", "tools.release", "--classroom", str(toml), "learners", "--out", str(folder / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    [zip_path] = (folder / "out").glob("*.zip")
    return folder, zip_path, completed


def test_no_line_of_any_variant_s_solution_is_in_the_release(released):
    _, zip_path, _ = released
    files = texts(zip_path)
    assert leaks(files) == []
    for variant in registry.every_variant():
        module = files[type(variant).__module__.replace(".", "/") + ".py"]
        assert "solution_code = None  # withheld" in module
        for key, (what, code) in getattr(variant, "wrong_versions", {}).items():
            assert what[:50] in module and code.strip().splitlines()[-1].strip() not in module, key


def test_every_notebook_asks_for_the_id_once_and_the_readme_says_why(released):
    _, zip_path, _ = released
    files = texts(zip_path)
    for name in [n for n in files if n.endswith(".ipynb")]:
        sources = ["".join(cell["source"]) for cell in json.loads(files[name])["cells"] if cell["cell_type"] == "code"]
        asking = [s for s in sources if 'learner=""' in s]
        assert len(asking) == 1 and "prepare(seed=42, learner=" in asking[0], name
    assert "## Your own tasks" in files["README.md"] and "`count_words`" in files["README.md"]


def test_the_learners_copy_knows_whose_variant_is_whose_and_names_nobody(released):
    _, zip_path, _ = released
    record = json.loads(texts(zip_path)["checks/variants.json"])
    assert set(record) == {"release", "allocation"}  # the fingerprints stay the instructor's
    assert record["allocation"]["salt"] == SALT
    assert record["allocation"]["moved"] == {learner_digest(SALT, "12345"): {"sentence_vectors": "maximum"}}
    assert "12345" not in texts(zip_path)["checks/variants.json"]


def test_in_the_release_the_id_given_once_decides_the_tasks_of_every_notebook(released, tmp_path):
    _, zip_path, _ = released
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path)
    course = next(tmp_path.iterdir())
    script = """if True:
        import json, sys
        sys.path.insert(0, "..")
        from checks.environment import prepare
        prepare(seed=42, learner=sys.argv[1])
        import checks
        print(json.dumps({n: checks.EXERCISES[n].in_force().variant for n in checks.EXERCISES}))
        checks.sentence_vectors.solution()
    """

    def run(learner: str) -> list[str]:
        completed = subprocess.run(
            [sys.executable, "-c", script, learner],
            capture_output=True,
            text=True,
            cwd=course / "notebooks",
            timeout=300,
            env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.splitlines()

    out = run("12345")
    assert "The tasks shown are those of learner 12345." in out
    tasks = json.loads(next(line for line in out if line.startswith("{")))
    assert tasks["sentence_vectors"] == "maximum" and tasks["forward"] is None  # moved; the chapter's as it is
    assert any("has not been released" in line for line in out)
    again = run("")  # another notebook, its first cell left empty: the id is remembered
    assert any("as given in another notebook" in line for line in again)
    assert json.loads(next(line for line in again if line.startswith("{"))) == tasks


def test_the_instructor_keeps_each_variant_s_fingerprints_and_nothing_changed_yet(released):
    folder, _, completed = released
    kept = json.loads((folder / fingerprints.RELEASED_NAME).read_text())
    assert set(kept["variants"]) == {"count_words", "uniform_with_std", "sentence_vectors", "nearest_neighbours"}
    assert all(len(variants) >= 3 for variants in kept["variants"].values())
    room = classroom.load(folder / "classroom.toml")
    assert room.variant_changes() == [] and _variant_warnings(room) == []
    assert "Warning" not in completed.stderr.replace("Warning: opened outside", "")


def test_an_edit_of_a_variant_after_the_release_is_named_before_grading(released, monkeypatch):
    folder, _, _ = released
    room = classroom.load(folder / "classroom.toml")
    maximum = type(registry.VARIANTS["sentence_vectors"]["maximum"])
    monkeypatch.setattr(maximum, "statement", maximum.statement.replace("largest", "greatest"))
    presence = type(registry.VARIANTS["count_words"]["presence"])
    drawn = presence.draw_cases
    monkeypatch.setattr(presence, "public_cases", lambda self: drawn(self, __import__("numpy").random.default_rng(1)))
    since = f"since the release ({room.released}), "
    assert _variant_warnings(room) == [
        since + 'count_words, variant "presence": its public cases (the inputs the learners\' checks run) changed.',
        since + 'sentence_vectors, variant "maximum": its task\'s text changed.',
    ]


def test_a_new_salt_or_a_withdrawn_variant_is_named_too(released, tmp_path):
    folder, _, _ = released
    toml = tmp_path / "classroom.toml"
    (tmp_path / fingerprints.RELEASED_NAME).write_text((folder / fingerprints.RELEASED_NAME).read_text())
    toml.write_text(
        VARIANTS_ON.replace(SALT, "spring-2027") + '[variants.offered]\nnearest_neighbours = ["cosine", "euclidean"]\n'
    )
    changes = classroom.load(toml).variant_changes()
    assert re.search("salt .* not the one released", changes[0])
    assert changes[1] == 'nearest_neighbours no longer hands out "dot-product": its learners move to another variant'


def test_without_a_recorded_release_grading_says_it_cannot_tell(tmp_path):
    toml = tmp_path / "classroom.toml"
    toml.write_text(VARIANTS_ON)
    [warning] = _variant_warnings(classroom.load(toml))
    assert "no release of them is recorded" in warning
    assert _variant_warnings(classroom.load(ROOT / "classroom.toml")) == []  # variants off: nothing to say
