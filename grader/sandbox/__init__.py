"""Running untrusted notebooks: a pool of slots, each a fork server in its own bubblewrap sandbox.
Nothing here imports the course: the grader hands the pool a ``Workload`` (``workload.py``) naming
the exercises to observe by import path, and the sandboxed server imports them itself.

* ``pool.py``: the slots and their scheduling, and the pool's housekeeping (its temporary folders,
  and, without a sandbox, ending what submissions left running); ``watchdog.py``: the limits kept
  from outside; ``slots.py``: starting and restarting each slot's fork server; ``retries.py``: what
  follows an attempt that ended early;
* ``attempt.py``: one attempt's state machine (``Phase``); ``runs.py``: what the sandbox learned (the
  records the grader's marking reads);
* ``client.py``: a slot's fork server from the grader's side; ``server.py``: the fork server;
* ``worker.py``: what an attempt does (cells, then observations); ``guard.py``: undoing monkeypatches;
* ``protocol.py``: the messages of both channels (control and job) and their wire formats;
* ``isolation/``: the bubblewrap sandbox, the limits (``limits.py``), the process helpers.
"""
