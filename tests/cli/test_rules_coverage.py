"""`rules test --coverage` counts KPIs too: every KPI is read by a rule some case fires."""

from __future__ import annotations

import re


def test_coverage_counts_every_rule_step_and_kpi(run_cli) -> None:
    code, out, err = run_cli("rules", "test", "--coverage")
    assert code == 0, out + err
    for what in ("rules fired", "steps reached", "kpis exercised"):
        hit, total = map(int, re.search(rf"{what}: (\d+)/(\d+)", out).groups())  # type: ignore[union-attr]
        assert hit == total > 0, out
    assert "never" not in out
