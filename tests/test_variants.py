"""Variants (issue 24): each exercise's other tasks, declared like the exercise itself; whose variant is
whose (checks/allocation.py); which one a kernel's check, hints and solution follow (checks/variation.py)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from check_harness import VARIANTS, table

import checks
from checks import Status, allocation, registry, variation
from checks.allocation import Allocation, AllocationError, from_table, learner_digest, normal_form

#: The exercises that have variants, and the chapter's two, which stay as the chapter gives them.
VARIED = ("count_words", "uniform_with_std", "sentence_vectors", "nearest_neighbours")
THE_CHAPTERS = ("get_initializer", "forward")


def families() -> dict:
    return {name: tuple(registry.VARIANTS[name]) for name in checks.EXERCISES}


# -- the declarations ---------------------------------------------------------------------------------
def test_each_varied_exercise_has_three_tasks_or_more_and_the_chapters_have_one():
    for name in VARIED:
        assert len(registry.variants(name)) >= 3, name
        assert registry.variants(name)[0] is checks.EXERCISES[name]  # the course's own task first
    for name in THE_CHAPTERS:
        assert registry.variants(name) == (checks.EXERCISES[name],)


@pytest.mark.parametrize("variant", [v for name in VARIED for v in registry.variants(name)], ids=lambda v: v.variant_id)
def test_a_variant_has_all_that_an_exercise_has_and_the_same_skeleton(variant):
    first = checks.EXERCISES[variant.name]
    for same in ("name", "notebook", "order", "graded", "points", "skeleton", "skeleton_path", "answer_name"):
        assert getattr(variant, same) == getattr(first, same), same  # one answer cell for every learner
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", variant.variant)
    assert variant.variant_title and variant.statement.strip().startswith(f"Write `{first.skeleton_path}(")
    assert len(variant.hints) >= 3 and variant.solution_code
    assert variant.cases() and all(isinstance(c["group"], str) for c in variant.cases("a secret"))
    answer_lines = {line.strip() for line in variant.solution_code.splitlines()[1:] if line.strip()}
    for hint in variant.hints:  # from the idea to the tool to the shape of the code: never a line of the answer
        assert not [line for line in answer_lines if line in hint], hint
    assert variant.statement != first.statement or variant is first


def test_variant_ids_are_unique_and_the_course_s_own_keep_their_names():
    ids = [v.variant_id for v in registry.every_variant()]
    assert len(ids) == len(set(ids))
    for name, exercise in checks.EXERCISES.items():
        assert exercise.variant_id == name
    assert registry.VARIANTS["count_words"]["presence"].variant_id == "count_words.presence"


def test_each_variant_is_a_different_task_its_reference_failing_every_other_variant():
    # So a notebook that does a neighbour's task is told so, and never passes its own by accident.
    for name in VARIED:
        for variant in registry.variants(name):
            reference = table(variant.variant_id).RIGHT[0]
            for other in registry.variants(name):
                if other is not variant:
                    assert not other.evaluate(reference).passed, (variant.variant_id, other.variant_id)


def test_a_variant_key_taken_twice_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "VARIANTS", {k: dict(v) for k, v in registry.VARIANTS.items()})
    presence = type(registry.VARIANTS["count_words"]["presence"])

    class Again(presence):
        pass

    with pytest.raises(ValueError, match="two variants of 'count_words' are keyed 'presence'"):
        registry.register(Again)


# -- whose variant is whose ---------------------------------------------------------------------------
ROOM = Allocation("autumn-2026", {"count_words": ("occurrences", "presence", "skips-padding")})
#: Pinned: the same salt, exercise and learner give the same variant on every machine and for ever
#: (SHA-256, never a library's random stream). A change here moves learners who have started.
PINNED = {
    "12345": "presence",
    "67890": "skips-padding",
    "jane.doe@example.edu": "presence",
    "Jane Doe": "presence",
    "octocat": "occurrences",
    "ada-lovelace": "occurrences",
    "s1234567": "presence",
}


def test_the_allotment_is_pinned():
    assert {learner: ROOM.variant_of(learner, "count_words") for learner in PINNED} == PINNED


def test_an_id_typed_by_hand_is_one_learner_however_it_is_written():
    assert normal_form(" Jane.Doe@Example.EDU ") == normal_form("janedoe@example.edu") == "janedoeexampleedu"
    assert ROOM.variant_of("JANE DOE", "count_words") == ROOM.variant_of("jane-doe", "count_words")
    assert normal_form("Ünïcode Näme") == normal_form("ünïcode näme")


LEARNERS = [f"learner-{number}" for number in range(3000)]


def test_variants_are_shared_out_evenly():
    counts = Counter(ROOM.variant_of(learner, "count_words") for learner in LEARNERS)
    assert set(counts) == set(ROOM.offered["count_words"])
    assert all(abs(n - 1000) < 100 for n in counts.values()), counts  # 5.5 standard deviations


def test_another_salt_hands_out_another_set():
    other = Allocation("spring-2027", ROOM.offered)
    moved = sum(ROOM.variant_of(x, "count_words") != other.variant_of(x, "count_words") for x in LEARNERS)
    assert 1800 < moved < 2200  # two in three, as chance gives


def test_listing_order_moves_nobody_and_a_variant_added_or_withdrawn_moves_only_its_own():
    reordered = Allocation(ROOM.salt, {"count_words": ("skips-padding", "occurrences", "presence")})
    two = Allocation(ROOM.salt, {"count_words": ("occurrences", "presence")})
    before = {x: two.variant_of(x, "count_words") for x in LEARNERS}
    after = {x: ROOM.variant_of(x, "count_words") for x in LEARNERS}
    assert after == {x: reordered.variant_of(x, "count_words") for x in LEARNERS}
    moved = [x for x in LEARNERS if before[x] != after[x]]
    assert all(after[x] == "skips-padding" for x in moved)  # only to the new variant
    assert 850 < len(moved) < 1150  # one in three


def test_moving_one_learner_moves_nobody_else():
    table = {"enabled": True, "salt": ROOM.salt, "moved": {"learner-7": {"count_words": "presence"}}}
    moved = from_table(table, families())
    assert moved.variant_of("learner-7", "count_words") == "presence"
    assert moved.variant_of(" Learner 7", "count_words") == "presence"
    assert all(
        moved.variant_of(x, "count_words") == ROOM.variant_of(x, "count_words") for x in LEARNERS if x != "learner-7"
    )
    assert "learner-7" not in str(moved.record())  # a release's record names nobody
    assert learner_digest(ROOM.salt, "learner-7") in moved.record()["moved"]


def test_variants_are_off_unless_classroom_toml_turns_them_on():
    assert from_table({}, families()) is None
    assert from_table({"salt": "x", "enabled": False}, families()) is None
    on = from_table({"enabled": True, "salt": "x"}, families())
    assert set(on.offered) == set(VARIED) and on.varied() == list(on.offered)
    assert on.offered["count_words"][0] == "occurrences"
    offered = {"count_words": ["presence", "occurrences"]}
    fewer = from_table({"enabled": True, "salt": "x", "offered": offered}, families())
    assert fewer.offered["count_words"] == ("occurrences", "presence")


@pytest.mark.parametrize(
    "table, words",
    [
        ({"enabled": "yes"}, "enabled must be true or false"),
        ({"enabled": True}, "salt must be a word of your own"),
        ({"enabled": True, "salt": "x", "colour": 1}, "unknown key 'colour'"),
        ({"enabled": True, "salt": "x", "offered": {"forward": ["a"]}}, "'forward' has no variants"),
        ({"enabled": True, "salt": "x", "offered": {"count_words": ["bogus"]}}, "no variant 'bogus'"),
        ({"enabled": True, "salt": "x", "offered": {"count_words": []}}, "one or more"),
        ({"enabled": True, "salt": "x", "moved": {"7": {"count_words": "bogus"}}}, "no variant 'bogus'"),
        ({"enabled": True, "salt": "x", "moved": {"7": {"forward": "x"}}}, "'forward' hands out no variants"),
        ({"enabled": True, "salt": "x", "moved": {"!!": {"count_words": "presence"}}}, "no learner id"),
    ],
)
def test_a_table_the_course_cannot_follow_is_refused_in_one_sentence(table, words):
    with pytest.raises(AllocationError, match=re.escape(words)):
        from_table(table, families())


# -- in the notebook ----------------------------------------------------------------------------------
@pytest.fixture
def kernel(monkeypatch, tmp_path):
    """A kernel of a course whose class hands out variants, with no learner id given yet."""
    room = from_table({"enabled": True, "salt": ROOM.salt}, families())
    monkeypatch.setattr(variation, "allocation", lambda: room)
    monkeypatch.setattr(variation, "REMEMBERED", tmp_path / ".learner-id")
    monkeypatch.setattr(variation, "_GIVEN", [None])
    monkeypatch.setattr(variation, "_PRACTISED", {})
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return room


def learner_with(room, name: str, key: str) -> str:
    return next(x for x in LEARNERS if room.variant_of(x, name) == key)


def test_without_variants_the_course_s_own_task_is_in_force(monkeypatch, tmp_path):
    monkeypatch.setattr(variation, "allocation", lambda: None)
    monkeypatch.setattr(variation, "REMEMBERED", tmp_path / ".learner-id")
    monkeypatch.setattr(variation, "_GIVEN", [None])
    assert checks.count_words.in_force() is checks.count_words
    assert variation.give_learner("12345") == "Every learner of this course has the same tasks."


def test_the_learner_s_id_puts_their_variant_in_force_and_other_notebooks_remember_it(kernel, capsys):
    learner = learner_with(kernel, "count_words", "presence")
    assert checks.count_words.in_force() is checks.count_words  # no id yet: the first task
    assert "type your id" in variation.give_learner("")
    assert variation.give_learner(learner) == f"The tasks shown are those of learner {learner}."
    presence = registry.VARIANTS["count_words"]["presence"]
    assert checks.count_words.in_force() is presence
    variation._GIVEN[0] = None  # another notebook's kernel, its first cell left empty
    assert "as given in another notebook" in variation.give_learner("")
    assert checks.count_words.in_force() is presence


def test_nbgrader_s_student_folder_decides_whatever_the_notebook_says(kernel, monkeypatch, tmp_path):
    student = learner_with(kernel, "count_words", "skips-padding")
    folder = tmp_path / "autograded" / student / "ps1"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    variation.give_learner(learner_with(kernel, "count_words", "presence"))  # the notebook's claim
    assert checks.count_words.in_force().variant == "skips-padding"


def test_check_hints_and_solution_follow_the_task_in_force(kernel, capsys):
    variation.give_learner(learner_with(kernel, "count_words", "presence"))
    presence = registry.VARIANTS["count_words"]["presence"]
    checks.count_words.hint()
    assert presence.hints[0] in capsys.readouterr().out
    checks.count_words.solution()
    assert "has not been released" not in capsys.readouterr().out or presence.solution_code is None
    checks.count_words.check(table("count_words.presence").RIGHT[0])
    assert "Correct" in capsys.readouterr().out
    with pytest.raises(checks.Incorrect):
        checks.count_words.check(table("count_words").RIGHT[0])  # the course's own task is not theirs


def test_an_answer_to_another_learner_s_task_is_told_which_it_does_and_which_is_theirs(kernel, capsys):
    variation.give_learner(learner_with(kernel, "count_words", "presence"))
    with pytest.raises(checks.Incorrect):
        checks.count_words.check(table("count_words.skips-padding").RIGHT[0])
    shown = capsys.readouterr().out
    assert 'the task "skips-padding"' in shown and 'your task is "presence"' in shown
    outcome = variation.judged(registry.VARIANTS["count_words"]["presence"], table("count_words").RIGHT[0])
    assert outcome.status is Status.INCORRECT and outcome.mistake == variation.ANOTHER_VARIANT


def test_the_task_shows_the_statement_in_force_and_practice_switches_it(kernel, capsys):
    learner = learner_with(kernel, "sentence_vectors", "maximum")
    variation.give_learner(learner)
    checks.sentence_vectors.task()
    shown = capsys.readouterr().out
    assert registry.VARIANTS["sentence_vectors"]["maximum"].statement.strip() in shown
    assert f"This task is yours, learner {learner}" in shown
    checks.sentence_vectors.task("sqrtn")
    shown = capsys.readouterr().out
    assert 'You are practising the task "sqrtn"' in shown and 'Yours is "maximum"' in shown
    assert checks.sentence_vectors.in_force().variant == "sqrtn"
    checks.sentence_vectors.task("nonsense")
    assert "has no task 'nonsense'" in capsys.readouterr().out


def test_a_self_paced_learner_gets_the_first_task_and_may_practise_the_others(monkeypatch, capsys):
    monkeypatch.setattr(variation, "allocation", lambda: None)
    monkeypatch.setattr(variation, "_PRACTISED", {})
    checks.nearest_neighbours.task()
    shown = capsys.readouterr().out
    assert checks.nearest_neighbours.statement.strip() in shown and "For more practice afterwards" in shown
    assert '"euclidean"' in shown and '"dot-product"' in shown
    checks.nearest_neighbours.task("euclidean")
    assert "goes back to the course's own" in capsys.readouterr().out
    assert checks.nearest_neighbours.in_force().variant == "euclidean"


def test_a_release_record_is_read_back_as_the_same_allocation(tmp_path):
    room = from_table(
        {"enabled": True, "salt": "s", "moved": {"9": {"count_words": "presence"}}}, families(), "classroom.toml"
    )
    path = tmp_path / "variants.json"
    path.write_text(__import__("json").dumps({"allocation": room.record()}))
    again = Allocation.from_record(allocation.read_record(path)["allocation"])
    assert again == room and again.variant_of("9", "count_words") == "presence"
    assert allocation.read_record(tmp_path / "none.json") is None


@pytest.mark.parametrize("variant_id", sorted(VARIANTS))
def test_every_variant_has_a_table_of_answers(variant_id):
    answers = table(variant_id)
    assert answers.RIGHT and answers.WRONG


# -- the id the platform gives (the grader's side) ------------------------------------------------------
@pytest.mark.parametrize(
    "submission, expected",
    [
        ("doejane_40017_1207_05_training.ipynb", "40017"),  # Canvas: the user id
        ("doejane_LATE_40017_1207_05_training.ipynb", "40017"),
        ("anon_aB3dE_1207_05_training.ipynb", None),  # Canvas, anonymised: nothing a learner could type
        ("Jane Doe_37_assignsubmission_file_05_training.ipynb", "Jane Doe"),  # Moodle: the name, not the number
        ("Jane Doe_37_assignsubmission_file_/05_training.ipynb", "Jane Doe"),
        ("Participant_37_assignsubmission_file_05_training.ipynb", None),  # Moodle, blind marking
        ("s1234567/ps1/05_training.ipynb", "s1234567"),  # a folder per learner (nbgrader's submitted/<student>/)
        ("05_training.ipynb", None),  # a file on its own: nobody
    ],
)
def test_the_grader_reads_the_id_each_platform_gives(submission, expected):
    from grader.course.learners import identify
    from grader.course.variants import learner_id

    assert learner_id(identify(submission), submission) == expected


def test_a_moodle_name_and_the_name_a_learner_types_are_one_id():
    typed, downloaded = "jane doe", "Jane Doe"
    assert ROOM.variant_of(typed, "count_words") == ROOM.variant_of(downloaded, "count_words")


# -- the class report and the summary ------------------------------------------------------------------
def test_the_report_gives_each_task_s_pass_rate_flags_uneven_tasks_and_lists_possible_copies():
    import json
    from pathlib import Path

    from grader.outputs import report, variants

    rows = json.loads((Path(__file__).parent / "fixtures" / "report" / "with-variants" / "results.json").read_text())
    rows = rows["submissions"]
    rates = {(r.exercise, r.variant): (r.learners, r.passed) for r in variants.task_rates(rows)}
    assert rates == {
        ("nearest_neighbours", "cosine"): (4, 3),  # the file with no learner id is graded on the first task
        ("nearest_neighbours", "dot-product"): (3, 2),
        ("nearest_neighbours", "euclidean"): (3, 2),
    }
    assert variants.uneven(variants.task_rates(rows)) == {}  # 75% against 67%: 8 points apart
    copies = variants.possible_copies(rows)
    assert len(copies) == 3 and all(c.solves != c.own for c in copies)
    worse = [
        dict(row, tests=[dict(t, extra_data=dict(t["extra_data"], result="incorrect")) for t in row["tests"]])
        if row["tests"][0]["extra_data"].get("variant") == "euclidean"
        else row
        for row in rows
    ]
    assert set(variants.uneven(variants.task_rates(worse))) == {"nearest_neighbours"}  # 75% against 0%
    page = report.render(report.summarise(worse))
    assert "<b>Look at <code>nearest_neighbours</code>:</b>" in page and "Possible copies" in page
    assert (
        report.render(
            report.summarise(
                json.loads(Path(__file__).parent.joinpath("fixtures", "report", "results.json").read_text())[
                    "submissions"
                ]
            )
        ).count("own task")
        == 0
    )
