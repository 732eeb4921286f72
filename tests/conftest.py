"""Fixtures shared by the whole suite: file trees written inline (`build_tree`), the CLI run
in-process (`run_cli`), and a throw-away copy of the mini playbook (`mini_playbook`, a small
valid KB and rule set). Test modules take these as fixtures rather than importing this file."""

from __future__ import annotations

import shutil
import textwrap
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from generator.cli.main import cli

# Property tests judge behaviour, never speed: on a busy machine one example may take longer than
# hypothesis' default 200 ms deadline, or generating examples may be slow, which would fail a correct test.
settings.register_profile("opsbook", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("opsbook")

TESTS = Path(__file__).parent
MINI_KB = TESTS / "validate" / "minikb"
MINI_RULES = TESTS / "validate" / "minirules"

RunCli = Callable[..., tuple[int, str, str]]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `{relative path: content}` under `root`: text dedented, bytes as they are."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def build_tree() -> Callable[[Path, Mapping[str, str | bytes]], Path]:
    """`build_tree(root, {relative path: text})`, copier-style: writes the files, returns root."""
    return write_tree


@pytest.fixture
def run_cli() -> RunCli:
    """Run `opsbook ARGS...` in-process; return (exit code, stdout, stderr), kept apart
    (click >= 8.2 always separates them, which `mix_stderr=False` did before).

    An exception that escapes the command is appended to stderr as its traceback, so a
    test asserting "no Traceback" fails on crashes too.
    """
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(cli, list(args), input=input, prog_name="opsbook")
        stderr = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            stderr += "".join(traceback.format_exception(result.exception))
        return result.exit_code, result.stdout, stderr

    return run


@pytest.fixture
def mini_playbook(tmp_path: Path) -> Path:
    """A fresh copy of the mini KB and rules as `tmp_path/kb` and `tmp_path/rules`."""
    shutil.copytree(MINI_KB, tmp_path / "kb")
    shutil.copytree(MINI_RULES, tmp_path / "rules")
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the validated-playbook cache of the test run, and of the CLI processes it starts (they
    inherit the environment), out of the user's home; a test needing an empty cache sets its own."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("cache")
        patch.setenv("OPSBOOK_CACHE", str(folder))
        patch.delenv("OPSBOOK_NO_CACHE", raising=False)  # the cold-path test needs the cache on
        yield folder


ROOT = TESTS.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="session")
def playbook():
    """The shipped playbook (kb/ and rules/), loaded once."""
    from generator.plan.playbook import load_playbook

    return load_playbook(ROOT / "kb", ROOT / "rules")
