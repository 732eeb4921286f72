"""`opsbook interview` for someone who will not write YAML: numbered prompts driven line by line
(as a script or a test pipes them in), arrow keys in a real terminal, and a facts file on
standard output that `opsbook plan` takes."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.facts.client import facts_from_data, load_facts, plan_lang, typed_number
from generator.facts.interview import WORDS, next_working_day

ROOT = Path(__file__).parents[2]
BLANK_KPIS = [""] * 8
# 23 questions: name, note, industry, model, stage, offering, channels, supply chain, production,
# team size, goals, risks, 8 KPIs, start date, plan share, country; then the review ("" confirms).
EN = ["Acme Tea", "", "food service", "2", "", "", "1,3", "yes", "no", "12 people", "1,2", "",
      "30%", "", "4%", "", "", "", "", "", "", "", "", ""]


def interview(run_cli, answers: list[str], *args: str) -> tuple[int, str, str]:
    return run_cli("interview", *args, input="\n".join(answers) + "\n")


def facts_of(out: str) -> dict:
    data = yaml.safe_load(out)
    assert isinstance(data, dict)
    return data


def test_stdout_holds_only_a_facts_file_that_plans(run_cli, tmp_path: Path) -> None:
    code, out, err = interview(run_cli, EN, "--lang", "en")
    assert code == 0, err
    assert "Client name" in err and "Client name" not in out, "prompts go to standard error"
    assert all(line.startswith("#") or re.match(r"^( *- | *[a-z_0-9]+:)", line) for line in out.splitlines()), out
    (tmp_path / "facts.yaml").write_text(out, encoding="utf-8")
    code, plan, err = run_cli("plan", str(tmp_path / "facts.yaml"), "--format", "json", "--lang", "en")
    assert code == 0, err
    assert json.loads(plan)["client"]["name"] == "Acme Tea"


def test_answers_typed_as_people_type_them(run_cli, playbook) -> None:
    code, out, err = interview(run_cli, EN, "--lang", "en")
    assert code == 0, err
    values = facts_from_data(facts_of(out), playbook.kb).values
    assert values["industry"] == "food_service" and values["business_model"] == "b2c", "a name, a number"
    assert values["stage"] == "growth" and values["offering"] == "product", "blank takes the default shown"
    assert values["channels"] == ("offline_store", "online_store") and values["has_supply_chain"] is True
    assert values["team_size"] == 12, "12 people"
    assert values["kpis.retention_7d"] == 0.3 and values["kpis.complaint_rate"] == 0.04, "30% and 4%"
    assert "kpis.nps" not in values and "risks" not in values and "client.note" not in values, "blank skips"


def test_start_date_is_always_written_quoted(run_cli) -> None:
    code, out, err = interview(run_cli, EN, "--lang", "en")
    assert code == 0, err
    expected = next_working_day(dt.date.today()).isoformat()
    assert f"start_date: '{expected}'" in out, "quoted: YAML 1.1 readers keep a string"
    assert facts_of(out)["start_date"] == expected
    assert f"Enter takes the default: {expected}" in err, "the default is shown"


@pytest.mark.parametrize(("today", "start"), [
    ("2027-01-04", "2027-01-05"),  # Monday -> Tuesday
    ("2027-01-08", "2027-01-11"),  # Friday -> Monday
    ("2027-01-09", "2027-01-11"),  # Saturday -> Monday
    ("2027-01-10", "2027-01-11"),  # Sunday -> Monday
])
def test_next_working_day(today: str, start: str) -> None:
    assert next_working_day(dt.date.fromisoformat(today)).isoformat() == start


def test_back_returns_to_the_previous_answer_and_keeps_it(run_cli) -> None:
    answers = ["Acme Tea", "<", "", "back", "", "", *EN[2:]]
    code, out, err = interview(run_cli, answers, "--lang", "en")
    assert code == 0, err
    assert err.count("[1/24] Client name") == 3, "asked, and gone back to twice"
    assert "Enter takes the default: Acme Tea" in err, "the earlier answer is the default"
    assert facts_of(out)["client"]["name"] == "Acme Tea"


def test_back_on_the_first_question_says_so(run_cli) -> None:
    code, _, err = interview(run_cli, ["<", *EN], "--lang", "en")
    assert code == 0, err
    assert WORDS["en"]["first"] in err


def test_review_lists_every_answer_and_changes_one(run_cli) -> None:
    # at the review: change question 3 (industry) to retail, then question 1, then confirm
    answers = [*EN[:-1], "3", "retail", "1", "Acme Tea Co", ""]
    code, out, err = interview(run_cli, answers, "--lang", "en")
    assert code == 0, err
    assert err.count("Check your answers:") == 3
    review = err.split("Check your answers:")[1]
    assert " 3. Industry: Food service" in review and "13. 7-day retention of new users: 0.3 (30%)" in review
    assert "24. Plan language: English" in review
    final = err.split("Check your answers:")[3]
    assert " 1. Client name: Acme Tea Co" in final and " 3. Industry: Retail" in final
    assert facts_of(out)["industry"] == "retail" and facts_of(out)["client"]["name"] == "Acme Tea Co"


def test_an_answer_gone_back_to_shows_what_was_chosen_and_can_be_cleared(run_cli) -> None:
    code, out, err = interview(run_cli, [*EN[:-1], "7", "", "7", "-", ""], "--lang", "en")
    assert code == 0, err
    again = err.split("[7/24] Sales channels")[2]
    assert "  1. Own online store (chosen)\n  2. Online marketplace\n  3. Physical store (chosen)\n" in again
    assert "Enter takes the default: Own online store, Physical store; type - to clear the answer" in again
    assert "channels" not in facts_of(out), "`-` cleared it"


def test_a_wrong_answer_is_explained_and_the_choices_shown_again(run_cli) -> None:
    answers = ["山隅", "", "奶茶", "餐饮", "5", *[""] * 21]
    code, out, err = interview(run_cli, answers)
    assert code == 0, err
    after = err.split("> 奶茶\n")[1]
    assert after.startswith("“奶茶”不是可选项。请输入下面列出的编号或名称：\n   1. 零售（默认）\n   2. 电子商务\n")
    assert "  10. 其他\n> 餐饮\n" in after
    assert "“餐饮”不是可选项（是不是“餐饮服务”？）" in after
    assert facts_of(out)["industry"] == "food_service"


def test_a_number_out_of_range_says_the_range_and_a_percentage_is_offered(run_cli) -> None:
    answers = ["Acme", *EN[1:12], "30", "1.2", "30%", "", "", "150", "-20", *EN[16:]]
    code, out, err = interview(run_cli, answers, "--lang", "en")
    assert code == 0, err
    assert "30 is out of range. If you mean 30%, type 30%.\n  Allowed: a fraction from 0 to 1" in err
    assert "150 is out of range.\n  Allowed: a score from -100 to 100" in err, "NPS: its real range"
    assert facts_of(out)["kpis"] == {"retention_7d": 0.3, "nps": -20}


@pytest.mark.parametrize(("typed", "unit", "number", "percent"), [
    ("30%", "ratio", "0.3", True), ("4%", "ratio", "0.04", True), ("3.5 %", "ratio", "0.035", True),
    ("−5%", "ratio", "-0.05", True), ("１２％", "ratio", "0.12", True), ("12人", "people", "12", False),
    ("12 people", "people", "12", False), ("１２", "people", "12", False), ("1.2万", "people", "12000", False),
    ("约 1,200 人", "people", "1200", False), ("4次", "times", "4", False), ("30分", "score", "30", False),
])
def test_typed_numbers(typed: str, unit: str, number: str, percent: bool) -> None:
    read = typed_number(typed, unit)
    assert read is not None and read.number == Decimal(number) and read.percent is percent


@pytest.mark.parametrize(("typed", "unit"), [("12天", "people"), ("12 people", ""), ("twelve", "people"), ("1,2", "")])
def test_typed_numbers_refused(typed: str, unit: str) -> None:
    assert typed_number(typed, unit) is None


def test_units_in_the_interview(run_cli) -> None:
    answers = [*EN[:9], "1.2万人", *EN[10:12], "１２％", "", "4%", *EN[15:]]
    code, out, err = interview(run_cli, answers, "--lang", "en")
    assert code == 0, err
    facts = facts_of(out)
    assert facts["team_size"] == 12000 and facts["kpis"] == {"retention_7d": 0.12, "complaint_rate": 0.04}


def test_a_percentage_is_refused_where_it_means_nothing(run_cli) -> None:
    answers = [*EN[:9], "30%", "30", *EN[10:]]
    code, out, err = interview(run_cli, answers)
    assert code == 0, err
    assert "这一项不能写百分数。\n  可填：1 到 1000000 之间的整数，如 12 或 12人" in err
    assert facts_of(out)["team_size"] == 30


# Words allowed in a Chinese transcript besides Chinese: the codes a user types for a country.
_CODES = re.compile(r"\b(CN|US|DE|JP|GB)\b")


def _kb_texts(kb) -> list[str]:
    """The KB's Chinese texts the interview shows as they are (help may name B2B, SaaS, OEM...)."""
    texts = [t.zh for f in kb.facts for t in (f.label, f.help, *(v.label for v in f.values))]
    texts += [t.zh for k in kb.kpis for t in (k.name, k.definition, k.formula)]
    return sorted(texts, key=len, reverse=True)


