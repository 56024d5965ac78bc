"""depositdesk.resources."""
