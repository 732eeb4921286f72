"""The Mermaid Gantt helper for client plans: (phase, item, start, due) rows -> gantt text."""

from __future__ import annotations

from datetime import date

import pytest

from generator.site.gantt import gantt

D1, D2, D3 = date(2026, 12, 1), date(2026, 12, 15), date(2027, 1, 10)


def test_one_section_per_phase_in_order_of_first_appearance() -> None:
    text = gantt([("洞察", "列出决策问题", D1, D2), ("策略", "设定 SMART 目标", D2, D3),
                  ("洞察", "编制调研方法矩阵", D1, D3)], title="Acme 计划")
    assert text == (
        "gantt\n"
        "    dateFormat YYYY-MM-DD\n"
        "    axisFormat %m-%d\n"
        "    inclusiveEndDates\n"
        "    todayMarker off\n"
        "    title Acme 计划\n"
        "    section 洞察\n"
        "    列出决策问题 :2026-12-01, 2026-12-15\n"
        "    编制调研方法矩阵 :2026-12-01, 2027-01-10\n"
        "    section 策略\n"
        "    设定 SMART 目标 :2026-12-15, 2027-01-10\n"
    )


def test_names_cannot_break_the_gantt_syntax() -> None:
    text = gantt([("Phase: one; #1", "Fix: the bug; #2\nnow", D1, D1)])
    assert "    section Phase： one； ＃1\n" in text
    assert "    Fix： the bug； ＃2 now :2026-12-01, 2026-12-01\n" in text


@pytest.mark.parametrize("name", ["section x", "title y", "dateFormat z", "%% comment", "click me"])
def test_a_name_that_reads_like_a_statement_stays_a_name(name: str) -> None:
    task_line = gantt([("p", name, D1, D2)]).splitlines()[-1]
    assert task_line == f"    \u200b{name} :2026-12-01, 2026-12-15"


def test_no_rows_is_an_empty_chart() -> None:
    assert gantt([]).splitlines() == ["gantt", "    dateFormat YYYY-MM-DD", "    axisFormat %m-%d",
                                      "    inclusiveEndDates", "    todayMarker off"]


def test_rows_without_a_phase_get_no_section_and_ticks_can_be_set() -> None:
    text = gantt([("", "列出决策问题", D1, D2)], tick_interval="1week")
    assert "section" not in text and "    tickInterval 1week\n" in text


def test_an_item_due_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="due"):
        gantt([("p", "late", D2, D1)])
