"""Saved web pages: read one as text (HTML parsed, encoding detected), and find its claims and citations with spans."""
