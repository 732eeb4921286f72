"""The JSON Schemas opsbook ships (`opsbook schema NAME`), as files in this folder.

The facts schema is made from the KB's fact vocabulary and the facts loader's own definitions
(facts_schema.py here); `python -m generator.schemas` writes it again after either changes, and a test
fails while the shipped file differs from what that command writes."""
