"""LMS gradebooks (grader/lms): Canvas and Moodle files filled from results.json, every mismatch reported."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.lms import RosterError, write_lms_gradebook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lms"
CANVAS = FIXTURES / "canvas_gradebook_export.csv"
MOODLE = FIXTURES / "moodle_grading_worksheet.csv"


def result(submission: str, passed: tuple = (True, True), status: str = "graded") -> dict:
    """One submission as results.json holds it (two exercises of 1 point each)."""
    tests = [{"name": name, "score": float(ok), "max_score": 1.0, "status": "passed" if ok else "failed",
              "output": "...", "output_format": "text", "visibility": "visible",
              "extra_data": {"result": "passed" if ok else "incorrect"}}
             for name, ok in zip(("get_initializer", "forward"), passed)]
    return {"submission": submission, "score": float(sum(passed)), "max_score": 2.0, "status": status,
            "message": "", "tests": tests}


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# -- Canvas ---------------------------------------------------------------------------------------------
CANVAS_RESULTS = [
    result("doejane_4101_99001_04_time_to_code.ipynb"),
    result("obriensean_LATE_4102_99002_04_time_to_code.ipynb", (True, False)),
    result("leemin_4103_99003_04_time_to_code.ipynb", (False, False)),
    result("leemin_4103_99010_04_time_to_code-1.ipynb", (True, True)),  # resubmitted: newer attachment
    result("stranger_4555_99004_04_time_to_code.ipynb"),
    result("notes.txt", (False, False), status="not a notebook"),
]


def test_canvas_file_has_the_identity_columns_and_only_the_chosen_assignment(tmp_path):
    summary = write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path, assignment="1202")
    table = rows(tmp_path / "canvas-import.csv")
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        "Time to code: the embedding matrix (1202)"]
    assert table[1] == ["    Points Possible", "", "", "", "", "10"]
    by_id = {row[1]: row for row in table[2:]}
    assert by_id["4101"] == ["Doe, Jane", "4101", "s1001", "jdoe", "ML 101 - A", "10"]
    assert by_id["4102"][-1] == "5"          # 1 of 2 exercises, scaled to the assignment's 10 points
    assert by_id["4103"][-1] == "10"         # the resubmission (newer attachment id) wins
    assert by_id["4104"][-1] == "" and by_id["4199"][-1] == ""  # no submission: left as it is
    assert [row[1] for row in table[2:]] == ["4101", "4102", "4103", "4104", "4199"]  # the export's order
    assert summary.points == 10 and summary.written == tmp_path / "canvas-import.csv"


def test_canvas_summary_names_every_unmatched_case(tmp_path):
    summary = write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path, assignment="Time to code: the embedding matrix")
    assert summary.no_submission == ["Okafor, Ada (ID 4104)", "Student, Test (ID 4199)"]
    assert [s for s, _ in summary.unmatched] == ["stranger_4555_99004_04_time_to_code.ipynb", "notes.txt"]
    assert "4555 is not on the roster" in summary.unmatched[0][1]
    assert summary.duplicates == [("Lee, Min (ID 4103)", "leemin_4103_99010_04_time_to_code-1.ipynb",
                                   ["leemin_4103_99003_04_time_to_code.ipynb"])]
    text = summary.text()
    for name in ("Okafor, Ada", "Student, Test", "stranger_4555", "notes.txt", "leemin_4103_99003"):
        assert name in text


def test_canvas_needs_the_assignment_named_when_the_export_has_several(tmp_path):
    with pytest.raises(RosterError, match=r"has 2 assignments .*ASSIGNMENT="):
        write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path)
    with pytest.raises(RosterError, match="no assignment 'Week 9'"):
        write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path, assignment="Week 9")


def test_canvas_not_graded_submission_scores_zero_and_is_reported(tmp_path):
    results = [result("doejane_4101_99001_04_time_to_code.ipynb", (False, False), status="timed out")]
    summary = write_lms_gradebook(CANVAS, results, tmp_path, assignment="1202")
    assert {row[1]: row[-1] for row in rows(tmp_path / "canvas-import.csv")[2:]}["4101"] == "0"
    assert summary.not_graded == [("Doe, Jane (ID 4101)", "doejane_4101_99001_04_time_to_code.ipynb", "timed out")]


def test_canvas_a_notebook_beats_another_file_of_the_same_learner(tmp_path):
    results = [result("doejane_4101_99001_04_time_to_code.ipynb"),
               result("doejane_4101_99007_screenshot.png", (False, False), status="not a notebook")]
    summary = write_lms_gradebook(CANVAS, results, tmp_path, assignment="1202")
    assert summary.duplicates[0][1] == "doejane_4101_99001_04_time_to_code.ipynb"


# -- Moodle ---------------------------------------------------------------------------------------------
MOODLE_RESULTS = [
    result("Jane Doe_2301514_assignsubmission_file_/04_time_to_code.ipynb"),
    result("Seán O'Brien_2301515_assignsubmission_file_/04_time_to_code.ipynb", (False, True)),
    result("Seán O'Brien_2301515_assignsubmission_file_/04_time_to_code (1).ipynb", (True, True)),
    result("Min Lee_2301516_assignsubmission_file_/04_time_to_code.ipynb", (True, False)),
    result("Someone Else_2309999_assignsubmission_file_/04_time_to_code.ipynb"),
]


def test_moodle_worksheet_comes_back_with_grades_and_feedback_filled(tmp_path):
    summary = write_lms_gradebook(MOODLE, MOODLE_RESULTS, tmp_path)
    before, after = rows(MOODLE), rows(tmp_path / "moodle-import.csv")
    assert after[0] == before[0] and len(after) == len(before)
    grade, feedback = before[0].index("Grade"), before[0].index("Feedback comments")
    by_id = {row[0]: row for row in after[1:]}
    assert by_id["Participant 2301514"][grade] == "10.00"
    assert by_id["Participant 2301515"][grade] == "10.00"   # the last by name of two files
    assert by_id["Participant 2301516"][grade] == "5.00"
    assert by_id["Participant 2301517"][grade] == ""        # no submission: unchanged by the upload
    assert by_id["Participant 2301514"][feedback] == ("Score 2/2. get_initializer: passed (1/1); "
                                                      "forward: passed (1/1).")
    assert by_id["Participant 2301516"][feedback] == "Graded by hand: see my notes."  # the teacher's, kept
    for old, new in zip(before[1:], after[1:]):  # every other column as Moodle wrote it
        assert [c for i, c in enumerate(old) if i not in (grade, feedback)] == \
               [c for i, c in enumerate(new) if i not in (grade, feedback)]
    assert summary.points == 10
    assert summary.no_submission == ["Ada Okafor (Participant 2301517)"]
    assert summary.unmatched[0][0].startswith("Someone Else_2309999")
    assert summary.duplicates[0][0] == "Seán O'Brien (Participant 2301515)"
    text = summary.text()
    assert "Min Lee" in text and "Grade can be changed" in text and "already written" in text


def test_moodle_flat_download_without_folders_matches_too(tmp_path):
    results = [result("Jane Doe_2301514_assignsubmission_file_04_time_to_code.ipynb", (True, False))]
    write_lms_gradebook(MOODLE, results, tmp_path)
    assert rows(tmp_path / "moodle-import.csv")[1][4] == "5.00"


def test_moodle_decimal_comma_is_kept(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(MOODLE.read_text(encoding="utf-8-sig").replace(",10.00,", ',"10,00",'), encoding="utf-8")
    write_lms_gradebook(sheet, MOODLE_RESULTS[:1], tmp_path / "out")
    assert rows(tmp_path / "out" / "moodle-import.csv")[1][4] == "10,00"


# -- files that cannot be used: one sentence, nothing written ------------------------------------------
@pytest.mark.parametrize("content, message", [
    ("", "is empty"),
    ("name,score\nJane,3\n", "neither a Canvas gradebook export .* nor a Moodle grading worksheet"),
    ("Student,ID,Section,Quiz (12)\n\"Doe, Jane\",4101,A,\n", "no 'Points Possible' row"),
    ("Student,ID,Section,Total\n", "no assignment column"),
    ("Student,ID,Quiz (12)\n    Points Possible,,\n\"Doe, Jane\",4101,\n", "gives no points for 'Quiz \\(12\\)'"),
    ("Student,ID,Quiz (12)\n    Points Possible,,5\n\"Doe, Jane\",jdoe,\n", "Row 3 .* has ID 'jdoe', not a Canvas"),
    ("Identifier,Full name,Grade\n", "no 'Maximum grade' or 'Last modified \\(grade\\)' column"),
    ("Identifier,Full name,Grade,Maximum grade,Last modified (grade)\nJane,Jane Doe,,10.00,-\n",
     "Row 2 .* has Identifier 'Jane', not 'Participant N'"),
    ("Identifier,Full name,Grade,Maximum grade,Last modified (grade)\nParticipant 1,A,,,-\n", "no single maximum grade"),
])
def test_a_malformed_roster_gets_one_sentence(tmp_path, content, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(content, encoding="utf-8")
    with pytest.raises(RosterError, match=message) as raised:
        write_lms_gradebook(roster, CANVAS_RESULTS, tmp_path / "out")
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_a_roster_in_another_encoding_is_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(CANVAS.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(RosterError, match="not UTF-8"):
        write_lms_gradebook(roster, CANVAS_RESULTS, tmp_path / "out")


# -- the command ----------------------------------------------------------------------------------------
def test_command_writes_the_file_and_the_summary(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps({"submissions": CANVAS_RESULTS}))
    done = subprocess.run([sys.executable, "-m", "grader.lms", CANVAS, "--results", tmp_path / "results.json",
                           "--out", tmp_path, "--assignment", "1202"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Not in the gradebook: stranger_4555" in done.stdout
    assert (tmp_path / "canvas-import.csv").exists()
    assert (tmp_path / "canvas-import-summary.txt").read_text().strip() == done.stdout.strip()
    bad = subprocess.run([sys.executable, "-m", "grader.lms", tmp_path / "results.json", "--results",
                          tmp_path / "results.json", "--out", tmp_path / "x"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and bad.stderr.startswith("No gradebook written: ") and bad.stderr.count("\n") == 1


def test_command_says_when_the_output_folder_cannot_be_written(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps({"submissions": CANVAS_RESULTS}))
    (tmp_path / "file").write_text("")
    done = subprocess.run([sys.executable, "-m", "grader.lms", CANVAS, "--results", tmp_path / "results.json",
                           "--out", tmp_path / "file" / "out", "--assignment", "1202"], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 2 and "cannot write to" in done.stderr and "Traceback" not in done.stderr