def test_chinese_messages_hold_no_english(run_cli, playbook) -> None:
    answers = ["山隅", "", "milk tea", "1", "", "", "", "1,web", "1", "maybe", "", "", "10 days", "2", "9,x", "",
               "", "abc", "0.2", *[""] * 7, "someday", "2027-13-01", "", "2", "", "Germany", "", "x", ""]
    code, _, err = interview(run_cli, answers)
    assert code == 0, err
    shown = [line for line in err.splitlines() if not line.startswith("> ")]  # the user's own typing
    leftovers = []
    for line in shown:
        for text in _kb_texts(playbook.kb):
            line = line.replace(text, "")
        line = re.sub(r"“[^”]*”", "", _CODES.sub("", line))  # what the user typed, quoted back
        leftovers += re.findall(r"[A-Za-z]+", line)
    assert leftovers == []
    for message in ("“milk tea”不是可选项", "“web”不是可选项", "“maybe”不是可选项", "“10 days”不是数字",
                    "“abc”不是数字", "“someday”不是有效日期", "“2027-13-01”不是有效日期", "2 超出范围。如果指的是 2%",
                    "“Germany”不是可用的国家或地区代码", "请输入 1 到 24 之间的题号"):
        assert message in err


def test_english_transcript(run_cli) -> None:
    answers = ["Acme", "", "milk tea", *EN[2:9], "ten", "10", *EN[10:]]
    code, _, err = interview(run_cli, answers, "--lang", "en")
    assert code == 0, err
    assert "\"milk tea\" is not one of the choices. Type a number or a name from this list:\n   1. Retail" in err
    assert "\"ten\" is not a number.\n  Allowed: a whole number from 1 to 1000000, such as 12 or 12 people" in err
    assert not re.search(r"[\u3400-\u9fff]", err), "no Chinese in an English interview"


