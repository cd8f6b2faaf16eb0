"""Put the parts of a class graded in shards together (``make merge``):

    python -m grader.commands.merge OUT [PART ...] [--replace]

Each PART is the OUT one shard wrote (``python -m grader SUBMISSIONS --out PART --shard i/N``); without
PARTs, every folder of OUT/parts/ that holds a results.json. The parts must be every shard, 0 to N-1,
of one class (the same files, named alike): otherwise nothing is written, and one sentence says
what is missing. OUT then holds what one run over the whole class would have written (its rows, in
the same order, with the same feedback files, grades.csv, attempts.csv and item-statistics.csv), apart
from the time each submission took; merged, like a run, with the rows an earlier run left in OUT
(--replace starts afresh). ``make merge`` then writes the class report and, given a ROSTER, the
LMS's file.

Exit codes: 0 written; 2 nothing written (a part missing, from another class, or unreadable; OUT not
writable).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.outputs import results_json
from grader.results import Judged

#: Where ``make grade SHARD=i/N`` writes each part: OUT/parts/<i>-of-<N>/.
PARTS = "parts"


def read_part(folder: Path) -> tuple[dict, list, list[Judged]]:
    """A part's shard description, rows and runs; ValueError, in one sentence, when it is not a part."""
    try:
        document = json.loads((folder / results_json.RESULTS).read_text(encoding="utf-8"))
        part = document["part"]
        rows = [results_json.from_json(row) for row in document["submissions"]]
        runs = [Judged.from_json(run) for run in document.get("runs", [])]
    except OSError as exc:
        raise ValueError(f"{folder} holds no results.json ({exc.strerror or exc}).") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{folder}/results.json is not a shard's (graded with --shard): {exc!r}.") from None
    return part, rows, runs


def check_parts(parts: list[tuple[Path, dict]]) -> str | None:
    """Why ``parts`` are not every shard of one class, or None."""
    if not parts:
        return "no parts to merge."
    classes = {(part["files"], part["batch"]) for _, part in parts}
    if len(classes) > 1:
        return "the parts are of different classes (other files): " + ", ".join(
            f"{folder} ({part['files']} files)" for folder, part in parts
        )
    counts = {part["shard"].split("/")[1] for _, part in parts}
    if len(counts) > 1:
        return "the parts split the class in different numbers of shards: " + ", ".join(
            f"{folder} ({part['shard']})" for folder, part in parts
        )
    count = int(counts.pop())
    found = [part["shard"] for _, part in parts]
    missing = [f"{i}/{count}" for i in range(count) if f"{i}/{count}" not in found]
    twice = sorted({shard for shard in found if found.count(shard) > 1})
    if missing or twice:
        return (
            (f"shard {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing" if missing else "")
            + ("; " if missing and twice else "")
            + (f"shard {', '.join(twice)} is given twice" if twice else "")
            + "."
        )
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m grader.commands.merge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("out", type=Path, help="the class's OUT")
    p.add_argument("parts", type=Path, nargs="*", help=f"the shards' OUTs (default: every folder of OUT/{PARTS}/)")
    p.add_argument("--replace", action="store_true", help="start OUT afresh instead of merging with its rows")
    args = p.parse_args(argv)
    folders = args.parts or sorted(path.parent for path in (args.out / PARTS).glob(f"*/{results_json.RESULTS}"))
    try:
        read = [(folder, *read_part(folder)) for folder in folders]
    except ValueError as exc:
        print(f"Nothing merged: {exc}", file=sys.stderr)
        return 2
    problem = check_parts([(folder, part) for folder, part, _, _ in read])
    if problem:
        print(f"Nothing merged: {problem}", file=sys.stderr)
        return 2
    rows = [row for _, _, part_rows, _ in read for row in part_rows]
    runs = [run for _, _, _, part_runs in read for run in part_runs]
    try:
        kept = results_json.write_all(rows, args.out, runs, replace=args.replace)
    except OSError as exc:
        print(f"Nothing merged: cannot write to {args.out} ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    print(
        f"Merged {len(read)} shards ({len(rows)} rows) into {args.out}"
        + (f"; kept {kept} earlier row{'s' if kept != 1 else ''} of OUT." if kept else ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
