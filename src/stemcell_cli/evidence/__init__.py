"""Pure functions over the model: look up, filter, tally, grade; no I/O, no printing."""
