"""The instructor grader: ``python -m checks.grade SUBMISSIONS --out OUT`` (``make grade``).

It grades learners' copies of ``notebooks/04_time_to_code.ipynb`` with the same exercise declarations
the notebook's check cells use (``checks.GRADED``), so "correct" has one definition:

* ``batch.py`` grades a batch end to end: find the files, read them, run them, judge them;
* ``notebook_code.py`` reads a submitted file into code cells, or says why it cannot (not a notebook);
* ``server.py`` is the fork server: TensorFlow imported once, a process forked per submission;
* ``worker.py`` is what a forked sandbox does: limits, the notebook's cells, ``exercise.observe_all``;
* ``hiding.py`` keeps solutions/, the submissions and the output out of a sandbox's sight;
* ``sandbox.py`` drives the server and its sandboxes from the grader, with time limits and retries;
* ``protocol.py`` is what they say to each other (no pickle from the sandbox to the grader);
* ``grading.py`` reaches verdicts with ``exercise.verdict`` in the grader, and the learner's text;
* ``gradebook.py`` writes results.json, grades.csv and the feedback files, and the summary;
* ``progress.py`` draws the progress bar; ``gradescope.py`` runs one submission inside Gradescope,
  and ``gradescope_zip.py`` builds the autograder.zip for it.
"""
import checks

#: Points per exercise, declared once, here. A passed exercise earns its points, anything else none.
POINTS = {ex.name: 1.0 for ex in checks.GRADED}
