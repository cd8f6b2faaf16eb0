"""A shard: one of N parts of a class, graded on a machine of its own (``--shard i/N``, ``make grade
SHARD=i/N``), and merged afterwards (``grader.commands.merge``) into the OUT one run would write.

The split is of the learners, in the order of the sorted submissions that are theirs (each learner
where their first file is): part i of N holds the i-th of N runs of consecutive learners, as even in
size as whole learners allow. A learner's files stay together, so which copy is graded is decided as
in one run; every part reads and recognises every file (a few milliseconds each) before it keeps its
own learners, so what a file is taken for never depends on the split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORM = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # 0 to count - 1, as Kubernetes' JOB_COMPLETION_INDEX counts
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``i/N`` as a Shard; ValueError, in one sentence, when it is not one."""
        found = _FORM.match(text)
        if not found or int(found[2]) < 1 or int(found[1]) >= int(found[2]):
            raise ValueError(f"--shard takes i/N, a part i from 0 to N-1 of N parts (e.g. 0/3); not {text!r}.")
        return cls(int(found[1]), int(found[2]))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def part(self, units: list) -> list:
        """This part's ``units`` (each with its ``learner``; in the order of their files): those of the
        i-th of N runs of consecutive learners."""
        learners = list(dict.fromkeys(unit.learner for unit in units))
        kept = {learner for j, learner in enumerate(learners) if j * self.count // len(learners) == self.index}
        return [unit for unit in units if unit.learner in kept]
