"""What rules mean, shared by both back ends: the semantics, chaining over derived facts, the
reference evaluator and what an evaluation hands on."""
