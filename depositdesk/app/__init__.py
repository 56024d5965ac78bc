"""depositdesk.app."""
