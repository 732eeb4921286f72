"""The planner and the plan model: items, priorities, owners, dates, provenance."""
