"""``python -m grader SUBMISSIONS --out OUT``: the command line, ``grader/commands/grade.py``."""

import sys

from grader.commands.grade import main

sys.exit(main())