def test_the_language_is_recorded_and_plans_default_to_it(run_cli, playbook, tmp_path: Path) -> None:
    code, out, err = interview(run_cli, EN, "--lang", "en")
    assert code == 0, err
    (tmp_path / "en.yaml").write_text(out, encoding="utf-8")
    facts = load_facts(tmp_path / "en.yaml", playbook.kb)
    assert facts.values["lang"] == "en"
    assert plan_lang(facts) == "en" and plan_lang(facts, None) == "en", "no --lang: the interview's language"
    assert plan_lang(facts, "zh") == "zh", "--lang wins"
    assert playbook.plan(facts, plan_lang(facts)).lang == "en"
    code, out, err = interview(run_cli, [*EN[:-1], ""])
    assert code == 0, err
    assert facts_of(out)["lang"] == "zh"
    assert plan_lang(facts_from_data({k: v for k, v in facts_of(out).items() if k != "lang"}, playbook.kb)) == "zh"


def test_the_language_can_be_changed_on_the_review(run_cli) -> None:
    code, out, err = interview(run_cli, [*EN[:-1], "24", "zh", ""], "--lang", "en")
    assert code == 0, err
    assert facts_of(out)["lang"] == "zh"


def test_input_ending_early_writes_nothing(run_cli, tmp_path: Path) -> None:
    code, out, err = interview(run_cli, EN[:5], "-o", str(tmp_path / "facts.yaml"))
    assert code == 1 and out == ""
    assert "opsbook: 输入在“提供的是产品还是服务”一题时就结束了，访谈没有完成：没有写出任何内容。" in err
    assert not (tmp_path / "facts.yaml").exists()
    code, out, err = run_cli("interview", "--lang", "en", input="\n".join(EN[:-1]) + "\n")
    assert code == 1 and out == "" and "before the answers were confirmed" in err, "the review must be confirmed"


def test_output_file_and_its_refusals(run_cli, playbook, tmp_path: Path) -> None:
    target = tmp_path / "facts.yaml"
    code, out, err = interview(run_cli, EN, "--lang", "en", "-o", str(target))
    assert code == 0 and out == "" and f"wrote {target}" in err
    assert load_facts(target, playbook.kb).values["team_size"] == 12
    code, _, err = interview(run_cli, EN, "-o", str(target))
    assert code == 1 and "add --force" in err and "客户名称" not in err, "refused before any question"


