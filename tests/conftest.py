"""Shared set-up for the tests: a quiet TensorFlow, as the notebooks have."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


def pytest_collection_modifyitems(items):
    """The longest files first. `make test` hands whole files to pytest-xdist's workers in this order, so
    the long ones start at once and the many quick ones fill the gaps at the end, rather than one long
    file starting last and running alone. A file's `slow` marker may say how long it takes
    (`pytest.mark.slow(minutes=2)`; 1 when it does not); the order is otherwise kept."""

    def minutes(item) -> float:
        slow = item.get_closest_marker("slow")
        return slow.kwargs.get("minutes", 1) if slow else 0

    longest = {}
    for item in items:
        longest[item.path] = max(longest.get(item.path, 0), minutes(item))
    items.sort(key=lambda item: -longest[item.path])
