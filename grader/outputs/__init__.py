"""What the grader writes and shows: results.json and the merge with an earlier run
(``results_json.py``), grades.csv (``gradebook.py``), the feedback (``feedback.py``), the end-of-run
summary (``summary.py``), Gradescope's format (``gradescope.py``), the class report (``report.py``,
``charts.py``), the progress bar (``progress.py``); every file through ``files.py``."""
