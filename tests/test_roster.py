"""LMS gradebooks (grader/lms): Canvas and Moodle files filled from results.json, every mismatch reported,
the learners' feedback returned in the form each LMS takes back, and who handed in what read from the
names the LMSs' downloads write."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from grader.course.learners import CANVAS as CANVAS_LMS
from grader.course.learners import MOODLE as MOODLE_LMS
from grader.course.learners import identify
from grader.files import write_bytes as write_atomically
from grader.lms import RosterError, feedback, pdf, write_lms_gradebook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lms"
CANVAS = FIXTURES / "canvas_gradebook_export.csv"
MOODLE = FIXTURES / "moodle_grading_worksheet.csv"
MOODLE_CAPITAL = FIXTURES / "moodle_grading_worksheet_maximum_grade.csv"
MOODLE_GERMAN = FIXTURES / "moodle_grading_worksheet_de.csv"
NAMES = json.loads((FIXTURES / "download_names.json").read_text(encoding="utf-8"))
feedback_html = feedback.html

OUTPUTS = {
    True: "Correct. Well done: your code gives the right result on every test case.",
    False: "Incorrect. For `vocab_size=12, embedding_dim=5` the shape is (5, 12) but should be (12, 5).\n"
    "You have the two swapped.",
}


def result(submission: str, passed: tuple = (True, True), status: str = "graded") -> dict:
    """One submission as results.json holds it (two exercises of 1 point each)."""
    tests = [
        {
            "name": name,
            "score": float(ok),
            "max_score": 1.0,
            "status": "passed" if ok else "failed",
            "output": OUTPUTS[ok],
            "output_format": "md",
            "visibility": "visible",
            "extra_data": {"result": "passed" if ok else "incorrect"},
        }
        for name, ok in zip(("get_initializer", "forward"), passed)
    ]
    return {
        "submission": submission,
        "score": float(sum(passed)),
        "max_score": 2.0,
        "status": status,
        "message": "",
        "tests": tests,
        "problems": [],
        "notes": ["for the instructor only"],
    }


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
    assert table[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Time to code: the embedding matrix (1202)",
    ]
    assert table[1] == ["    Points Possible", "", "", "", "", "10"]
    by_id = {row[1]: row for row in table[2:]}
    assert by_id["4101"] == ["Doe, Jane", "4101", "s1001", "jdoe", "ML 101 - A", "10"]
    assert by_id["4102"][-1] == "5"  # 1 of 2 exercises, scaled to the assignment's 10 points
    assert by_id["4103"][-1] == "10"  # the resubmission (newer attachment id) wins
    assert by_id["4104"][-1] == "" and by_id["4199"][-1] == ""  # no submission: left as it is
    assert [row[1] for row in table[2:]] == ["4101", "4102", "4103", "4104", "4199"]  # the export's order
    assert summary.points == 10 and summary.written == tmp_path / "canvas-import.csv"


def test_canvas_summary_names_every_unmatched_case(tmp_path):
    summary = write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path, assignment="Time to code: the embedding matrix")
    assert summary.no_submission == ["Okafor, Ada (ID 4104)", "Student, Test (ID 4199)"]
    assert [s for s, _ in summary.unmatched] == ["stranger_4555_99004_04_time_to_code.ipynb", "notes.txt"]
    assert "4555 is not on the roster" in summary.unmatched[0][1]
    assert summary.duplicates == [
        ("Lee, Min (ID 4103)", "leemin_4103_99010_04_time_to_code-1.ipynb", ["leemin_4103_99003_04_time_to_code.ipynb"])
    ]
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
    results = [
        result("doejane_4101_99001_04_time_to_code.ipynb"),
        result("doejane_4101_99007_screenshot.png", (False, False), status="not a notebook"),
    ]
    summary = write_lms_gradebook(CANVAS, results, tmp_path, assignment="1202")
    assert summary.duplicates[0][1] == "doejane_4101_99001_04_time_to_code.ipynb"


def test_canvas_late_work_is_flagged_in_the_summary(tmp_path):
    summary = write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path, assignment="1202")
    assert summary.late == [("O'Brien, Seán (ID 4102)", "obriensean_LATE_4102_99002_04_time_to_code.ipynb")]
    assert "Late, as the LMS marked it (1): O'Brien, Seán (ID 4102), obriensean_LATE_4102" in summary.text()
    # only the file used counts: a late first try that was handed in again on time is not late
    results = [
        result("doejane_LATE_4101_99001_04_time_to_code.ipynb", (False, False)),
        result("doejane_4101_99005_04_time_to_code-1.ipynb"),
    ]
    assert write_lms_gradebook(CANVAS, results, tmp_path / "again", assignment="1202").late == []


def canvas_reads(name: str) -> tuple[str | None, str | None]:
    """The user id and attachment id Canvas's "Re-Upload Submissions" takes from a file's name, as
    instructure/canvas-lms app/models/abstract_assignment.rb ``infer_comment_context_from_filename`` does:
    the name split at "_", "LATE" dropped, the first two all-digit parts (a name starting "._" is ignored)."""
    parts = [p for p in Path(name).name.split("_") if p != "LATE"]
    if Path(name).name.startswith("._"):
        return None, None
    digits = [p for p in parts if p.isdigit()] + [None, None]
    return digits[0], digits[1]


def test_canvas_feedback_archive_is_what_re_upload_submissions_attaches_to_each_learner(tmp_path):
    results = CANVAS_RESULTS + [result("okaforada_4104_text.html", (False, False), status="not a notebook")]
    summary = write_lms_gradebook(CANVAS, results, tmp_path, assignment="1202")
    assert summary.feedback == tmp_path / "canvas-feedback.zip"
    with zipfile.ZipFile(summary.feedback) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    # one file per learner scored, matched by Canvas's own ids: the user id of the gradebook's ID column and
    # the attachment id of the file that was used (Lee's resubmission, 99010, not the first try)
    assert sorted(canvas_reads(name) for name in entries) == [("4101", "99001"), ("4102", "99002"), ("4103", "99010")]
    # Canvas shows the attached file under the name of the file handed in (a notebook), so it is a notebook
    for name, data in entries.items():
        assert name.endswith("_feedback.ipynb") and not name.startswith("._")
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
        assert [cell.cell_type for cell in notebook.cells] == ["markdown"]
    lee = nbformat.reads(entries["leemin_4103_99010_feedback.ipynb"].decode(), as_version=4).cells[0].source
    # under the name Canvas shows, in the points Canvas shows: the assignment is worth 10, its exercises 1 each
    assert lee == feedback.markdown(CANVAS_RESULTS[3], "04_time_to_code-1.ipynb", 10.0)
    assert "**Score: 10 / 10**" in lee and "## forward: 5 / 5" in lee and "instructor" not in lee
    obrien = nbformat.reads(entries["obriensean_LATE_4102_99002_feedback.ipynb"].decode(), as_version=4)
    assert "> Incorrect. For `vocab_size=12, embedding_dim=5` the shape is" in obrien.cells[0].source
    # a text entry has no file to attach feedback to: said, not silently dropped
    assert "No feedback file for Okafor, Ada (ID 4104): okaforada_4104_text.html is a text entry" in summary.text()
    assert f"Feedback for 3 learners in {summary.feedback}" in summary.text()


def test_canvas_feedback_takes_the_form_of_the_file_handed_in(tmp_path):
    results = [
        result("doejane_4101_99001_answers.md"),
        result("obriensean_4102_99002_page.html"),
        result("leemin_4103_99003_scan.pdf", (False, False), status="not a notebook"),
        result("okaforada_4104_99004_notes.txt"),
        result("studenttest_4199_link.html", (False, False)),
    ]
    summary = write_lms_gradebook(CANVAS, results, tmp_path, assignment="1202")
    with zipfile.ZipFile(summary.feedback) as archive:
        names = archive.namelist()
        page = archive.read("obriensean_4102_99002_feedback.html").decode()
        text = archive.read("doejane_4101_99001_feedback.md").decode()
        plain = archive.read("okaforada_4104_99004_feedback.txt").decode()
        scan = archive.read("leemin_4103_99003_feedback.pdf")
    assert sorted(names) == [
        "doejane_4101_99001_feedback.md",
        "leemin_4103_99003_feedback.pdf",
        "obriensean_4102_99002_feedback.html",
        "okaforada_4104_99004_feedback.txt",
    ]
    assert feedback.html(results[1], 10.0) in page and text == feedback.markdown(results[0], "answers.md", 10.0)
    assert plain == feedback.markdown(results[3], "notes.txt", 10.0)
    # Canvas shows the feedback on a PDF under the PDF's name, so it is a PDF, saying what the grader said
    assert scan == pdf.document(feedback.markdown(results[2], "scan.pdf", 10.0), "Feedback on scan.pdf")
    assert "No feedback file for Lee, Min" not in summary.text()
    assert (
        "No feedback file for Student, Test (ID 4199): studenttest_4199_link.html is a text entry or a link"
        in summary.text()
    )


def test_the_feedback_pdf_is_one_a_reader_opens_and_reads_as_text():
    text = (
        "# Feedback on `scan.pdf`\n\n**Score: 0 / 10**\n\n> Not graded: (a \\ b) caf\u00e9 \u2014 \u4e2d"
        + " word" * 1000
    )
    document = pdf.document(text, "Feedback on scan.pdf")
    assert document.startswith(b"%PDF-1.4\n") and document.endswith(b"%%EOF\n")
    # every object where the cross-reference table says it starts, as a reader looks it up
    xref = int(document.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    table = document[xref:].split(b"\n")
    count = int(table[1].split()[1])
    for number in range(1, count):
        offset = int(table[2 + number].split()[0])
        assert document[offset:].startswith(b"%d 0 obj" % number)
    for stream in re.findall(rb"<< /Length (\d+) >>\nstream\n", document):
        assert int(stream) > 0
    shown = b"".join(re.findall(rb"\((.*?)(?<!\\)\) Tj", document)).decode("cp1252")
    assert "Feedback on scan.pdf" in shown and "Score: 0 / 10" in shown and "caf\u00e9 \u2014 ?" in shown
    assert "(a \\\\ b\\)" in shown  # backslash and parentheses escaped
    assert b"/Lang (en)" in document and b"/Title (Feedback on scan.pdf)" in document
    assert pdf.document(text, "Feedback on scan.pdf") == document  # the same bytes every time
    assert len(re.findall(rb"/Type /Page ", document)) == 2  # 1,000 words wrap onto a second page


def test_feedback_says_what_the_grader_said_to_the_learner_and_nothing_else():
    graded = result("doejane_4101_99001_04_time_to_code.ipynb", (True, False))
    graded["tests"][1]["extra_data"]["groups"] = {"small vocabularies": True, "large vocabularies": False}
    graded["problems"] = ["Cell 4 raised NameError: name 'embeddings' is not defined."]
    graded["code"] = graded["source"] = "def get_initializer(): return SECRET_ANSWER"  # were results.json to hold it
    as_html, as_markdown = feedback.html(graded), feedback.markdown(graded, "04_time_to_code.ipynb")
    as_notebook = feedback.notebook(graded, "04_time_to_code.ipynb").decode()
    for text in (as_html, as_markdown, as_notebook):
        assert "SECRET_ANSWER" not in text and "for the instructor only" not in text
    assert "<ul><li>right: small vocabularies</li><li>not yet right: large vocabularies</li></ul>" in as_html
    assert "- right: small vocabularies\n- not yet right: large vocabularies\n" in as_markdown
    assert (
        "## Notes on your notebook\n\nWhen the grader ran your notebook from top to bottom:\n\n- Cell 4 raised "
        "NameError: name 'embeddings' is not defined.\n" in as_markdown
    )
    not_graded = result("x.ipynb", (False, False), status="timed out")
    not_graded["message"] = "Your notebook ran for more than 300 s."
    assert "**Not graded (timed out).** Your notebook ran for more than 300 s." in feedback.markdown(not_graded, "x")
    assert "<p><strong>Not graded (timed out).</strong> Your notebook ran for more than 300 s.</p>" in feedback.html(
        not_graded
    )


def test_canvas_feedback_archive_is_the_same_bytes_for_the_same_results(tmp_path):
    first = write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path / "a", assignment="1202").feedback.read_bytes()
    assert write_lms_gradebook(CANVAS, CANVAS_RESULTS, tmp_path / "b", assignment="1202").feedback.read_bytes() == first


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
    assert by_id["Participant 2301515"][grade] == "10.00"  # the last by name of two files
    assert by_id["Participant 2301516"][grade] == "5.00"
    assert by_id["Participant 2301517"][grade] == ""  # no submission: unchanged by the upload
    # in Moodle's points: the assignment's maximum grade is 10
    assert by_id["Participant 2301514"][feedback] == feedback_html(MOODLE_RESULTS[0], 10.0)
    assert by_id["Participant 2301514"][feedback].startswith("<p><strong>Score: 10 / 10</strong></p>")
    assert by_id["Participant 2301515"][feedback] == feedback_html(MOODLE_RESULTS[2], 10.0)  # of the file used
    assert by_id["Participant 2301516"][feedback] == "Graded by hand: see my notes."  # the teacher's, kept
    assert by_id["Participant 2301517"][feedback] == ""
    for old, new in zip(before[1:], after[1:]):  # every other column as Moodle wrote it
        assert [c for i, c in enumerate(old) if i not in (grade, feedback)] == [
            c for i, c in enumerate(new) if i not in (grade, feedback)
        ]
    assert summary.points == 10
    assert summary.no_submission == ["Ada Okafor (Participant 2301517)"]
    assert summary.unmatched[0][0].startswith("Someone Else_2309999")
    assert summary.duplicates[0][0] == "Seán O'Brien (Participant 2301515)"
    text = summary.text()
    assert "Min Lee" in text and "Grade can be changed" in text and "already written" in text
    assert "Feedback for 2 learners in the 'Feedback comments' column." in text


def test_moodle_flat_download_without_folders_matches_too(tmp_path):
    results = [result("Jane Doe_2301514_assignsubmission_file_04_time_to_code.ipynb", (True, False))]
    write_lms_gradebook(MOODLE, results, tmp_path)
    assert rows(tmp_path / "moodle-import.csv")[1][4] == "5.00"


def test_moodle_worksheet_with_maximum_grade_capitalised_as_moodle_2_to_4_3_wrote_it(tmp_path):
    # mod/assign/lang/en/assign.php: $string['maxgrade'] = 'Maximum Grade' from Moodle 2.x until the English
    # strings of 4.4 and 4.5 became 'Maximum grade' in 2025. The importer never reads that column; the grader
    # reads it for the points.
    results = [
        result("Jane Doe_2301514_assignsubmission_file/04_time_to_code.ipynb", (True, False)),
        result("Seán O'Brien_2301515_assignsubmission_file/04_time_to_code.ipynb"),
    ]
    summary = write_lms_gradebook(MOODLE_CAPITAL, results, tmp_path)
    before, after = rows(MOODLE_CAPITAL), rows(tmp_path / "moodle-import.csv")
    assert after[0] == before[0]  # headings as Moodle wrote them: the importer compares them exactly
    assert summary.points == 10 and after[1][4] == "5.00" and after[2][4] == "10.00"
    assert after[2][8] == before[2][8] and "\n" in after[2][8]  # the learner's online text, unchanged
    assert after[3][10] == "<p>Graded by hand: see my notes.</p>"
    # Moodle's Status says "... - 1 day 2 hours late" (gradingtable.php col_status, submittedlateshort)
    assert summary.late == [
        ("Seán O'Brien (Participant 2301515)", "Seán O'Brien_2301515_assignsubmission_file/04_time_to_code.ipynb")
    ]


def test_moodle_feedback_cell_is_one_line_of_html_the_importer_stores_as_it_is(tmp_path):
    # mod/assign/feedback/comments/locallib.php set_editor_text stores the cell as the comment's text in
    # FORMAT_HTML (db/install.xml: a "text" column, no length limit); HTML ignores line breaks.
    hostile = result("Jane Doe_2301514_assignsubmission_file/04_time_to_code.ipynb", (False, True), status="graded")
    hostile["tests"][0]["output"] = (
        "Your code raised an error. ValueError: <script>alert(\"x\")</script> & 'q'\n"
        "  in get_initializer()\n\nSecond paragraph with `code` and a \\"
    )
    hostile["problems"] = ['Cell 3 raised NameError: name "x" is not defined']
    write_lms_gradebook(MOODLE, [hostile], tmp_path)
    text = (tmp_path / "moodle-import.csv").read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    cell = table[1][table[0].index("Feedback comments")]
    assert cell == feedback.html(hostile, 10.0)
    assert cell.startswith("<p><strong>Score: 5 / 10</strong></p><p><strong>get_initializer: 0 / 5</strong></p>")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;<br>in get_initializer()</p>" in cell
    assert "<p>Second paragraph with <code>code</code> and a \\</p>" in cell
    assert "<ul><li>Cell 3 raised NameError: name &quot;x&quot; is not defined</li></ul>" in cell
    assert "for the instructor only" not in cell
    # what PHP's fgetcsv (Moodle's reader, lib/csvlib.class.php) could misread: no quote, no line break, no
    # backslash before the field's end; and every row as long as the heading row (else "csvweirdcolumns")
    assert '"' not in cell and "\n" not in cell and "\r" not in cell and not cell.endswith("\\")
    assert {len(row) for row in table} == {len(table[0])}


def test_moodle_worksheet_in_another_language_is_refused_with_one_sentence(tmp_path):
    # The worksheet Moodle writes with German chosen (headings and "Teilnehmer/in" from the German pack).
    with pytest.raises(RosterError) as raised:
        write_lms_gradebook(MOODLE_GERMAN, MOODLE_RESULTS, tmp_path / "out")
    message = str(raised.value)
    assert "\n" not in message and message.count(": ") == 1
    assert "in another language (its first heading is 'ID' and its participants are 'Teilnehmer/in N')" in message
    for heading in ("'Identifier'", "'Grade'", "'Maximum grade'", "'Last modified (grade)'", "'Feedback comments'"):
        assert heading in message
    assert "switch your Moodle language to English (user menu > Language" in message
    assert not (tmp_path / "out").exists()


def test_moodle_worksheet_without_feedback_comments_says_so(tmp_path):
    sheet = tmp_path / "sheet.csv"
    table = rows(MOODLE)
    sheet.write_text("".join(",".join(f'"{c}"' for c in row[:-1]) + "\n" for row in table), encoding="utf-8")
    summary = write_lms_gradebook(sheet, MOODLE_RESULTS, tmp_path / "out")
    assert "no 'Feedback comments' column, so no feedback goes back" in summary.text()


def test_moodle_decimal_comma_is_kept(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(MOODLE.read_text(encoding="utf-8-sig").replace(",10.00,", ',"10,00",'), encoding="utf-8")
    write_lms_gradebook(sheet, MOODLE_RESULTS[:1], tmp_path / "out")
    assert rows(tmp_path / "out" / "moodle-import.csv")[1][4] == "10,00"


# -- files that cannot be used: one sentence, nothing written ------------------------------------------
@pytest.mark.parametrize(
    "content, message",
    [
        ("", "is empty"),
        ("name,score\nJane,3\n", "neither a Canvas gradebook export .* nor a Moodle grading worksheet"),
        ('Student,ID,Section,Quiz (12)\n"Doe, Jane",4101,A,\n', "no 'Points Possible' row"),
        ("Student,ID,Section,Total\n", "no assignment column"),
        ('Student,ID,Quiz (12)\n    Points Possible,,\n"Doe, Jane",4101,\n', "gives no points for 'Quiz \\(12\\)'"),
        ('Student,ID,Quiz (12)\n    Points Possible,,5\n"Doe, Jane",jdoe,\n', "Row 3 .* has ID 'jdoe', not a Canvas"),
        ("Identifier,Full name,Grade\n", "no 'Maximum grade' or 'Last modified \\(grade\\)' column"),
        (
            "Identifier,Full name,Grade,Maximum grade,Last modified (grade)\nJane,Jane Doe,,10.00,-\n",
            "Row 2 .* has Identifier 'Jane', not 'Participant N'",
        ),
        (
            "Identifier,Full name,Grade,Maximum grade,Last modified (grade)\nParticipant 1,A,,,-\n",
            "no single maximum grade",
        ),
        ('Identifier,Full name,Grade,Scale,Last modified (grade)\nParticipant 1,A,,"A\nB",-\n', "graded with a scale"),
    ],
)
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


# -- learners, not files: who handed in what, from the download's names ---------------------------------
@pytest.mark.parametrize("case", NAMES, ids=[case["submission"] for case in NAMES])
def test_identify_reads_every_kind_of_name_the_lms_downloads_write(case):
    who = identify(case["submission"])
    assert (who.lms, who.learner, who.late, who.label) == (case["lms"], case["learner"], case["late"], case["label"])


def test_identify_orders_a_learners_files_newest_last():
    def newest(*names):
        return max(names, key=lambda name: identify(name).order)

    # Canvas: a later upload has a higher attachment id, whatever its name; "-1" is Canvas's second copy
    assert (
        newest("leemin_4103_99010_04_time_to_code.ipynb", "leemin_4103_99003_04_time_to_code-1.ipynb")
        == "leemin_4103_99010_04_time_to_code.ipynb"
    )
    assert newest("doejane_4101_99001_a.ipynb", "doejane_4101_99001_a (1).ipynb") == "doejane_4101_99001_a (1).ipynb"
    # Moodle's names carry no date: a copy a browser made ("(1)") is the later one
    assert newest(
        "Jane Doe_2301514_assignsubmission_file/04_time_to_code (1).ipynb",
        "Jane Doe_2301514_assignsubmission_file/04_time_to_code.ipynb",
    ).endswith("(1).ipynb")
    assert newest("alice/04 (2).ipynb", "alice/04.ipynb") == "alice/04 (2).ipynb"


def test_identify_for_one_lms_reads_only_its_names():
    assert identify("Jane Doe_2301514_assignsubmission_file_04.ipynb", CANVAS_LMS).lms is None
    assert identify("doejane_4101_99001_04.ipynb", MOODLE_LMS).learner == "doejane_4101_99001_04.ipynb"


def test_files_are_replaced_in_one_step_never_through_a_symlink(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "canvas-feedback.zip").symlink_to(outside)
    (out / ".canvas-import.csv.tmp").symlink_to(outside)
    write_lms_gradebook(CANVAS, CANVAS_RESULTS, out, assignment="1202")
    assert outside.read_text() == "keep"
    assert not (out / "canvas-feedback.zip").is_symlink() and zipfile.is_zipfile(out / "canvas-feedback.zip")
    assert sorted(p.name for p in out.iterdir()) == ["canvas-feedback.zip", "canvas-import.csv"]
    write_atomically(out / "x.txt", b"one")
    write_atomically(out / "x.txt", b"two")
    assert (out / "x.txt").read_bytes() == b"two"


# -- the command ----------------------------------------------------------------------------------------
def test_command_writes_the_file_and_the_summary(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps({"submissions": CANVAS_RESULTS}))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader.commands.lms",
            CANVAS,
            "--results",
            tmp_path / "results.json",
            "--out",
            tmp_path,
            "--assignment",
            "1202",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "Not in the gradebook: stranger_4555" in done.stdout
    assert (tmp_path / "canvas-import.csv").exists() and (tmp_path / "canvas-feedback.zip").exists()
    assert (tmp_path / "canvas-import-summary.txt").read_text().strip() == done.stdout.strip()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader.commands.lms",
            tmp_path / "results.json",
            "--results",
            tmp_path / "results.json",
            "--out",
            tmp_path / "x",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("No gradebook written: ") and bad.stderr.count("\n") == 1


def test_command_says_when_the_output_folder_cannot_be_written(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps({"submissions": CANVAS_RESULTS}))
    (tmp_path / "file").write_text("")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader.commands.lms",
            CANVAS,
            "--results",
            tmp_path / "results.json",
            "--out",
            tmp_path / "file" / "out",
            "--assignment",
            "1202",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2 and "cannot write to" in done.stderr and "Traceback" not in done.stderr
