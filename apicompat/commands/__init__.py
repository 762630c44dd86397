"""One module per sub-command; each imports the heavy layers only when it runs."""
