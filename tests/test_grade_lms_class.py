"""A Canvas class graded as an instructor grades it (issue 26): each notebook's download graded into one
OUT with NOTEBOOK= (``--handed-in-to``) and the LMS's file filled from it, with what a real class holds:
a notebook put into another notebook's assignment, a PDF, a learner's second upload, and a fixed
notebook a learner emailed, graded under the instructor's own file name with ``--learner``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import grade_submissions as gs
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # runs the grader: not in make test-fast

ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section,Creating variables (1201),Initializers (1202),\
Embedding lookup (1203),Time to code (1204),Training (1205),Current Points,Final Points
    Points Possible,,,,,10.00,10.00,10.00,10.00,10.00,(read only),(read only)
"Doe, Jane",4101,s1,jdoe,A,,,,,,,
"O'Brien, Sean",4102,s2,sobrien,A,,,,,,,
"Lee, Kim",4103,s3,klee,A,,,,,,,
"Smith, Al",4104,s4,asmith,A,,,,,,,
"""
JANE_FIRST, JANE = "doejane_4101_9001_02_initializers.ipynb", "doejane_4101_9011_02_initializers-1.ipynb"
SEAN, KIM = "obriensean_4102_9002_02_initializers.ipynb", "leekim_4103_9003_03_embedding_lookup.ipynb"
AL = "smithal_4104_9004_02_initializers.pdf"


def run(*command: str) -> subprocess.CompletedProcess:
    completed = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
    return completed


def solved(notebook: str) -> str:
    return json.dumps(gs.solved_learner_copy(notebook))


def as_shipped(notebook: str) -> str:
    return (ROOT / "notebooks" / f"{notebook}.ipynb").read_text()


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """Each download graded into one OUT, the LMS's file filled for each, then Sean's emailed fix."""
    base = tmp_path_factory.mktemp("class")
    downloads = {
        "02_initializers": {
            JANE_FIRST: as_shipped("02_initializers"),  # her first upload, then a second, later one
            JANE: solved("02_initializers"),
            SEAN: as_shipped("02_initializers"),  # nothing attempted yet
            KIM: solved("03_embedding_lookup"),  # notebook 03, put into notebook 02's assignment
            AL: "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        },
        "03_embedding_lookup": {
            "doejane_4101_9101_03_embedding_lookup.ipynb": solved("03_embedding_lookup"),
            "obriensean_4102_9102_03_embedding_lookup.ipynb": solved("03_embedding_lookup"),
        },
    }
    (base / "gradebook.csv").write_text(ROSTER)
    out, printed = base / "out", {}
    for notebook, files in downloads.items():
        folder = base / notebook
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="latin-1" if name.endswith(".pdf") else "utf-8")
        printed[notebook] = run("grader", str(folder), "--out", str(out), "--handed-in-to", notebook).stdout
        column = {"02_initializers": "Initializers (1202)", "03_embedding_lookup": "1203"}[notebook]
        printed[f"lms {notebook}"] = lms(base, out, column, notebook)
    results = json.loads((out / "results.json").read_text())["submissions"]
    before = {row["submission"]: row for row in results}
    # Sean emails a fixed notebook 02: the instructor saves it as fixed-sean.ipynb and says whose it is
    (base / "emailed").mkdir()
    (base / "emailed" / "fixed-sean.ipynb").write_text(solved("02_initializers"))
    printed["emailed"] = run(
        "grader", str(base / "emailed" / "fixed-sean.ipynb"), "--out", str(out), "--learner", "canvas:4102"
    ).stdout
    printed["lms after"] = lms(base, out, "1202", "02_initializers", into=base / "after")
    return {"base": base, "out": out, "printed": printed, "before": before}


def lms(base: Path, out: Path, column: str, notebook: str, into: Path | None = None) -> str:
    into = into or out
    return run(
        "grader.commands.lms",
        str(base / "gradebook.csv"),
        "--results",
        str(out / "results.json"),
        "--out",
        str(into),
        "--assignment",
        column,
        "--notebook",
        notebook,
    ).stdout


def column(path: Path) -> dict:
    """Learner id -> the grade in the one assignment column the import file holds."""
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return {row[1]: row[-1] for row in table[2:]}


def feedback_zip(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name.split("_")[1]: archive.read(name) for name in archive.namelist()}


