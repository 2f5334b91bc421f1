"""Imports declare_enable.py through a different relative path."""

module = {"imports": ["./disable_recursive/../declare_enable.py"]}
