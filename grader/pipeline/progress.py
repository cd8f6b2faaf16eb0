"""What the steps tell as they go: ``Progress`` names the calls they make, which the command's progress
bar answers (``grader/outputs/progress.py``), and ``Quiet`` answers them when nobody watches."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def advance(self, label: str = "") -> None:
        """One more file is done (read and rejected, set aside, observed, or marked)."""

    def say(self, text: str) -> None:
        """What happens before the next file is done (the sandboxes starting)."""

    def finish(self) -> None:
        """The batch is done."""


class Quiet:
    """Progress nobody watches."""

    def advance(self, label: str = "") -> None:
        pass

    def say(self, text: str) -> None:
        pass

    def finish(self) -> None:
        pass
