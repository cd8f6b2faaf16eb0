"""A batch's way through the grader: ``batch.grade`` runs the steps of ``steps.STEPS`` in order (read,
recognise, expect, observe, mark, combine); ``read.py`` and ``mark.py`` hold what the reading and the
marking steps do, and ``progress.py`` the progress bar the instructor watches."""
