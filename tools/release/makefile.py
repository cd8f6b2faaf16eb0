"""The learners' Makefile: the repository's own, cut down to the targets a learner runs.

``trimmed(text, ("lab",))`` keeps that rule, every rule it depends on (its setup), and every variable
those rules use (transitively, by ``$(NAME)``), each with the comment above it; everything else
(tests, grading, authoring, Gradescope) is left out. Reading the rules from the repository's Makefile
rather than copying a template keeps the release's setup identical to the one the course is tested with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_VARIABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|::=|\+=|=)")
_RULE = re.compile(r"^([^\s:=#][^:=]*?)\s*::?(?!=)(.*)$")
_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_REFERENCE = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]")
HEADER = (
    "# The course's commands for learners. `make lab` is all you need: it sets up first (a venv in\n"
    "# .venv with the pinned packages; a few minutes the first time), then opens the notebooks.\n"
)


@dataclass
class Item:
    kind: str  # "variable", "rule" or "phony"
    names: list  # the variable's name, or the rule's targets
    lines: list  # its text, comment above it included
    uses: set = field(default_factory=set)  # variables it references
    needs: list = field(default_factory=list)  # a rule's prerequisites


def logical_lines(text: str) -> list[tuple[str, str]]:
    """(the line with its continuations joined, its original text) for each logical line."""
    found, pending = [], []
    for line in text.split("\n"):
        pending.append(line)
        if not line.endswith("\\"):
            found.append((" ".join(part.rstrip("\\") for part in pending), "\n".join(pending) + "\n"))
            pending = []
    return found


def parse(text: str) -> list[Item]:
    items, comment, current = [], [], None
    lines = logical_lines(text)
    while lines and lines[0][0].startswith("#"):  # the file's own header: the release writes its own
        lines.pop(0)
    for flat, original in lines:
        if current is not None and current.kind == "define":
            current.lines.append(original)
            if flat.strip() == "endef":
                current.kind, current = "variable", None
            continue
        if current is not None and flat.startswith("\t"):
            current.lines.append(original)
            current.uses |= set(_REFERENCE.findall(flat))
            continue
        current = None
        if not flat.strip():
            comment = []
        elif flat.startswith("#"):
            comment.append(original)
        elif flat.startswith(".PHONY"):
            items.append(Item("phony", [], [original]))
            comment = []
        elif flat.startswith("define "):
            current = Item("define", [flat.split()[1]], comment + [original])
            items.append(current)
            comment = []
        elif _VARIABLE.match(flat):
            items.append(
                Item("variable", [_VARIABLE.match(flat)[1]], comment + [original], set(_REFERENCE.findall(flat)))
            )
            comment = []
        elif _RULE.match(flat):
            targets, needs = _RULE.match(flat).groups()
            current = Item(
                "rule",
                targets.split(),
                comment + [original],
                set(_REFERENCE.findall(flat)),
                needs.split("|")[0].split(),
            )
            items.append(current)
            comment = []
        else:
            raise ValueError(f"cannot read this Makefile line: {flat!r}")
    return items


def kept_rules(items: list[Item], keep: tuple[str, ...]) -> list[Item]:
    """The rules for ``keep`` and, transitively, for their prerequisites."""
    rules = [i for i in items if i.kind == "rule"]
    wanted = set(keep)
    while True:
        chosen = [r for r in rules if wanted & set(r.names)]
        more = {need for r in chosen for need in r.needs} - wanted
        if not more:
            break
        wanted |= more
    missing = set(keep) - {name for r in chosen for name in r.names}
    if missing:
        raise ValueError(f"the Makefile has no rule for {', '.join(sorted(missing))}")
    return chosen


def files_needed(text: str, keep: tuple[str, ...] = ("lab",)) -> list[str]:
    """What the kept rules depend on (requirements, constraints, pyproject.toml) and the paths their
    recipes name (a helper script such as tools/find_python.sh), in order; the caller keeps those
    that are files of the repository."""
    chosen = kept_rules(parse(text), keep)
    targets = {name for r in chosen for name in r.names}
    needs = [need for r in chosen for need in r.needs if need not in targets and "$" not in need]
    named = [
        word
        for r in chosen
        for line in r.lines[1:]
        if line.startswith("\t")
        for word in _WORD.findall(line)
        if "/" in word and "$" not in word
    ]
    return list(dict.fromkeys(needs + named))


def trimmed(text: str, keep: tuple[str, ...] = ("lab",)) -> str:
    items = parse(text)
    chosen, kept = kept_rules(items, keep), []
    variables = {i.names[0]: i for i in items if i.kind == "variable"}
    used = set().union(*(r.uses for r in chosen)) | {
        n for r in chosen for need in r.needs for n in _REFERENCE.findall(need)
    }
    while True:
        more = set().union(*(variables[u].uses for u in used if u in variables)) - used
        if not more:
            break
        used |= more
    for item in items:
        if (item.kind == "variable" and item.names[0] in used) or item in chosen:
            apart = item.kind == "rule" or item.lines[0].startswith("#")
            kept.append(("\n" if apart and kept else "") + "".join(item.lines))
    phony = {word for i in items if i.kind == "phony" for word in "".join(i.lines).replace("\\", " ").split()[1:]}
    targets = [name for r in chosen for name in r.names if name in phony or name in keep]
    return HEADER + "".join(kept) + f"\n.PHONY: {' '.join(targets)}\n"
