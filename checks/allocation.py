"""Which variant of each exercise is whose: a function of the learner's id and the class's salt.

A class that hands out variants says so in classroom.toml::

    [variants]
    enabled = true
    salt = "autumn-2026"                      # a new salt, a new share-out: one per class
    [variants.offered]                        # optional: the variants an exercise hands out (default: all)
    count_words = ["occurrences", "presence"]
    [variants.moved]                          # optional: one learner on another variant, nobody else moved
    "12345" = { sentence_vectors = "maximum" }

``Allocation.variant_of(learner, exercise)`` is rendezvous (highest-random-weight) hashing: every
offered variant gets the score SHA-256(salt, exercise, learner, variant), and the highest wins. So:

- it reproduces anywhere, for ever: SHA-256 of UTF-8 text, never a library's random generator (whose
  stream may change with a release, as PrairieLearn's seeds stopped reproducing, #10683) nor Python's
  ``hash()`` (salted per process);
- the order the variants are listed in moves nobody; offering one more variant moves only the learners
  it wins (one in n + 1), withdrawing one moves only its own learners, and ``moved`` moves one learner
  and nobody else (WeBWorK's problem library could not, PR #420);
- the learner's id is compared in a normal form (letters and digits only, case folded), so " Jane.Doe"
  and "jane doe" are one learner, as an LMS id typed by hand should be.

The same allocation is read by the learner's notebook (``checks.variation``: from the release's record,
``checks/variants.json``, or from the course's classroom.toml) and by the grader, which reads the id the
platform gives instead of the one the notebook claims. Nothing here imports TensorFlow.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

#: The keys of classroom.toml's [variants] table.
KEYS = ("enabled", "salt", "offered", "moved")
#: The release's record of the allocation, inside the learners' copy of ``checks``.
RECORD = Path(__file__).resolve().parent / "variants.json"


class AllocationError(ValueError):
    """classroom.toml's [variants] says something the course cannot do; the message says what."""


def normal_form(learner: str) -> str:
    """The learner's id as it is compared: letters and digits only, case folded ("Jane.Doe@X" and
    "janedoe x" are one id). Empty when it holds neither."""
    text = unicodedata.normalize("NFKC", str(learner)).casefold()
    return "".join(character for character in text if character.isalnum())


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).digest()


def learner_digest(salt: str, learner: str) -> str:
    """How a moved learner is named in a release's record: their id hashed with the salt, so that the
    record a learner downloads names nobody."""
    return _digest("moved", salt, normal_form(learner)).hex()


@dataclass(frozen=True)
class Allocation:
    salt: str
    offered: dict  # exercise name -> the variant keys it hands out, the course's own first
    moved: dict = field(default_factory=dict)  # learner_digest -> {exercise name: variant key}

    def variant_of(self, learner: str, exercise: str) -> str:
        """The key of the variant of ``exercise`` that is ``learner``'s."""
        keys = self.offered[exercise]
        chosen = self.moved.get(learner_digest(self.salt, learner), {}).get(exercise)
        if chosen in keys:
            return chosen
        identity = normal_form(learner)
        return max(keys, key=lambda key: _digest("variant", self.salt, exercise, identity, key))

    def varied(self) -> list[str]:
        """The exercises that hand out more than one variant."""
        return [name for name, keys in self.offered.items() if len(keys) > 1]

    def with_moved(self, record: dict | None) -> Allocation:
        """This allocation, with the learners moved in a release's ``record`` (hashed) as well, where that
        record was made with the same salt: a learner's repository carries its moved learners there only."""
        given = (record or {}).get("allocation") or {}
        if given.get("salt") != self.salt or not given.get("moved"):
            return self
        return Allocation(self.salt, self.offered, {**given["moved"], **self.moved})

    def record(self) -> dict:
        """As the release records it (``checks/variants.json``): plain data, moved learners hashed."""
        return {"salt": self.salt, "offered": {n: list(k) for n, k in self.offered.items()}, "moved": self.moved}

    @classmethod
    def from_record(cls, data: dict) -> Allocation:
        offered = {name: tuple(keys) for name, keys in data["offered"].items()}
        return cls(str(data["salt"]), offered, {k: dict(v) for k, v in data.get("moved", {}).items()})


def from_table(table, families: dict, where: str = "classroom.toml") -> Allocation | None:
    """The allocation classroom.toml's [variants] table declares, or None when it is not enabled (the
    default: every learner does the course's own task). ``families``: exercise name -> the keys of
    its variants, the course's own first. A table that says what the course cannot do raises
    AllocationError with one sentence."""
    where = f"{where}, [variants]"
    if not isinstance(table, dict):
        raise AllocationError(f"{where} must be a table with the keys {', '.join(KEYS)}.")
    for key in table:
        if key not in KEYS:
            raise AllocationError(f"{where}: unknown key {key!r}; the keys are {', '.join(KEYS)}.")
    enabled = table.get("enabled", False)
    if not isinstance(enabled, bool):
        raise AllocationError(f"{where}: enabled must be true or false; it is {enabled!r}.")
    varied = {name: keys for name, keys in families.items() if len(keys) > 1}
    offered = {name: tuple(keys) for name, keys in varied.items()}
    given = table.get("offered", {})
    if not isinstance(given, dict):
        raise AllocationError(f"{where}.offered must be a table: exercise = [its variants' keys].")
    for name, keys in given.items():
        if name not in varied:
            raise AllocationError(
                f"{where}.offered: {name!r} has no variants; the exercises with variants are {', '.join(varied)}."
            )
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise AllocationError(f"{where}.offered: {name} must be a list of its variants' keys, one or more.")
        unknown = [k for k in keys if k not in varied[name]]
        if unknown:
            raise AllocationError(
                f"{where}.offered: {name} has no variant {unknown[0]!r}; its variants are {', '.join(varied[name])}."
            )
        offered[name] = tuple(k for k in varied[name] if k in keys)  # the course's order, duplicates dropped
    salt = table.get("salt", "")
    if enabled and (not isinstance(salt, str) or not salt.strip()):
        raise AllocationError(
            f'{where}: with enabled = true, salt must be a word of your own, such as "autumn-2026" '
            "(a new salt hands out a new set of variants)."
        )
    moved = _moved(table.get("moved", {}), offered, str(salt), where)
    return Allocation(str(salt), offered, moved) if enabled else None


def _moved(table, offered: dict, salt: str, where: str) -> dict:
    if not isinstance(table, dict):
        raise AllocationError(f'{where}.moved must be a table: "<learner id>" = {{ exercise = "variant" }}.')
    moved: dict = {}
    for learner, choices in table.items():
        if not normal_form(learner):
            raise AllocationError(f"{where}.moved: {learner!r} is no learner id (it has no letter or digit).")
        if not isinstance(choices, dict) or not choices:
            raise AllocationError(f'{where}.moved: "{learner}" must be a table such as {{ count_words = "presence" }}.')
        for name, key in choices.items():
            if name not in offered:
                raise AllocationError(f"{where}.moved: {learner}: {name!r} hands out no variants.")
            if key not in offered[name]:
                raise AllocationError(
                    f"{where}.moved: {learner}: {name} hands out no variant {key!r}; "
                    f"it hands out {', '.join(offered[name])}."
                )
        digest = learner_digest(salt, learner)
        moved[digest] = {**moved.get(digest, {}), **choices}
    return moved


def read_record(path: Path = RECORD) -> dict | None:
    """The release's record (allocation and fingerprints), or None where there is none."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
