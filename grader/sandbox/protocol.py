"""Every message of the grader's two channels, and their wire formats.

**The control channel** (grader <-> a slot's fork server; a SOCK_SEQPACKET socket, one JSON object per
packet). The grader sends ``spawn`` with one end of a fresh socket pair attached, and ``kill``; the
server answers ``ready`` (TensorFlow imported), ``failed`` (it could not be), ``spawned`` and
``exited`` (the attempt's processes are all gone and the slot is clean again).

**The job channel** (grader <-> one attempt; a stream socket of length-prefixed frames). The grader
sends the job (the notebook's code, the cells to skip, the exercises) and, once the cells have run,
the cases; these frames are pickles, trusted, since only the grader writes them. The sandbox answers,
in this order: ``hello``, ``cell`` (before each cell), ``cells_done``, then per exercise
``observing`` and ``report``, and ``done`` (``attempt.py`` enforces the order). Its frames are
untrusted, so they are JSON: NumPy arrays travel as dtype, shape and raw bytes (numeric and boolean
dtypes only) and are decoded with ``np.frombuffer``, never with pickle, so a hostile submission can
send wrong data but can never make the grader run code.
"""

from __future__ import annotations

import base64
import json
import pickle
import re
import struct

import numpy as np

HEADER = struct.Struct("!I")
#: The largest frame either side accepts. A report of this course is well under 1 MB.
MAX_FRAME = 32 * 2**20

_ARRAY, _TUPLE, _OTHER = "\x00ndarray", "\x00tuple", "\x00other"
_DTYPE = re.compile(r"^[<>|=]?[biufc][0-9]{1,2}$")


# -- control channel ----------------------------------------------------------------------------------
SPAWN, KILL = "spawn", "kill"  # grader -> server
READY, FAILED, SPAWNED, EXITED = "ready", "failed", "spawned", "exited"  # server -> grader
# -- job channel, sandbox -> grader (key "t") --------------------------------------------------------
HELLO, CELL, CELLS_DONE, OBSERVING, REPORT, DONE = "hello", "cell", "cells_done", "observing", "report", "done"


def control_packet(op: str, **fields) -> bytes:
    return json.dumps({"op": op, **fields}).encode()


def read_control(packet: bytes) -> dict | None:
    """A control message, or None if the packet is not one (the server never sends such packets)."""
    try:
        message = json.loads(packet)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


class ProtocolError(Exception):
    """A frame that does not follow the protocol: the sandbox sent something it never would."""


# -- encoding (sandbox side) ------------------------------------------------------------------------
def to_plain(value, depth: int = 0):
    """``value`` as JSON-ready data; arrays and tuples tagged so they come back as they were."""
    if depth > 40:
        raise ProtocolError("report nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        array = np.array(value, order="C")  # not ascontiguousarray, which makes a 0-d array 1-d
        if array.dtype.kind not in "biufc":
            return {_OTHER: f"ndarray of dtype {array.dtype}"}
        return {_ARRAY: [array.dtype.str, list(array.shape), base64.b64encode(array.tobytes()).decode("ascii")]}
    if isinstance(value, tuple):
        return {_TUPLE: [to_plain(item, depth + 1) for item in value]}
    if isinstance(value, list):
        return [to_plain(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item, depth + 1) for key, item in value.items()}
    return {_OTHER: type(value).__name__}


def json_frame(message: dict) -> bytes:
    body = json.dumps(to_plain(message), allow_nan=True).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise ProtocolError(f"frame of {len(body)} bytes is larger than {MAX_FRAME}")
    return HEADER.pack(len(body)) + body


def pickle_frame(message) -> bytes:
    """A frame from the grader to the sandbox (the job, then the cases): trusted, so a pickle."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


# -- decoding (grader side: the input is untrusted) -----------------------------------------------
def _from_plain(value):
    if isinstance(value, list):
        return [_from_plain(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, item),) = value.items()
        if key == _ARRAY:
            return _decode_array(item)
        if key == _TUPLE:
            if not isinstance(item, list):
                raise ProtocolError("malformed tuple")
            return tuple(_from_plain(x) for x in item)
        if key == _OTHER:
            return {"unsupported": str(item)[:200]}
    return {key: _from_plain(item) for key, item in value.items()}


def _decode_array(item) -> np.ndarray:
    try:
        dtype_text, shape, data = item
        if not (isinstance(dtype_text, str) and _DTYPE.match(dtype_text)):
            raise ProtocolError(f"dtype {dtype_text!r} is not allowed")
        dtype = np.dtype(dtype_text)
        if dtype.kind not in "biufc" or not all(isinstance(n, int) and 0 <= n for n in shape) or len(shape) > 32:
            raise ProtocolError("malformed array")
        raw = base64.b64decode(data.encode("ascii"), validate=True)
        size = 1
        for n in shape:
            size *= n
        if size * dtype.itemsize != len(raw):
            raise ProtocolError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    except ProtocolError:
        raise
    except Exception as exc:
        raise ProtocolError(f"malformed array: {type(exc).__name__}") from None


def decode_json(body: bytes) -> dict:
    try:
        message = json.loads(body.decode("utf-8"))
    except Exception as exc:  # includes RecursionError for absurdly nested input
        raise ProtocolError(f"frame is not JSON ({type(exc).__name__})") from None
    if not isinstance(message, dict):
        raise ProtocolError("frame is not an object")
    try:
        return _from_plain(message)
    except RecursionError:
        raise ProtocolError("frame nested too deeply") from None


class FrameReader:
    """Collects bytes as they arrive and yields complete frame bodies."""

    def __init__(self, limit: int = MAX_FRAME):
        self.buffer = bytearray()
        self.limit = limit

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        bodies = []
        while len(self.buffer) >= HEADER.size:
            (length,) = HEADER.unpack_from(self.buffer)
            if length > self.limit:
                raise ProtocolError(f"frame of {length} bytes is larger than {self.limit}")
            if len(self.buffer) < HEADER.size + length:
                break
            bodies.append(bytes(self.buffer[HEADER.size : HEADER.size + length]))
            del self.buffer[: HEADER.size + length]
        return bodies


# -- blocking helpers (sandbox side) ----------------------------------------------------------------
def write_all(fd: int, data: bytes, write) -> None:
    view = memoryview(data)
    while view:
        written = write(fd, view)
        view = view[written:]


def read_frame(fd: int, read) -> bytes:
    header = _read_exactly(fd, HEADER.size, read)
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME:
        raise ProtocolError("frame too large")
    return _read_exactly(fd, length, read)


def _read_exactly(fd: int, n: int, read) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the grader closed the connection")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
