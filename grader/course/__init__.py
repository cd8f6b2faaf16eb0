"""The course and its class as the grader sees them: the instructor's choices (``classroom.py``), the
graded copies of the exercises and the assignments they make up (``graded.py``), who handed in a file,
read from the name an LMS's download gave it (``learners.py``), the reference solutions' results
(``expected.py``) and what is withheld from learners and sandboxes (``withholding.py``)."""
