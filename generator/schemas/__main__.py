"""`python -m generator.schemas`: write the generated schema files again (`--check`: only say
which are out of date, exit 1 if any)."""

from __future__ import annotations

import sys

from generator.schemas.schema_files import stale, write


def main(argv: list[str]) -> int:
    if argv[1:] == ["--check"]:
        old = stale()
        for name in old:
            print(f"generator/schemas/{name}.schema.json is out of date: run `python -m generator.schemas`")
        return 1 if old else 0
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
