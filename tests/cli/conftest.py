"""The CLI tests that need durable_rules' C core run only where it imports (not on Python 3.13)."""

from generator.rules.backends import durable_available

collect_ignore = [] if durable_available() else ["test_fact_limits.py"]
