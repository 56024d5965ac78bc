"""DepositDesk: prepare, validate and package public data submissions offline."""

__version__ = "0.1.0"
