"""The instructor grader: ``python -m grader SUBMISSIONS --out OUT`` (``make grade``).

It grades learners' notebooks with the exercises declared in ``checks`` (the registry,
``checks.ASSIGNMENT``), so "correct" has one definition. A submission's way through it:

* read:  ``submissions.py`` finds the files (lstat: links and special files get a row, no grade) and
  reads each into its code cells;
* run:   ``batch.py`` drives the batch; ``sandbox/`` runs each notebook in a bubblewrap sandbox
  (its parts are listed in ``sandbox/__init__.py``);
* observe: ``sandbox/worker.py`` calls ``exercise.observe_all`` there and sends plain data back;
* judge: ``verdicts.py`` reaches verdicts in the grader, with the cases it computed and kept
  (``assignment.py`` reads the registry); ``results.py`` is the one vocabulary of results;
* write: ``outputs.py`` writes results.json, grades.csv, the feedback and the summary;
  ``gradescope.py`` is Gradescope's format and autograder (tools/release/ builds its zip).

This package is never imported by ``checks``: learners' notebooks load none of it.
"""
