"""A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise (logs, CI).

The command that grades makes one and hands it to the pipeline, whose steps say what they finished
(``advance``) and what they wait for (``say``): ``grader/pipeline/progress.py`` names the calls."""

from __future__ import annotations

import sys
import time

from grader.outputs.text import printable


class ProgressBar:
    def __init__(self, total: int, stream=None, enabled: bool = True):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.interactive = self.enabled and getattr(self.stream, "isatty", lambda: False)()
        self.started = time.monotonic()
        self._last_tenth = -1

    def advance(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        if self.interactive:
            label = printable(label)
            width = 30
            filled = int(width * self.done / self.total)
            label = label if len(label) <= 30 else label[:27] + "..."
            line = (
                f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                f"{_clock(elapsed)}{self._eta(elapsed)}  {label}"
            )
            self.stream.write(line.ljust(100)[:120])
            self.stream.flush()
        else:
            tenth = self.done * 10 // self.total
            if tenth != self._last_tenth:
                self._last_tenth = tenth
                self.stream.write(f"graded {self.done}/{self.total} ({_clock(elapsed)})\n")
                self.stream.flush()

    def say(self, text: str) -> None:
        """A word about what happens before the next submission is done (e.g. the sandbox starting)."""
        if self.enabled:
            self.stream.write(f"\r{text}".ljust(100) if self.interactive else f"{text}\n")
            self.stream.flush()

    def _eta(self, elapsed: float) -> str:
        if self.done >= self.total or self.done == 0:
            return ""
        return f" (about {_clock(elapsed / self.done * (self.total - self.done))} left)"

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"
