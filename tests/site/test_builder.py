"""The plan builder in real Chromium: for generated facts covering every fact and value, the
plan the page computes (`window.opsbookPlan`, through the `#facts=` hook) is the plan
`opsbook plan FACTS --format json --start DATE` writes; the downloads are the CLI's files
byte for byte, the facts file the interview's; the form works with the keyboard alone, axe
finds nothing serious, and nothing is asked of another host.

One tab (`builder_tab`) serves the whole module, so Pyodide loads once."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sitetools import ROOT, Tab

from generator.cli.main import cli
from generator.facts.interview import questions
from generator.kb.model import KB, Fact

CASES = 120
AXE = ROOT / "tests" / "site" / "vendor" / "axe.min.js"
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
NAMES = ("Acme", "山屿咖啡", "<b>Bold</b> & Co", 'Ann\'s *shop* "2"', "a_b_c [x](y)", "Café #1 | ~z~")
# Weekends, a year's turn, China's long holidays and their adjusted working days, a leap day, and
# years beyond the calendar the page ships (the holidays library then runs in the browser).
DATES = ("2026-12-01", "2026-12-05", "2026-12-31", "2027-02-05", "2027-09-30", "2028-02-29", "2029-01-27",
         "2031-06-16", "2055-03-01")
COUNTRIES = ("US", "DE", "JP", "GB")


def encode(facts: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(facts, ensure_ascii=False).encode("utf-8")).decode().rstrip("=")


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *groups, leaf = key.split(".")
        target = nested
        for group in groups:
            target = target.setdefault(group, {})
        target[leaf] = value
    return nested


def _number(rng: random.Random, low: float, high: float | None) -> float:
    top = high if high is not None else low + 500
    return round(rng.uniform(low, top), rng.choice((0, 2, 3)))


def _value(fact: Fact, kb: KB, n: int, rng: random.Random) -> Any:
    """A value of `fact` for case `n`: enums and lists go round every value, the rest vary."""
    values = fact.value_ids
    if fact.type == "enum":
        return values[(n + rng.randrange(len(values)) * (n // len(values) % 2)) % len(values)]
    if fact.type == "list":
        return sorted({values[n % len(values)], *rng.sample(values, rng.randint(0, 3))}, key=values.index)
    if fact.type == "bool":
        return rng.random() < 0.5
    if fact.type == "string":
        return NAMES[n % len(NAMES)] if fact.id == "client.name" else f"note {n}: {rng.choice(NAMES)}"
    if fact.type == "integer":
        return rng.choice((1, 2, 3, 5, 8, 12, 30, 120, 5000))
    if fact.type == "number":
        return rng.choice((fact.min, 0.2, 0.5, 0.85, fact.max))
    if fact.type == "date":
        return DATES[n % len(DATES)]
    if fact.type == "country":
        return COUNTRIES[n % len(COUNTRIES)]
    if fact.type == "kpis":
        chosen = rng.sample(kb.kpis, rng.randint(1, 6))
        return {k.id: _number(rng, k.min, k.max) for k in chosen}
    if fact.type == "team":
        roles = rng.sample([r.id for r in kb.roles], rng.randint(1, 5))
        return {role: (1 if i == 0 else rng.randint(0, 3)) for i, role in enumerate(roles)}
    raise AssertionError(f"no generator for facts of type {fact.type}")


def fact_sets(kb: KB, count: int = CASES, seed: int = 16) -> Iterator[dict[str, Any]]:
    """Seeded facts files: every required fact, each optional one in about half the cases."""
    rng = random.Random(seed)
    for n in range(count):
        flat: dict[str, Any] = {}
        for fact in kb.facts:
            if fact.derived or (not fact.required and rng.random() < 0.45 and fact.id != "start_date"):
                continue
            flat[fact.id] = _value(fact, kb, n, rng)
        if "country" in flat and n % 3:
            flat["country"] = "CN"  # mostly the default country, whose calendar ships with the page
        yield _nest(flat)


def show(tab: Tab, facts: dict[str, Any] | str) -> Any:
    """Open `#facts=` for these facts (or this fragment) and wait for the page's answer."""
    fragment = facts if isinstance(facts, str) else encode(facts)
    tab.page.evaluate("""fragment => {
        if (location.hash === '#facts=' + fragment) return;  // shown already: no hashchange comes
        window.opsbookPlan = null;
        location.hash = 'facts=' + fragment;
    }""", fragment)
    tab.page.wait_for_function("window.opsbookPlan !== null", timeout=120_000)
    return tab.page.evaluate("window.opsbookPlan")


