"""Tests of the durable back end itself run only where durable_rules imports (not on 3.13);
the differential test then checks the pure-Python back end against the reference alone."""

from generator.rules.backends import durable_available

collect_ignore = [] if durable_available() else ["test_engine.py", "test_engine_failures.py"]
