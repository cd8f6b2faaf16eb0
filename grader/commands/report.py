"""The class report from the grader's results: ``python -m grader.commands.report OUT`` reads
OUT/results.json and writes OUT/report.html (``make grade`` runs it after the grader)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from grader.outputs.report import write_report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(
            "Usage: python -m grader.commands.report OUT   (the grader's output folder, holding results.json)",
            file=sys.stderr,
        )
        return 2
    source = Path(argv[0]) / "results.json"
    try:
        results = json.loads(source.read_text(encoding="utf-8"))
        path = write_report(results, Path(argv[0]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"No report written: {source} is not the grader's results.json ({exc}).", file=sys.stderr)
        return 2
    print(f"Wrote {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
