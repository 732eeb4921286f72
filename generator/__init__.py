"""opsbook: an operations playbook as code."""

__version__ = "0.1.0"
