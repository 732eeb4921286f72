"""What the site tests share besides fixtures (imported as `sitetools`, like
tests/rules/strategies.py): the repository root, the result of building the site, and a
browser tab that records requests to other hosts and console errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # screenshots (git-ignored)


@dataclass(frozen=True)
class Built:
    """The shipped site built by `opsbook site build -d site_dir`."""

    site_dir: Path
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Tab:
    page: Any
    base: str
    elsewhere: list[str] = field(default_factory=list)  # requests to other hosts
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def assert_offline_and_clean(self) -> None:
        assert self.elsewhere == [], "requests to other hosts"
        assert self.errors == [], "console errors"

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))
