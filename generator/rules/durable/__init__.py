"""The durable_rules back end: rules compiled into durable rulesets, run in its C core.

compiler.py turns rules into a `Program` (program.py) of shards: each condition becomes
durable test nodes (condition_nodes.py; each leaf by its operator, leaf_nodes.py), in the
intermediate form of nodes.py, cut to fit durable's fixed-size tables (splitting.py).
engine.py runs a program for one client's facts: the facts as durable's JSON (fact_json.py,
with the values durable can hold, values.py) go to the rulesets registered with durable's
host (host.py). The pure-Python back end (rules/python/level_functions.py) gives the same results;
rules/backends.py chooses between them.
"""
