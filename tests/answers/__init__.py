"""A table of answers per exercise (right ones, and wrong ones with the verdict and the words its
message must have), shared by the check tests and anything that must judge them the same way."""
