"""depositdesk.widgets."""
