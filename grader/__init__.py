"""The instructor grader: ``python -m grader SUBMISSIONS --out OUT`` (``make grade``).

It grades learners' notebooks with the exercises declared in ``checks`` (the registry), so "correct"
has one definition. Its folders say who each part is for:

* ``commands/``: the entry points, what a person or a platform runs (``grade`` is ``python -m grader``;
  ``report``, ``lms``, and ``gradescope`` for Gradescope's ``run_autograder``);
* ``course/``: the course as graded: classroom.toml's choices and the graded copies of the exercises
  they make, the assignments (a notebook each, or the course), who handed in a file (from the names
  an LMS's download gives), what the reference solutions give, and what is withheld from learners
  and sandboxes;
* ``pipeline/``: a batch's way through, as steps, a module each (read, recognise, expect, observe,
  mark, combine): ``pipeline/mark.py`` is where a submission is marked;
* ``sandbox/``: running untrusted notebooks in bubblewrap; it knows nothing of the course and is
  handed a ``Workload`` naming what to import and observe;
* ``outputs/``: what is written and shown: results.json, grades.csv, feedback, the class report,
  Gradescope's format, the summary, the progress bar; it takes rows, never the pipeline;
* ``lms/``: Canvas's and Moodle's gradebooks and feedback, from results.json's rows;
* ``results.py``: the one vocabulary of results (``checks.Status`` for verdicts, ``Unjudged`` for
  the rest), and the rows the outputs are written from;
* ``files.py``: the one way the grader writes a file (whole or not at all, never through a link), for
  ``outputs/``, ``lms/`` and ``commands/`` alike.

This package is never imported by ``checks``: learners' notebooks load none of it.
"""
