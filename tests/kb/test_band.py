"""KPIs read as a band (`direction: band`): healthy between two bounds, bad on either side."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.kb.model import Band, Kpi, Text
from generator.kb.validate import validate_kb
from generator.plan.playbook import load_kb

ROOT = Path(__file__).parents[2]
ONE_SIDED = "direction: higher_is_better\n    range: {min: 0, max: 1}\n    thresholds: {warning: 0.3, critical: 0.2}"
T = Text("甲", "a")


def kpi(direction: str, band: Band | None = None) -> Kpi:
    return Kpi("k", T, T, T, "ratio", direction, 0, 1, None, None, "finance", (), False, band=band)


@pytest.mark.parametrize(("op", "level", "bad"), [
    ("lt", 0.65, True), ("le", 0.5, True), ("gt", 0.9, True), ("ge", 0.95, True),
    ("lt", 0.8, False), ("gt", 0.7, False), ("eq", 0.5, False)])
def test_a_band_is_bad_only_outside_it(op: str, level: float, bad: bool) -> None:
    assert kpi("band", Band(0.65, 0.9)).bad_side(op, level) is bad


@pytest.mark.parametrize(("direction", "op", "bad"), [
    ("higher_is_better", "lt", True), ("higher_is_better", "gt", False),
    ("lower_is_better", "gt", True), ("lower_is_better", "le", False)])
def test_a_one_sided_kpi_is_bad_on_one_side(direction: str, op: str, bad: bool) -> None:
    assert kpi(direction).bad_side(op, 0.5) is bad


@pytest.mark.parametrize("kpi_id", ["capacity_utilization", "billable_utilization"])
def test_utilisation_kpis_are_bands_in_the_shipped_kb(kpi_id: str) -> None:
    found = load_kb(ROOT / "kb").kpi_by_id[kpi_id]
    assert found.direction == "band" and found.band is not None
    assert (found.warning, found.critical) == (None, None), "a band keeps its levels in `band`"
    band = found.band
    assert band.critical_low is not None and found.min <= band.critical_low < band.low < band.high <= found.max


def _problems(root: Path, replacement: str) -> list[str]:
    kpis = root / "kb" / "kpis.yaml"
    text = kpis.read_text("utf-8")
    assert ONE_SIDED in text
    kpis.write_text(text.replace(ONE_SIDED, replacement, 1), "utf-8")
    return [str(p) for p in validate_kb(root / "kb").problems if p.severity == "error"]


def test_a_valid_band_loads(mini_playbook: Path) -> None:
    assert _problems(mini_playbook, "direction: band\n    range: {min: 0, max: 1}\n"
                                    "    band: {low: 0.3, high: 0.8, critical_low: 0.2, critical_high: 0.9}") == []
    loaded = load_kb(mini_playbook / "kb").kpi_by_id["retention_7d"]
    assert loaded.band == Band(0.3, 0.8, 0.2, 0.9)


@pytest.mark.parametrize(("replacement", "expected"), [
    ("direction: band\n    range: {min: 0, max: 1}",
     "kb/kpis.yaml:7:16: a KPI read as a band needs `band: {low, high}`"),
    ("direction: band\n    range: {min: 0, max: 1}\n    band: {low: 0.3, high: 0.8}\n"
     "    thresholds: {warning: 0.3, critical: 0.2}",
     "kb/kpis.yaml:10:17: a band KPI keeps its levels in `band`"),
    ("direction: band\n    range: {min: 0, max: 1}\n    band: {low: 0.3, high: 1.2}",
     "kb/kpis.yaml:9:28: band high 1.2 is outside the KPI's range (0 to 1)"),
    ("direction: band\n    range: {min: 0, max: 1}\n    band: {low: 0.8, high: 0.3}",
     "kb/kpis.yaml:9:28: band high 0.3 must lie above low 0.8"),
    ("direction: band\n    range: {min: 0, max: 1}\n    band: {low: 0.3, high: 0.8, critical_low: 0.4}",
     "kb/kpis.yaml:9:17: band low 0.3 must lie above critical_low 0.4"),
    ("direction: higher_is_better\n    range: {min: 0, max: 1}\n    band: {low: 0.3, high: 0.8}",
     "kb/kpis.yaml:9:11: `band` is for KPIs with `direction: band`"),
])
def test_band_mistakes_are_located(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch, replacement: str,
                                   expected: str) -> None:
    monkeypatch.chdir(mini_playbook)
    problems = _problems(Path("."), replacement)
    assert any(p.startswith(expected) for p in problems), problems
