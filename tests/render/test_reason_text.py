"""The Markdown reason of an item is written once per reason and reused (a rule shares it among
the items it puts in the plan); a reason whose values cannot be hashed is written all the same."""

from __future__ import annotations

from generator.plan.model import Reason
from generator.render.text import _cached_reason_md, _reason_md
from generator.rules.meaning.results import Match


def test_a_cached_reason_reads_as_one_written_anew() -> None:
    reason = Reason("cs-high", "base", "Complaints *high*", (Match("kpis.complaint_rate", "gt", 0.03, 0.07),))
    assert _cached_reason_md(reason, "en") == _reason_md(reason, "en") == _cached_reason_md(reason, "en")
    assert _cached_reason_md(reason, "zh") == _reason_md(reason, "zh")


def test_a_reason_that_cannot_be_hashed_is_still_written() -> None:
    reason = Reason("r", "base", "Listed", (Match("channels", "contains", "online_store", ["online_store"]),))
    assert _cached_reason_md(reason, "en") == _reason_md(reason, "en")
    assert "online_store" in _cached_reason_md(reason, "en")
