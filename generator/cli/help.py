"""What every command's help shares: the examples paragraph and the wording of shared options."""

from __future__ import annotations


def examples(*lines: str) -> str:
    """A click epilog listing example command lines, kept line by line as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


LANG_HELP = "Language of the output: zh (Chinese) or en (English)."