def cli_plan(tmp_path: Path, facts: dict[str, Any], *args: str, start: bool = True) -> tuple[int, str, str]:
    """`opsbook plan` of these facts, `--start` their start date (as the page plans from it)."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    start_args = ("--start", facts["start_date"]) if start and "start_date" in facts else ()
    result = CliRunner().invoke(cli, ["plan", str(path), *start_args, *args], prog_name="opsbook")
    return result.exit_code, result.stdout, result.stderr


def test_generated_facts_cover_every_fact_and_value(shipped_kb: KB) -> None:
    sets = list(fact_sets(shipped_kb))
    for fact in shipped_kb.facts:
        if fact.derived:
            continue
        head, *rest = fact.id.split(".")
        given = [s[head] if not rest else s.get(head, {}).get(rest[0]) for s in sets if head in s]
        given = [g for g in given if g is not None]
        assert given, fact.id
        if fact.type in ("enum", "list"):
            seen = {v for g in given for v in (g if isinstance(g, list) else [g])}
            assert seen == set(fact.value_ids), fact.id
        if fact.type == "bool":
            assert set(given) == {True, False}, fact.id
    assert {k for s in sets for k in s.get("kpis", {})} == {k.id for k in shipped_kb.kpis}


def test_the_page_plans_what_the_cli_plans(builder_tab: Tab, shipped_kb: KB, tmp_path: Path) -> None:
    differences = []
    for n, facts in enumerate(fact_sets(shipped_kb)):
        page_plan = show(builder_tab, facts)
        code, out, err = cli_plan(tmp_path, facts, "--format", "json")
        cli_answer = json.loads(out) if code == 0 else {"error": err}
        if ("error" in page_plan) != ("error" in cli_answer) or ("error" not in page_plan and page_plan != cli_answer):
            differences.append((n, facts))
    assert differences == []
    builder_tab.assert_offline_and_clean()


def _messages(text: str) -> list[str]:
    """Problem lines without their location (the CLI names the file, the page `<builder>`)."""
    located = re.compile(r"^\S+:\d+:\d+: ")
    return sorted(located.sub("", line) for line in text.splitlines() if located.match(line))


@pytest.mark.parametrize("bad", [{"industry": "bakery"}, {"team_size": 0}, {"kpis": {"nps": 300}},
                                 {"channels": ["telegraph"]}, {"start_date": "2026-02-30"}, {"country": "XX"}])
def test_refused_facts_are_refused_with_the_clis_words(builder_tab: Tab, tmp_path: Path, bad: dict[str, Any]) -> None:
    facts = {"client": {"name": "Acme"}, "industry": "retail", "business_model": "b2c", "stage": "growth",
             "offering": "product", "start_date": "2026-12-01", **bad}
    answer = show(builder_tab, facts)
    code, _, err = cli_plan(tmp_path, facts, "--format", "json", start=False)
    assert code == 1 and set(answer) == {"error"}
    assert _messages(answer["error"]) == _messages(err) != []
    status = builder_tab.page.inner_text("#opsbook-builder-status")
    assert _messages(answer["error"])[0] in status


def test_a_fragment_that_is_no_facts_is_refused(builder_tab: Tab) -> None:
    assert "error" in show(builder_tab, "%%%not-base64")
    assert "error" in show(builder_tab, encode({"x": 1})[:-3] + "___")
    assert "error" in show(builder_tab, base64.urlsafe_b64encode(b"[1, 2]").decode().rstrip("="))


FACTS = {"client": {"name": "<b>Acme</b> & Co"}, "industry": "food_service", "business_model": "b2c",
         "stage": "growth", "offering": "both", "channels": ["offline_store", "social_media"],
         "has_supply_chain": True, "team_size": 9, "goals": ["improve_retention", "build_brand"],
         "kpis": {"complaint_rate": 0.06}, "start_date": "2027-01-18", "lang": "en"}


def _download(tab: Tab, fmt: str, folder: Path) -> bytes:
    with tab.page.expect_download() as waiting:
        tab.page.click(f"[data-download={fmt}]")
    path = folder / f"page.{fmt}"
    waiting.value.save_as(path)
    return path.read_bytes()


def test_downloads_are_the_clis_files(builder_tab: Tab, tmp_path: Path) -> None:
    show(builder_tab, FACTS)
    for fmt in ("json", "md", "csv", "ics"):
        target = tmp_path / f"cli.{fmt}"
        code, _, err = cli_plan(tmp_path, FACTS, "-o", str(target))
        assert code == 0, err
        assert _download(builder_tab, fmt, tmp_path) == target.read_bytes(), fmt
    facts_file = tmp_path / "facts.yaml"
    facts_file.write_bytes(_download(builder_tab, "yaml", tmp_path))
    result = CliRunner().invoke(cli, ["plan", str(facts_file), "--format", "json"], prog_name="opsbook")
    assert json.loads(result.stdout) == builder_tab.page.evaluate("window.opsbookPlan")


def test_the_plan_is_shown_with_its_text_as_text_and_ticks_are_kept(builder_tab: Tab) -> None:
    plan = show(builder_tab, FACTS)
    page = builder_tab.page
    view = page.locator(".opsbook-builder-plan")
    assert "<b>Acme</b> & Co" in view.locator("h3").first.inner_text()
    assert view.locator("b").count() == 0
    boxes = view.locator("input[type=checkbox][data-builder-item]")
    assert boxes.count() == len(plan["items"])
    first = plan["items"][0]
    box = view.locator(f'input[data-builder-item="{first["id"]}"]')
    assert box.get_attribute("aria-label") == first["title"]
    box.check()
    show(builder_tab, {**FACTS, "team_size": 10})
    assert not view.locator(f'input[data-builder-item="{first["id"]}"]').is_checked()  # another plan
    show(builder_tab, FACTS)
    assert view.locator(f'input[data-builder-item="{first["id"]}"]').is_checked()
    assert page.input_value("#opsbook-builder-share") == page.evaluate("location.href")
    assert page.input_value("#f-client-name-input") == "<b>Acme</b> & Co"  # the form shows the facts


def _focused(tab: Tab) -> dict[str, Any]:
    return tab.page.evaluate("""() => {
        const e = document.activeElement, field = e.closest('[data-fact]');
        return {type: e.type, value: e.value, checked: e.checked, fact: field ? field.dataset.fact : null,
                download: e.dataset ? e.dataset.download || null : null};
    }""")


def _answer_by_keyboard(tab: Tab, wanted: dict[str, Any]) -> None:
    """Tab through the form from the top of the page, answering `wanted`, and submit."""
    keyboard = tab.page.keyboard
    for _ in range(200):
        keyboard.press("Tab")
        if _focused(tab)["fact"] == "client.name":
            break
    for _ in range(400):
        now = _focused(tab)
        want = wanted.get(now["fact"])
        if now["type"] == "submit":
            keyboard.press("Enter")
            return
        if now["type"] == "text" and want is not None:
            keyboard.press("Control+A")
            keyboard.type(str(want))
        elif now["type"] == "radio" and want is not None:
            for _ in range(20):
                if _focused(tab)["value"] == want:
                    break
                keyboard.press("ArrowRight")
        elif now["type"] == "checkbox" and want is not None and (now["value"] in want) != now["checked"]:
            keyboard.press("Space")
        keyboard.press("Tab")
    raise AssertionError("Tab never reached the submit button")


def test_keyboard_alone_makes_the_plan_and_the_interviews_facts_file(
        builder_tab: Tab, shipped_kb: KB, tmp_path: Path) -> None:
    builder_tab.open("en/builder/?keyboard")  # a new page: a form with its defaults
    builder_tab.page.wait_for_function("window.opsbookBuilderReady === true", timeout=120_000)
    answers = {"client.name": "Acme & <Co>", "industry": "saas", "stage": "launch",
               "channels": ["online_store", "social_media"], "has_production": "true", "team_size": "12 people",
               "kpis.nps": "35", "kpis.churn_rate_monthly": "4%", "start_date": "2026-12-01"}
    _answer_by_keyboard(builder_tab, {**answers, "team_size": "abc"})  # a wrong answer first
    error = builder_tab.page.locator("#f-team-size-error")
    error.wait_for(state="visible")
    assert error.inner_text() == '"abc" is not a number.'
    assert _focused(builder_tab)["fact"] == "team_size"  # the first answer to correct
    assert builder_tab.page.get_attribute("#f-team-size-input", "aria-invalid") == "true"
    builder_tab.page.keyboard.press("Control+A")
    builder_tab.page.keyboard.type("12 people")
    builder_tab.page.keyboard.press("Enter")
    builder_tab.page.wait_for_function("window.opsbookPlan !== null && location.hash.startsWith('#facts=')")
    plan = builder_tab.page.evaluate("window.opsbookPlan")
    assert plan["client"]["name"] == "Acme & <Co>" and plan["facts"]["team_size"] == 12
    for _ in range(100):
        builder_tab.page.keyboard.press("Tab")
        if _focused(builder_tab)["download"] == "yaml":
            break
    with builder_tab.page.expect_download() as waiting:
        builder_tab.page.keyboard.press("Enter")
    waiting.value.save_as(tmp_path / "facts.yaml")
    lines = []
    for question in (q for q in questions(shipped_kb, "en", dt.date.today()) if q.asked):
        value = answers.get(question.id, "")
        lines.append(",".join(value) if isinstance(value, list) else {"true": "yes"}.get(str(value), str(value)))
    result = CliRunner().invoke(cli, ["interview", "--lang", "en", "--plain"], input="\n".join(lines) + "\n\n",
                                prog_name="opsbook")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "facts.yaml").read_text("utf-8") == result.stdout


def _serious(page: Any) -> list[tuple[str, list[Any]]]:
    # the theme eases button colours in and out: judge them once the transitions have run
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    found = page.evaluate("async options => (await axe.run(document, options)).violations", AXE_RULES)
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_problems_on_the_builder(builder_tab: Tab) -> None:
    show(builder_tab, FACTS)
    page = builder_tab.page
    page.evaluate("document.activeElement.blur()")
    page.add_script_tag(path=str(AXE))
    assert _serious(page) == []
    # a focused button takes other colours (the theme's accent, which white text fails on)
    for button in (".opsbook-builder-form button[type=submit]", "[data-download=json]", "[data-copy]"):
        page.focus(button)
        assert page.evaluate("document.activeElement.matches(':focus')")
        assert (button, _serious(page)) == (button, [])
    builder_tab.assert_offline_and_clean()


def _sideways(page: Any) -> dict[str, Any]:
    """How far the page scrolls sideways, and the builder's boxes that stick out of the screen
    (tables scroll inside their own box, so their cells do not count)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const out = [...document.querySelectorAll('.opsbook-builder *')]
            .filter(e => !e.closest('.opsbook-builder-plan table') && e.getClientRects().length
                          && e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className).slice(0, 5);
        window.scrollTo(300, window.scrollY);
        const scrolled = window.scrollX;
        window.scrollTo(0, window.scrollY);
        return {scrollWidth: document.scrollingElement.scrollWidth, width, scrolled, out};
    }""")


def test_on_a_phone_the_form_and_the_plan_fit_the_screen_and_submit_works(phone: Tab) -> None:
    page = phone.open("en/builder/")
    page.wait_for_function("window.opsbookBuilderReady === true", timeout=120_000)
    fits = {"scrolled": 0, "out": []}
    seen = _sideways(page)
    assert (seen["scrolled"], seen["out"]) == (0, []) and seen["scrollWidth"] <= seen["width"] == 390
    page.fill("#f-client-name-input", "山屿咖啡 Mountain Isle Coffee Roasters & Bakery Ltd")
    for fact in ("industry", "business_model", "stage", "offering"):
        if page.locator(f'[data-fact="{fact}"] input:checked').count() == 0:
            page.locator(f'[data-fact="{fact}"] .opsbook-builder-choice').last.click()
    page.locator('[data-fact="channels"] .opsbook-builder-choice').first.click()
    page.click(".opsbook-builder-form button[type=submit]")
    page.wait_for_function("window.opsbookPlan !== null && location.hash.startsWith('#facts=')", timeout=120_000)
    plan = page.evaluate("window.opsbookPlan")
    assert "error" not in plan and plan["client"]["name"].startswith("山屿咖啡")
    assert page.locator(".opsbook-builder-result").is_visible()
    assert page.locator(".opsbook-builder-plan input[data-builder-item]").count() == len(plan["items"])
    seen = _sideways(page)
    assert {k: seen[k] for k in fits} == fits and seen["scrollWidth"] <= seen["width"]
    phone.assert_offline_and_clean()


def test_only_the_builder_page_loads_the_builder(tab: Tab) -> None:
    page = tab.open("")
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("builder" in name or "pyodide" in name for name in loaded)
    assert page.locator('a[href="builder/"]').count() >= 1
