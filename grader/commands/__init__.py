"""What a person or a platform runs: each module is one entry point, with ``main()``.

* ``grade``: ``python -m grader SUBMISSIONS --out OUT`` (``make grade``);
* ``report``: ``python -m grader.commands.report OUT``, the class report from OUT/results.json;
* ``lms``: ``python -m grader.commands.lms ROSTER --results ...``, the LMS's gradebook filled in;
* ``gradescope``: ``python -m grader.commands.gradescope``, what Gradescope's ``run_autograder`` runs.
"""
