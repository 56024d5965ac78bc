"""depositdesk.packaging."""