def test_plan_does_not_import_the_interview(tmp_path: Path) -> None:
    probe = ("import json, sys\nfrom generator.cli.main import main\n"
             f"assert main(['plan', 'examples/coffee-chain.yaml', '-o', {str(tmp_path / 'plan.md')!r}]) == 0\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('questionary', 'prompt_toolkit') or m == 'generator.facts.interview')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(result.stdout.splitlines()[-1]) == []


# ------------------------------------------------------------------ a real terminal
_ESCAPES = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78])")


class Screen:
    """A pseudo-terminal the interview draws on (standard input and error; standard output goes to a
    file), read as a transcript with escape sequences removed."""

    def __init__(self, args: list[str], stdout: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
        with stdout.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "generator.cli.main", *args], stdin=slave,
                                         stderr=slave, stdout=out, cwd=ROOT, env=env, start_new_session=True)
        os.close(slave)
        self.raw, self.seen, self.pos = b"", "", 0

    def wait(self, text: str, timeout: float = 30) -> None:
        """Until `text` shows after what was waited for before."""
        end = time.monotonic() + timeout
        while (at := self.seen.find(text, self.pos)) < 0:
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} never showed; the screen ends with:\n{self.seen[-1500:]}")
            if select.select([self.master], [], [], 0.1)[0]:
                try:
                    self.raw += os.read(self.master, 65536)
                except OSError:  # the program ended and closed the terminal
                    time.sleep(0.1)
                self.seen = _ESCAPES.sub(b"", self.raw).decode("utf-8", "replace").replace("\r", "")
        self.pos = at + len(text)

    def answer(self, label: str, keys: str) -> None:
        """Wait for the question `label` and its prompt, then type `keys`."""
        self.wait(f"] {label} (")
        self.wait(GO_BACK)
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=30)
        finally:
            os.close(self.master)


DOWN, ENTER, SPACE = "\x1b[B", "\r", " "
GO_BACK = "< to go back)"  # the end of every list's and field's instruction: the prompt is ready
NOTHING = ["Goals for this period", "Main risks", "7-day retention of new users", "Conversion rate", "Complaint rate",
           "Net Promoter Score", "On-time delivery", "Gross margin", "Inventory turnover", "Monthly churn rate"]


def test_arrow_keys_and_checkboxes_in_a_terminal(tmp_path: Path, playbook) -> None:
    screen = Screen(["interview", "--lang", "en"], tmp_path / "facts.yaml")
    try:
        screen.answer("Client name", "Acme Terminal" + ENTER)
        screen.answer("Note", ENTER)  # blank
        screen.answer("Industry", DOWN + ENTER)  # one below the default (retail): e-commerce
        screen.answer("Business model", "<")  # back to industry
        screen.answer("Industry", DOWN + ENTER)  # the cursor starts on e-commerce: one down is SaaS
        screen.answer("Business model", ENTER)  # b2c, the default
        screen.answer("Business stage", ENTER)
        screen.answer("Products or services", DOWN + ENTER)  # services
        screen.answer("Sales channels", SPACE + DOWN + SPACE + ENTER)  # online store, marketplace
        screen.answer("Manages a supply chain", ENTER)
        screen.answer("Makes its own goods", ENTER)
        screen.answer("Team size", "30%" + ENTER)
        screen.wait("This one is not a percentage.")  # refused, the reason under the field
        os.write(screen.master, ("\x7f" * 3 + "8 people" + ENTER).encode())
        for label in NOTHING:
            screen.answer(label, ENTER)
        screen.answer("Plan start date", ENTER)  # the default, prefilled
        screen.answer("Share of time for plan work", ENTER)
        screen.answer("Country", ENTER)
        screen.wait("All correct: write it")
        os.write(screen.master, ENTER.encode())
        code = screen.close()
    finally:
        screen.proc.kill()
    text = (tmp_path / "facts.yaml").read_text(encoding="utf-8")
    assert code == 0, screen.seen[-2000:]
    assert text.startswith("# Facts about the business"), "standard output holds the facts file and nothing else"
    assert "\x1b" not in text
    assert "  Team size: 8\n" in screen.seen and "  Industry: Software as a service (SaaS)" in screen.seen
    values = facts_from_data(yaml.safe_load(text), playbook.kb).values
    assert values["client.name"] == "Acme Terminal" and values["industry"] == "saas"
    assert values["offering"] == "service" and values["channels"] == ("marketplace", "online_store")
    assert values["team_size"] == 8 and values["lang"] == "en"
    assert values["start_date"] == next_working_day(dt.date.today()).isoformat()
