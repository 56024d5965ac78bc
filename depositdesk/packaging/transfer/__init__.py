"""Resumable, checksum-verified uploads of a built package (no Qt).

``journal`` records per file what the server has confirmed; ``retry`` is the one retry policy and
the error classification; ``ftp`` and ``zenodo`` are the transports; ``runner`` uploads a package.
"""
