"""depositdesk.ontology."""
