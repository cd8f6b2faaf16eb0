"""The course as the grader sees it: the instructor's choices (``classroom.py``), the graded copies of
the exercises and the assignments they make up (``graded.py``), which notebook a file is
(``recognise.py``), the reference solutions' results (``expected.py``) and what is withheld from
learners and sandboxes (``withholding.py``)."""
