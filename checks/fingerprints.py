"""What a release records of each variant, so that a later edit that changes a learner's task is seen
before grading, never silently (CodeRunner's documentation warns of exactly that; PrairieLearn, #1041,
froze variants and left learners on a broken one).

``of_variant(variant)`` hashes three things apart, so a change can be said in words: its public cases (the
inputs the learner's check runs, seeds included), its statement (the task the learner reads) and its
reference solution's code (what right means, for the exercises judged against one). ``record(...)`` is
what ``make release`` writes (into the release's ``checks/variants.json`` and, for the instructor, beside
classroom.toml); ``changes(recorded, now)`` says, one sentence each, what differs: what ``make grade`` and
``make release`` print before they go on. Nothing here imports TensorFlow.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from checks import registry
from checks.expected import fingerprint

#: The instructor's copy of the release's record, written beside classroom.toml by ``make release``.
RELEASED_NAME = "variants-released.json"
PARTS = {
    "cases": "its public cases (the inputs the learners' checks run)",
    "statement": "its task's text",
    "reference": "its reference solution",
}


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def of_variant(variant) -> dict:
    """The variant's three fingerprints: public cases, statement, reference solution (None: none)."""
    cases = "\n".join(fingerprint(case) for case in variant.public_cases())
    reference = variant.solution_code
    return {
        "cases": _hash(cases),
        "statement": _hash(variant.statement.strip()),
        "reference": None if reference is None else _hash(reference.strip()),
    }


def of_course(offered: dict) -> dict:
    """{exercise: {variant key: fingerprints}} for the variants ``offered`` ({exercise: keys})."""
    return {name: {key: of_variant(registry.VARIANTS[name][key]) for key in keys} for name, keys in offered.items()}


def record(allocation, release: str) -> dict:
    """What a release records: its name, the allocation and every offered variant's fingerprints."""
    return {"release": release, "allocation": allocation.record(), "variants": of_course(allocation.offered)}


def read(path: Path) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def changes(recorded: dict, allocation) -> list[str]:
    """What differs between a release's record and the course as it is now (``allocation``: classroom.toml's),
    one sentence each, in course order; empty when nothing a learner sees or is graded on has changed."""
    said = []
    released = recorded.get("allocation") or {}
    if released.get("salt") != allocation.salt:
        said.append(
            "the salt in classroom.toml is not the one released: every learner's variants are drawn anew, so "
            "most learners are graded on another task than the one their notebook showed"
        )
    then = {name: tuple(keys) for name, keys in released.get("offered", {}).items()}
    for name, keys in allocation.offered.items():
        before = then.get(name, ())
        added, withdrawn = [k for k in keys if k not in before], [k for k in before if k not in keys]
        if added:
            said.append(f"{name} now hands out {_listed(added)}, not released: the learners it wins move to it")
        if withdrawn:
            said.append(f"{name} no longer hands out {_listed(withdrawn)}: its learners move to another variant")
    now = of_course({name: [k for k in keys if k in then.get(name, ())] for name, keys in allocation.offered.items()})
    for name, variants in now.items():
        for key, parts in variants.items():
            old = recorded.get("variants", {}).get(name, {}).get(key)
            if old is None:
                continue
            differ = [PARTS[part] for part in PARTS if old.get(part) != parts[part] and old.get(part) is not None]
            if differ:
                said.append(f'{name}, variant "{key}": {" and ".join(differ)} changed')
    return said


def _listed(keys) -> str:
    return ", ".join(f'"{key}"' for key in keys)
