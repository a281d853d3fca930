"""The Typer command line: parse, load, compute, render, exit; the one error boundary."""
