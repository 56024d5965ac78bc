"""Developer tools (the set-up script dd.py is also run directly as a file)."""
