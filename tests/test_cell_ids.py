"""Cell ids stay put: inserting a cell into a solution notebook changes that cell's id alone, in the
solution's canonical form and in its learner copy, so a diff shows the cell and nothing else."""

from __future__ import annotations

import nbformat

from tools import notebooks


def ids(nb) -> list[str]:
    return [cell.id for cell in nb.cells]


def test_inserting_a_cell_changes_only_that_cell_s_id():
    solution = notebooks.read(notebooks.solution_paths()[0])
    before = notebooks.formatted(solution)
    assert ids(notebooks.formatted(before)) == ids(before)  # the canonical form keeps its own ids
    inserted = notebooks.formatted(solution)
    inserted.cells.insert(3, nbformat.v4.new_markdown_cell("A new paragraph."))  # JupyterLab's random id
    after = notebooks.formatted(inserted)
    assert ids(after)[:3] + ids(after)[4:] == ids(before)
    assert ids(after)[3] not in ids(before) and notebooks.CELL_ID.fullmatch(ids(after)[3])
    name = notebooks.solution_paths()[0].stem
    learner_before, learner_after = notebooks.learner_copy(before, name), notebooks.learner_copy(after, name)
    assert set(ids(learner_after)) - set(ids(learner_before)) == {ids(after)[3]}
    assert len(set(ids(learner_after))) == len(learner_after.cells)


def test_a_copied_cell_and_a_cell_without_a_canonical_id_get_fresh_unique_ones():
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_code_cell(f"x = {i}") for i in range(4)]
    for cell, cell_id in zip(cells, ("cell-01", "cell-07", "cell-07", "3f2a9c1e")):
        cell.id = cell_id
    nb.cells = cells
    assert ids(notebooks.formatted(nb)) == ["cell-01", "cell-07", "cell-08", "cell-09"]
    nb.cells = [nbformat.v4.new_markdown_cell("no ids yet") for _ in range(3)]
    assert ids(notebooks.formatted(nb)) == ["cell-01", "cell-02", "cell-03"]
