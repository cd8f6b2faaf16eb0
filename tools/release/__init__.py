"""What an instructor hands out, built from the repository (``make release``, ``make gradescope``).

* ``learners.py``: the learners' release, a folder and a zip with no solution code in it;
* ``gradescope.py``: the autograder zip for Gradescope, with the grader and the secret;
* ``makefile.py``: the repository's Makefile cut down to the targets a learner runs;
* ``archive.py``: folders and zips written the same way every time.

What to withhold is declared once, in classroom.toml (read by ``grader.course.classroom``; what is
taken out, by ``grader.course.withholding``).
"""
