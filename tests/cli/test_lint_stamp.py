"""`opsbook lint --stamp` edits YAML in place: what it writes still parses and says the same,
line endings stay as they were, and a file it cannot read or parse is refused (exit 1, located)
before any file is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from generator.kb.translations import text_hash

GLOSSARY = ("glossary:\n  - id: alpha\n    term: {zh: 甲, en: Alpha, }\n"
            "    definition:\n      zh: 甲乙\n      en: A and B\n")


@pytest.fixture
def playbook(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(mini_playbook)
    return mini_playbook


def _stamp(run_cli) -> tuple[int, str]:
    code, _, err = run_cli("lint", "--kb", "kb", "--rules", "rules", "--stamp")
    return code, err


def test_a_flow_mapping_with_a_trailing_comma_stays_valid_yaml(playbook: Path, run_cli) -> None:
    (playbook / "kb" / "terms.yaml").write_text(GLOSSARY, encoding="utf-8")
    _stamp(run_cli)
    data = yaml.safe_load((playbook / "kb" / "terms.yaml").read_text(encoding="utf-8"))
    assert data["glossary"][0]["term"] == {"zh": "甲", "en": "Alpha", "en_src": text_hash("甲")}
    assert data["glossary"][0]["definition"]["en_src"] == text_hash("甲乙")


def test_windows_line_endings_are_kept(playbook: Path, run_cli) -> None:
    path = playbook / "kb" / "terms.yaml"
    path.write_bytes(GLOSSARY.replace("\n", "\r\n").encode("utf-8"))
    _stamp(run_cli)
    raw = path.read_bytes()
    assert b"en_src" in raw and raw.count(b"\r\n") == raw.count(b"\n") == GLOSSARY.count("\n") + 1


def test_broken_yaml_is_refused_where_it_breaks_and_nothing_is_written(playbook: Path, run_cli) -> None:
    (playbook / "kb" / "terms.yaml").write_text(GLOSSARY, encoding="utf-8")
    broken = playbook / "kb" / "zz-broken.yaml"
    broken.write_text("glossary:\n  - id: beta\n    term: {zh: 乙, en: Beta\n", encoding="utf-8")
    code, err = _stamp(run_cli)
    assert code == 1 and "Traceback" not in err and "internal error" not in err
    assert "kb/zz-broken.yaml:4:1: YAML syntax error: did not find expected ',' or '}'" in err
    assert "en_src" not in (playbook / "kb" / "terms.yaml").read_text(encoding="utf-8")


def test_a_file_it_cannot_read_is_refused_unread(playbook: Path, run_cli) -> None:
    os.mkfifo(playbook / "kb" / "pipe.yaml")
    (playbook / "kb" / "out.yaml").symlink_to("/etc/passwd")
    code, err = _stamp(run_cli)
    assert code == 1
    assert "kb/pipe.yaml:1:1: cannot read file: it is a FIFO (named pipe)" in err
    assert "kb/out.yaml:1:1: cannot read file: it is a symbolic link that leads out of `kb`" in err
    assert "root:x:0:0" not in err
