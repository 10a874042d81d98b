"""Private machinery shared by custvalue's subpackages; not a public API."""
