"""Ticks from a JSON plan: each item's `done`, as a program or a person may have written it
(`true`, `1`, `"yes"`, `"done"`)."""

from __future__ import annotations

import json
import re
from typing import Any

from generator.core.errors import OpsbookError
from generator.kb.loader import parse_json
from generator.plan.progress import Progress, lost_tick, prefixed, progress, unreadable
from generator.render.plan_labels import ticked


def _done(value: Any) -> bool | None:
    """Whether a `done` value means done; None when it cannot be told."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return True if value == 1 else False if value == 0 else None
    return ticked(value) if isinstance(value, str) else None


def _line(text: str, item_id: str) -> int:
    """The line of the item's `"id"` (the JSON parser keeps no positions)."""
    found = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(item_id, ensure_ascii=False)), text)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def read(text: str, shown: str) -> Progress:
    try:
        data = parse_json(text, shown)
    except OpsbookError as exc:
        raise prefixed(exc) from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        raise unreadable(shown, 1, "expected an opsbook plan with `items: [{id, done}, ...]`")
    done, warnings = [], []
    for item in items:
        flag = _done(item.get("done"))
        if flag:
            done.append(item["id"])
        elif flag is None:
            shown_value = json.dumps(item.get("done"), ensure_ascii=False)[:40]
            warnings.append(lost_tick(shown, _line(text, item["id"]), f"`done` of `{item['id']}` is {shown_value}, "
                                      "not true or false: it is kept as not done"))
    return progress((i["id"] for i in items), done, warnings)
