"""One module per exercise: what it checks, on which cases, its hint and its solution."""
