"""The pure-Python rules back end."""
