"""`opsbook plan` as a manager uses it: formats, bad facts, safe writing, kept progress."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).parents[2]
COFFEE = str(ROOT / "examples" / "coffee-chain.yaml")
CONSULTING = str(ROOT / "examples" / "consulting-firm.yaml")


def test_markdown_plan_on_stdout(run_cli) -> None:
    code, out, err = run_cli("plan", COFFEE, "--lang", "en")
    assert code == 0, err
    assert out.startswith("# Operations action plan: ")
    assert "- [ ] **" in out


def test_bad_facts_are_located_with_a_fix(run_cli, build_tree, tmp_path: Path) -> None:
    build_tree(tmp_path, {"facts.yaml": """\
        client: {name: X}
        industy: retail
        business_model: b2c
        stage: growth
        offering: servce
        kpis: {complaint_rate: 1.7}
        """})
    code, out, err = run_cli("plan", str(tmp_path / "facts.yaml"))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    assert f"{tmp_path / 'facts.yaml'}:2:1: unknown fact `industy`; did you mean `industry`?" in err
    assert "5:11: `offering` value `servce` is not allowed; did you mean `service`?" in err
    assert "6:24: `kpis.complaint_rate` value 1.7 is out of range (0 to 1)" in err


def test_missing_facts_file_is_a_usage_problem(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("plan", str(tmp_path / "nope.yaml"))
    assert code == 1 and "cannot read file" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["--start", "2027-13-01"], ["--format", "xlsx"], ["--format", "pdf"]])
def test_usage_errors_exit_2(run_cli, args: list[str]) -> None:
    code, _, err = run_cli("plan", COFFEE, *args)
    assert code == 2 and "Traceback" not in err


def test_never_overwrites_silently(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("my notes\n")
    code, _, err = run_cli("plan", COFFEE, "-o", str(target))
    assert code == 1 and "--update" in err and "--force" in err
    assert target.read_text() == "my notes\n"
    assert run_cli("plan", COFFEE, "-o", str(target), "--force")[0] == 0
    assert target.read_text().startswith("# ")


def test_interrupted_write_leaves_the_old_file(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.json"
    target.write_text('{"old": true}')

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    code, _, _ = run_cli("plan", COFFEE, "-o", str(target), "--force")
    assert code != 0
    assert target.read_text() == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"], "no temporary file left behind"


def _tick(path: Path, fmt: str, ids: list[str]) -> None:
    if fmt == "md":
        lines = [line.replace("- [ ]", "- [x]", 1) if any(f"`{i}`" in line for i in ids) else line
                 for line in path.read_text().splitlines()]
        path.write_text("\n".join(lines) + "\n")
    elif fmt == "json":
        data = json.loads(path.read_text())
        for item in data["items"]:
            item["done"] = item["id"] in ids
        path.write_text(json.dumps(data))
    elif fmt in ("csv", "ics"):
        text = path.read_bytes().decode("utf-8")
        for i in ids:
            if fmt == "csv":
                start = text.index(i + ",")
                end = text.index("\r\n", start)
                text = text[:start] + text[start:end].rsplit(",", 1)[0] + ",已完成" + text[end:]
            else:
                start = text.index(f"UID:{i}@opsbook")
                at = text.index("STATUS:NEEDS-ACTION", start)
                text = text[:at] + "STATUS:COMPLETED" + text[at + len("STATUS:NEEDS-ACTION"):]
        path.write_bytes(text.encode("utf-8"))
    else:
        book = load_workbook(path)
        sheet = book.active
        for row in sheet.iter_rows(min_row=2):
            if row[0].value in ids:
                row[-1].value = "已完成"
        book.save(path)


def _only_in_coffee(run_cli) -> str:
    """The last item of the coffee chain's plan that the consulting firm's plan does not hold."""
    plans = [json.loads(run_cli("plan", facts, "--format", "json")[1])["items"] for facts in (COFFEE, CONSULTING)]
    consulting = {i["id"] for i in plans[1]}
    return [i["id"] for i in plans[0] if i["id"] not in consulting][-1]


def _done(path: Path, fmt: str) -> set[str]:
    from generator.render.readback import read_progress

    return set(read_progress(path, fmt, str(path)).done)


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "ics", "xlsx"])
def test_regenerating_keeps_every_tick(run_cli, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"plan.{fmt}"
    assert run_cli("plan", COFFEE, "-o", str(target))[0] == 0
    from generator.render.readback import read_progress

    ids = list(read_progress(target, fmt, str(target)).ids)
    leaving = _only_in_coffee(run_cli)  # drops out for the consulting firm below
    ticked = [i for i in ids[: len(ids) // 2] if i != leaving] + [leaving]
    _tick(target, fmt, ticked)
    assert _done(target, fmt) == set(ticked)
    code, _, err = run_cli("plan", COFFEE, "-o", str(target), "--update")
    assert code == 0, err
    assert _done(target, fmt) == set(ticked), "every tick survives regeneration"
    code, _, err = run_cli("plan", CONSULTING, "-o", str(target), "--update")
    assert code == 0, err
    assert f"dropped out of the plan: {leaving} (was ticked)" in err
    still = set(read_progress(target, fmt, str(target)).ids)
    assert _done(target, fmt) == set(ticked) & still


@pytest.mark.parametrize("args", [["--format", "csv", "--group-by", "owner"], ["-o", "plan.xlsx", "--window", "30"],
                                  ["--window", "0"], ["--group-by", "person"]])
def test_layout_options_belong_to_markdown(run_cli, tmp_path: Path, args: list[str]) -> None:
    args = [str(tmp_path / a) if a.startswith("plan.") else a for a in args]
    code, out, err = run_cli("plan", COFFEE, *args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_group_by_owner_and_window_on_the_command_line(run_cli) -> None:
    code, out, err = run_cli("plan", COFFEE, "--lang", "en", "--group-by", "owner", "--window", "10")
    assert code == 0, err
    assert "\n## Market analyst (3 people, 1.5 person-days of plan work per working day)\n" in out
    assert "more items start on or after 2027-01-14: run without `--window`" in out


def test_update_names_a_tick_it_cannot_read(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    assert run_cli("plan", COFFEE, "-o", str(target))[0] == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("- [ ] "))
    lines[at] = lines[at].replace("- [ ]", "- [x]").rsplit(" `", 1)[0]  # the ID deleted by hand
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = target.read_bytes()
    code, _, err = run_cli("plan", COFFEE, "-o", str(target), "--update")
    assert code == 1, err
    assert f"{target}:{at + 1}:1: warning: a ticked task without an item ID" in err
    assert "could not be read (see above), so updating it would lose them" in err
    assert target.read_bytes() == before, "a tick that cannot be read is never lost silently"
    code, _, err = run_cli("plan", COFFEE, "-o", str(target), "--update", "--force")
    assert code == 0, err


@pytest.mark.parametrize("start", ["20270104", "2027-W01-1", "2027-1-4", "9999-12-31"])
def test_start_takes_only_a_real_date_as_yyyy_mm_dd(run_cli, start: str) -> None:
    code, out, err = run_cli("plan", COFFEE, "--start", start)
    assert code == 2 and "--start" in err and not out


def test_update_of_a_window_keeps_ticks_beyond_it(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    assert run_cli("plan", COFFEE, "-o", str(target))[0] == 0
    last = _ids(target)[-1]
    _tick(target, "md", [last])
    code, _, err = run_cli("plan", COFFEE, "-o", str(target), "--update", "--window", "7")
    assert code == 0, err
    assert _done(target, "md") == {last}
    assert len(_ids(target)) < 40, "the window lists the first week's items"


def _ids(path: Path) -> list[str]:
    from generator.render.readback import read_progress

    return list(read_progress(path, "md", str(path)).ids)


@pytest.mark.parametrize("args", [["--update"], ["--full"], ["--jobs", "2"]])
def test_options_that_would_be_ignored_are_usage_errors(run_cli, args: list[str]) -> None:
    code, out, err = run_cli("plan", COFFEE, *args)
    assert code == 2 and not out and ("-o FILE" in err or "--batch" in err)


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\u2028", "\x85", "\u2066"])
def test_names_with_invisible_or_direction_characters_are_refused(run_cli, tmp_path: Path, hidden: str) -> None:
    facts = tmp_path / "facts.yaml"
    lines = Path(COFFEE).read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.strip().startswith("name:"))
    lines[at] = f'  name: "Acme\\u{ord(hidden):04x}Co"'  # written as a YAML escape, as a tool might
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli("plan", str(facts))
    assert code == 1 and not out
    assert f"U+{ord(hidden):04X}" in err and "facts.yaml:" in err


@pytest.mark.parametrize("args", [["--window", "30"], ["--group-by", "owner"]])
def test_layout_options_with_batch_are_usage_errors(run_cli, tmp_path: Path, args: list[str]) -> None:
    lines = tmp_path / "clients.jsonl"
    lines.write_text('{"client": {"name": "A"}, "industry": "retail"}\n', encoding="utf-8")
    code, out, err = run_cli("plan", "--batch", str(lines), "-o", str(tmp_path / "out.jsonl"), *args)
    assert code == 2 and not out and "lay out a Markdown plan, not the JSON lines --batch writes" in err
    assert not (tmp_path / "out.jsonl").exists()


def test_the_request_says_what_the_options_ask_for(tmp_path: Path) -> None:
    import click

    from generator.cli.plan import plan_request
    from generator.render import View

    request = plan_request(Path(COFFEE), (), None, "en", "owner", 30, None, tmp_path / "plan.md", False, False,
                           ROOT / "kb", ROOT / "rules")
    assert (request.fmt, request.terminal, request.view) == ("md", False, View("owner", 30))
    assert plan_request(Path(COFFEE), (), None, None, None, None, None, tmp_path / "p.ics", False, False,
                        ROOT / "kb", ROOT / "rules").fmt == "ics"
    with pytest.raises(click.UsageError, match="needs an output file"):
        plan_request(Path(COFFEE), (), "xlsx", None, None, None, None, None, False, False, ROOT / "kb",
                     ROOT / "rules")
