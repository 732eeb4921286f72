"""The Markdown plan as a manager reads it: a one-screen summary first (critical items, the first
30 days per person against their time, what does not fit), then items by start window, phase or
owner, each with its dates, effort, real owner and the role they cover for."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from generator.facts.client import load_facts
from generator.plan.model import PRIORITY_RANK, Plan
from generator.render import RENDERERS, View
from generator.render.plan_labels import LABELS
from generator.render.windows import WINDOWS

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TASK = re.compile(r"^- \[([ x])\] \*\*.*\*\* `([a-z0-9.\-]+)`$")
SCREEN = 50  # lines: a laptop's terminal or a browser window of rendered Markdown


def _plan(playbook, name: str, lang: str = "en") -> Plan:
    return playbook.plan(load_facts(ROOT / "examples" / f"{name}.yaml", playbook.kb), lang)


@pytest.fixture(scope="module")
def coffee(playbook) -> Plan:
    return _plan(playbook, "coffee-chain")


@pytest.fixture(scope="module")
def founders(playbook) -> Plan:
    return _plan(playbook, "education-startup")


def text_of(plan: Plan, view: View | None = None) -> str:
    return RENDERERS["md"].render(plan, view).decode()


def sections(text: str) -> list[tuple[str, list[str]]]:
    """(## heading, its lines) in order."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            out.append((line[3:], []))
        elif out:
            out[-1][1].append(line)
    return out


def task_ids(lines: list[str]) -> list[str]:
    return [m.group(2) for line in lines if (m := TASK.match(line))]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_comes_first_and_fits_one_screen(playbook, path: Path, lang: str) -> None:
    text = text_of(_plan(playbook, path.stem, lang))
    head, rest = text.split("\n## ", 2)[:2]
    summary = rest.split("\n## ")[0]
    assert summary.startswith(LABELS[lang]["glance"])
    assert "- [ ]" not in head + summary, "no task before the summary ends"
    assert len((head + summary).splitlines()) <= SCREEN


def test_critical_items_open_the_summary_soonest_first(coffee: Plan) -> None:
    chosen = set(range(0, 70, 10))  # seven items made critical
    items = tuple(i._replace(priority="critical" if n in chosen else "high") for n, i in enumerate(coffee.items))
    summary = sections(text_of(dataclasses.replace(coffee, items=items)))[0][1]
    critical = sorted((i for i in items if i.priority == "critical"), key=lambda i: i.start)
    listed = [line for line in summary if line.startswith("- **") and "` · " in line]
    assert len(listed) == 5 and "2 more critical items below." in summary
    for line, item in zip(listed, critical, strict=False):
        assert line.startswith(f"- **{item.title}** `{item.id}` · {item.owner_title} · {item.start.isoformat()}")


def _person_lines(plan: Plan) -> dict[str, str]:
    summary = sections(text_of(plan))[0][1]
    return {title: line for line in summary for title in plan.workload.titles.values()
            if line.startswith(f"- **{title}** (")}


def test_first_30_days_per_person_counts_their_starts_against_their_time(coffee: Plan) -> None:
    end = coffee.start_date + dt.timedelta(days=30)
    lines = _person_lines(coffee)
    assert len(lines) >= 3
    for owner, title in coffee.workload.titles.items():
        starting = [i for i in coffee.items if i.owner == owner and i.start < end]
        if not starting:
            assert title not in lines
            continue
        match = re.search(r"work in these days: ([\d.]+) of ([\d.]+) person-days · (\d+) starting: (.*)", lines[title])
        assert match, lines[title]
        load, capacity, count = float(match.group(1)), float(match.group(2)), int(match.group(3))
        assert count == len(starting)
        assert 0 < load <= capacity + 0.05, "the schedule never books more than the owner's time"
        assert capacity == pytest.approx(coffee.workload.capacity[owner] * 22, abs=0.05)  # 22 working days
        first = min(starting, key=lambda i: (i.start, PRIORITY_RANK[i.priority]))
        assert match.group(4).startswith(f"{first.title} ({first.start.isoformat()})")


def _short_of_time(plan: Plan) -> Plan:
    """The plan with a workload that does not fit: short-horizon work and recurring work past the
    operations manager's time, short-horizon work past the sales lead's."""
    recurring = tuple(i.id for i in plan.items if i.recurrence and i.owner == "ops-manager")
    workload = dataclasses.replace(plan.workload, late_short={"ops-manager": 12.5, "sales-lead": 40.0},
                                   unsustained=recurring)
    return dataclasses.replace(plan, workload=workload)


def test_what_does_not_fit_is_said_per_owner_the_most_first(founders: Plan) -> None:
    plan = _short_of_time(founders)
    titles, recurring = plan.workload.titles, len(plan.workload.unsustained)
    summary = sections(text_of(plan))[0][1]
    fit = summary[summary.index(f"### {LABELS['en']['not_fit']}") + 2:]
    assert recurring
    sales = titles["sales-lead"]
    assert fit[0] == f"- 40 person-days of short-horizon work for {sales} do not fit in the first 90 days"
    assert fit[1].startswith(f"- 12.5 person-days of short-horizon work for {titles['ops-manager']} do not fit in "
                             f"the first 90 days; recurring work beyond their capacity ({recurring}): ")
    assert "`team`" in fit[3] and "`plan_share`" in fit[3], "says how to make it fit"


def test_a_plan_that_fits_says_so(founders: Plan) -> None:
    fits = dataclasses.replace(founders, workload=dataclasses.replace(founders.workload, late_short={},
                                                                      unsustained=()))
    assert LABELS["en"]["all_fits"] in text_of(fits)


def _window(plan: Plan, heading: str) -> int:
    return next(n for n, (key, _) in enumerate(WINDOWS) if heading.startswith(LABELS[plan.lang][key] + " ("))


def test_items_are_grouped_by_start_window_soonest_then_most_important_first(coffee: Plan) -> None:
    by_id = {i.id: i for i in coffee.items}
    groups = [(h, task_ids(lines)) for h, lines in sections(text_of(coffee))[1:] if task_ids(lines)]
    windows = [_window(coffee, h) for h, _ in groups]
    assert windows == sorted(windows) and len(windows) >= 3
    assert sorted(i for _, ids in groups for i in ids) == sorted(by_id), "every item once"
    for (heading, ids), n in zip(groups, windows, strict=True):
        first, end = (WINDOWS[n - 1][1] if n else 0), WINDOWS[n][1]
        for item_id in ids:
            days = (by_id[item_id].start - coffee.start_date).days
            assert days >= (first or 0) and (end is None or days < end), (heading, item_id)
        order = [(by_id[i].start, PRIORITY_RANK[by_id[i].priority]) for i in ids]
        assert order == sorted(order), heading


def test_each_item_shows_dates_effort_owner_and_the_role_covered(founders: Plan) -> None:
    text = text_of(founders)
    covering = next(i for i in founders.items if i.owner_role != founders.items[0].owner and i.owner_role != i.owner)
    block = text.split(f"`{covering.id}`\n", 1)[1].split("\n\n", 1)[0]
    meta = block.splitlines()[0]
    assert meta.startswith(f"  - {covering.start.isoformat()}")
    assert covering.due.isoformat() in meta and f"{covering.effort:g} person-day" in meta
    assert f"Owner: {covering.owner_title} (covers for {covering.owner_role_title})" in meta
    own = next(i for i in founders.items if i.owner_role == i.owner)
    assert "covers for" not in text.split(f"`{own.id}`\n", 1)[1].split("\n\n", 1)[0]


def test_chinese_plan_uses_chinese_words(playbook) -> None:
    text = text_of(_plan(playbook, "education-startup", "zh"))
    for key in ("glance", "critical", "not_fit", "window_30", "owner", "priority", "why"):
        assert LABELS["zh"][key] in text, key
    assert "（兼任" in text and "人日" in text
    assert not re.search(r"person-day|covers for|First 30 days", text)


def test_group_by_phase_keeps_the_playbook_layout(coffee: Plan) -> None:
    text = text_of(coffee, View(group_by="phase"))
    phases = [h for h, _ in sections(text)[1:] if h in coffee.phase_titles.values()]
    assert len(phases) >= 5
    assert task_ids(text.splitlines()) == [i.id for i in coffee.items]
    assert "\n### " + coffee.items[0].step_title + "\n" in text


def test_group_by_owner_gives_each_person_their_own_list(founders: Plan) -> None:
    by_id = {i.id: i for i in founders.items}
    groups = [(h, task_ids(lines)) for h, lines in sections(text_of(founders, View(group_by="owner")))[1:]]
    groups = [(h, ids) for h, ids in groups if ids]
    assert len(groups) == len({i.owner for i in founders.items})
    for heading, ids in groups:
        owners = {by_id[i].owner_title for i in ids}
        assert len(owners) == 1 and heading.startswith(owners.pop() + " (")
        assert [by_id[i].start for i in ids] == sorted(by_id[i].start for i in ids)


def test_window_lists_early_items_and_says_how_many_follow(coffee: Plan) -> None:
    text = text_of(coffee, View(window=14))
    end = coffee.start_date + dt.timedelta(days=14)
    early = [i.id for i in coffee.items if i.start < end]
    shown = task_ids(text.splitlines())
    assert sorted(shown) == sorted(early) and 0 < len(shown) < len(coffee.items)
    assert f"{len(coffee.items) - len(early)} more items start on or after {end.isoformat()}" in text


def test_window_still_lists_ticked_items_so_an_update_keeps_them(coffee: Plan) -> None:
    late = coffee.items[-1]
    ticked = dataclasses.replace(coffee, items=(*coffee.items[:-1], late._replace(done=True)))
    assert (late.start - coffee.start_date).days > 14
    assert f"- [x] **{late.title}** `{late.id}`" in text_of(ticked, View(window=14))
