"""Imports declare_enable.py; with import_twice_b.py it is imported twice, and counts once."""

module = {"imports": ["declare_enable.py"]}
