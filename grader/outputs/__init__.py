"""What the grader writes and shows: results.json and the merge with an earlier run
(``results_json.py``), grades.csv (``gradebook.py``), the feedback (``feedback.py``), the progress bar
(``progress.py``), the end-of-run summary (``summary.py``), Gradescope's format (``gradescope.py``) and
the class report (``report.py``, ``charts.py``); every file through the grader's one writer,
``grader/files.py``."""
