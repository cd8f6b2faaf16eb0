"""A batch's way through the grader: ``batch.grade`` runs the steps of ``batch.STEPS`` in order, each a
module of its own whose step class says, in its ``run``, what it takes and what it gives:

read.py       Read       the files' code cells, or why a file is no notebook (nothing is run)
recognise.py  Recognise  which notebook each file is, whose, and which of a learner's copies is graded
expect.py     Expect     the cases, and what the reference solutions give on them
observe.py    Observe    each graded file run in a sandbox, its exercises observed (plain data)
mark.py       Mark       each graded file's result: every exercise's verdict, score and message
combine.py    Combine    one row per learner and assignment

``progress.py`` names what the steps report as files are done (the command's progress bar answers).
"""
