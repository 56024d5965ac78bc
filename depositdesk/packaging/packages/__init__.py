"""Submission packages: one folder per target with its metadata, data files, README and MANIFEST.tsv."""
