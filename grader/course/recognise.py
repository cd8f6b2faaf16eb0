"""Which of the course's notebooks a submitted file is, from what it holds.

Learners rename files ("Copy of 02_initializers (1).ipynb") and LMSs rename them again, so the
file's content decides first: the check calls it still has (``checks.<exercise>.check(``) and the
answers it defines (``def get_initializer``, ``class EmbeddingModel``). The file's name only breaks a
tie. A file that matches no notebook, or two equally, is not guessed at.
"""

from __future__ import annotations

import re


def notebook_of(course, name: str, sources: list[str]) -> str | None:
    """The notebook (e.g. "02_initializers") whose graded exercises ``sources`` (a file's code cells)
    answer, or None when no notebook, or more than one equally, fits."""
    code = "\n".join(sources)
    scores = {}
    for notebook in course.notebooks():
        score = 0
        for ex in course.in_notebook(notebook):
            if re.search(rf"\bchecks\.{re.escape(ex.name)}\.check\(", code):
                score += 2
            if re.search(rf"^\s*(def|class)\s+{re.escape(ex.answer_name)}\b", code, re.MULTILINE):
                score += 2
        if notebook in name:
            score += 1
        scores[notebook] = score
    best = max(scores.values(), default=0)
    winners = [notebook for notebook, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None
