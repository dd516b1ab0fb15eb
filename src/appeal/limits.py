"""Limits on the size of what the tool reads, kept free of imports so any module can use them."""

#: A data file (recipients, campaign settings) larger than this is refused before it is read.
MAX_FILE_BYTES = 10 * 1024 * 1024
