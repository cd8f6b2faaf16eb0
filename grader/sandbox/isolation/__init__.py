"""What keeps a submission in its place: the bubblewrap sandbox of a slot (``bubblewrap.py``), the
limits of one submission (``limits.py``) and the helpers that find, reap and end processes
(``processes.py``)."""
