"""Running untrusted notebooks: a pool of slots, each a fork server in its own bubblewrap sandbox.

* ``pool.py``: the slots, scheduling, the limits kept from outside, retries;
* ``attempt.py``: one attempt's state machine (``Phase``) and what it learned (``Run``);
* ``client.py``: a slot's fork server from the grader's side; ``server.py``: the fork server;
* ``worker.py``: what an attempt does (cells, then observations); ``guard.py``: undoing monkeypatches;
* ``protocol.py``: the messages of both channels (control and job) and their wire formats;
* ``isolation/``: the bubblewrap sandbox, the limits, the process helpers.
"""
