"""Run notebooks top to bottom in their own kernel and write, as JSON, which cells raised what.

The fresh-machine test runs this inside the machine with the course's venv (nbclient comes with
JupyterLab), so it needs nothing the course does not install:
    python smoke_notebooks.py REPORT.json NOTEBOOK.ipynb ...
Every cell runs even after an error, as "Run All" does for a learner whose check cells fail.
"""

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CELL_TIMEOUT = 600


def run(path: Path) -> dict:
    notebook = nbformat.read(path, as_version=4)
    kernel = notebook.metadata.get("kernelspec", {}).get("name", "")
    NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name=kernel,
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    cells = [
        {
            "check": "check" in cell.metadata.get("tags", []),
            "errors": [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"],
            "source": cell.source.splitlines()[0] if cell.source else "",
        }
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    return {"notebook": str(path), "kernel": kernel, "cells": cells}


if __name__ == "__main__":
    report, *notebooks = sys.argv[1:]
    Path(report).write_text(json.dumps([run(Path(name)) for name in notebooks], indent=1))
