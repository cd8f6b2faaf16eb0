"""A batch's way through the grader: ``batch.grade`` runs the steps of ``steps.STEPS`` in order (read,
recognise, expect, observe, mark, combine); ``read.py`` and ``mark.py`` hold what the reading and the
marking steps do. What the steps finish, they report to the progress the command hands in."""