def test_a_notebook_handed_in_to_another_notebooks_assignment_is_graded_as_what_it_is_and_said_so(graded):
    kim = graded["before"][KIM]
    assert (kim["assignment"], kim["handed_in_to"], kim["score"]) == ("03_embedding_lookup", "02_initializers", 1.0)
    assert (
        f"Handed in to another notebook's assignment (1), each graded as the notebook it is: {KIM} is "
        "03_embedding_lookup (handed in to 02_initializers;" in graded["printed"]["02_initializers"]
    )
    note = "**Handed in to another assignment.** This file was handed in to the assignment for `02_initializers`"
    assert note in (graded["out"] / kim["feedback"]).read_text()
    # notebook 02's column: no grade for Kim, and feedback on her upload there saying what to hand in
    out = graded["out"]
    assert column(out / "canvas-import-02_initializers.csv")["4103"] == ""
    assert (
        "Lee, Kim (ID 4103) handed in 03_embedding_lookup to this assignment "
        f"({KIM}): no grade here" in graded["printed"]["lms 02_initializers"]
    )
    kims = nbformat.reads(feedback_zip(out / "canvas-feedback-02_initializers.zip")["4103"].decode(), as_version=4)
    assert note in kims.cells[0].source and "Hand in `02_initializers.ipynb`" in kims.cells[0].source
    assert "**Score as 03_embedding_lookup: 1 / 1**" in kims.cells[0].source
    # notebook 03's column: her 03 is graded, said to come from 02's assignment, its feedback not sent twice
    assert column(out / "canvas-import-03_embedding_lookup.csv")["4103"] == "10"
    said = graded["printed"]["lms 03_embedding_lookup"]
    assert f"Lee, Kim (ID 4103): the copy graded here ({KIM}) was handed in to 02_initializers's assignment" in said
    assert "4103" not in feedback_zip(out / "canvas-feedback-03_embedding_lookup.zip")


def test_each_notebooks_lms_files_sit_side_by_side_in_one_out(graded):
    out = graded["out"]
    for notebook in ("02_initializers", "03_embedding_lookup"):
        for name in ("canvas-import-{}.csv", "canvas-feedback-{}.zip", "canvas-import-summary-{}.txt"):
            assert (out / name.format(notebook)).is_file(), name.format(notebook)
    assert not (out / "canvas-import.csv").exists()
    assert column(out / "canvas-import-02_initializers.csv") == {"4101": "10", "4102": "0", "4103": "", "4104": "0"}
    assert column(out / "canvas-import-03_embedding_lookup.csv") == {
        "4101": "10",
        "4102": "10",
        "4103": "10",
        "4104": "",
    }
    summary = (out / "canvas-import-summary-02_initializers.txt").read_text()
    assert summary.startswith("Canvas gradebook for 'Initializers (1202)'")


def test_a_pdf_gets_feedback_that_says_to_hand_in_the_notebook(graded):
    row = graded["before"][AL]
    advice = "This is a PDF, not the notebook. Hand in the notebook file itself, 02_initializers.ipynb"
    assert row["status"] == "not a notebook" and advice in row["message"]
    assert advice in (graded["out"] / row["feedback"]).read_text()
    # on Canvas it is shown under the name of the file handed in, so it is a PDF
    document = feedback_zip(graded["out"] / "canvas-feedback-02_initializers.zip")["4104"]
    assert document.startswith(b"%PDF-1.4") and b"This is a PDF, not the notebook." in document
    assert "No feedback file for Smith, Al" not in graded["printed"]["lms 02_initializers"]


def test_the_lms_summary_names_a_learner_who_handed_in_several_files(graded):
    assert graded["before"][JANE]["set_aside"] == [JANE_FIRST]
    assert (
        f"2 submissions from Doe, Jane (ID 4101): used {JANE}, set aside {JANE_FIRST}."
        in (graded["printed"]["lms 02_initializers"])
    )


def test_an_emailed_notebook_graded_with_learner_replaces_that_learners_row(graded):
    rows = json.loads((graded["out"] / "results.json").read_text())["submissions"]
    seans = [row for row in rows if row["learner"] == "canvas:4102" and row["assignment"] == "02_initializers"]
    assert [(row["submission"], row["score"]) for row in seans] == [("fixed-sean.ipynb", 1.0)]
    assert "kept" in graded["printed"]["emailed"] and not any(row["learner"].startswith("file:") for row in rows)
    after = graded["base"] / "after"
    assert column(after / "canvas-import-02_initializers.csv")["4102"] == "10"
    assert (
        "No feedback file for O'Brien, Sean (ID 4102): fixed-sean.ipynb was graded under a name of yours, which "
        "carries no Canvas attachment to attach it to: send them feedback/fixed-sean.md"
        in graded["printed"]["lms after"]
    )


def test_the_instructor_is_told_what_was_wrong_with_what_they_said(tmp_path):
    (tmp_path / "a.ipynb").write_text(as_shipped("02_initializers"))
    for option, value, words in (
        ("--handed-in-to", "02_initialisers", "--handed-in-to: no graded notebook 02_initialisers (there are 01_"),
        ("--learner", "4102", "--learner names a learner as grades.csv's learner column does"),
        ("--shard", "3/3", "--shard takes i/N, a part i from 0 to N-1 of N parts"),
    ):
        completed = subprocess.run(
            [sys.executable, "-m", "grader", str(tmp_path), "--out", str(tmp_path / "out"), option, value],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 2 and words in completed.stderr, completed.stderr
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
