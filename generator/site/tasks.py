"""Checklist checkboxes that can be ticked, remembered and read by a screen reader.

`pymdownx.tasklist` turns `- [ ] **title**{ data-item="id" }` into a checkbox before the
bold title. This extension moves the item ID onto the checkbox (`data-item`, which
site/assets/javascripts/checklists.js keys the tick by) and names the checkbox by the title
(`aria-labelledby`), so "checkbox, <title>" is what assistive technology reads.

The checkbox itself is raw HTML held in Python-Markdown's stash; it is changed there."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

_STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
_INPUT = '<input type="checkbox"'


def task_id(item_id: str) -> str:
    """The HTML id of an item's title on a page (`task-insight-research-design-questions`)."""
    return "task-" + item_id.replace(".", "-")


class TaskTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for li in root.iter("li"):
            if "task-list-item" in li.get("class", "").split():
                self._label(li)

    def _label(self, li: etree.Element) -> None:
        holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
        strong = next((e for e in holder if e.tag == "strong" and "data-item" in e.attrib), None)
        found = _STASHED.search(holder.text or "")
        if strong is None or found is None:
            return
        item = strong.attrib.pop("data-item")
        strong.set("id", task_id(item))
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(found.group(1))
        checkbox = str(blocks[index])
        attributes = f' data-item="{item}" aria-labelledby="{task_id(item)}"'
        blocks[index] = checkbox.replace(_INPUT, _INPUT + attributes, 1)


class TaskExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after attr_list (8) has put data-item on the title, before toc (5)
        md.treeprocessors.register(TaskTreeprocessor(md), "opsbook-tasks", 6)


def makeExtension(**kwargs: Any) -> TaskExtension:
    return TaskExtension(**kwargs)
