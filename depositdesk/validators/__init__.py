"""depositdesk.validators."""
