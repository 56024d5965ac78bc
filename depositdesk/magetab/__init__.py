"""depositdesk.magetab."""
