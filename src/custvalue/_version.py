"""The single place where custvalue's version is defined."""

__version__ = "0.1.0.dev0"
