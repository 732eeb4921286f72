"""Mermaid flowcharts of the operating loop and of each phase's steps, laid out to be read
at full size (layout.py): labels wrapped, at most three nodes side by side, and a phase with
many steps drawn as a few sub-flows (its steps grouped by domain, in the phase's order), each
with the steps it comes after drawn dashed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from generator.kb.model import KB, Phase, Step
from generator.site.escape import mermaid_lines
from generator.site.layout import Edge, pinned_rows, rows, wrap
from generator.site.page_labels import vocab
from generator.words import section, word

MAX_STEPS = 8  # a phase with more steps is drawn as sub-flows of about this many at most
SUB_FLOW = 6


@dataclass(frozen=True)
class Flow:
    """One diagram of a phase: its heading (empty when it is the whole phase) and Mermaid text."""

    title: str
    body: str


def fence(body: str) -> str:
    """A Mermaid diagram as a fenced block (rendered by site/assets/javascripts/diagrams.js)."""
    return f"```mermaid\n{body}\n```"


def loop_flowchart(kb: KB, lang: str) -> str:
    """The phases in order, the last one feeding back into the first (top to bottom: six
    boxes in a row would shrink their text below reading size)."""
    lines = ["flowchart TD"]
    ids = [f"p{n}" for n in range(1, len(kb.phases) + 1)]
    for node, phase in zip(ids, kb.phases, strict=True):
        lines.append(f"    {node}({mermaid_lines(wrap(f'{phase.order}. {phase.title(lang)}', 28))})")
    lines += [f"    {a} --> {b}" for a, b in pairwise(ids)]
    if len(ids) > 1:
        lines.append(f"    {ids[-1]} -.-> {ids[0]}")
    return fence("\n".join(lines))


def _label(kb: KB, step_id: str, phase: Phase, lang: str) -> str:
    step = kb.step_by_id[step_id]
    lines = wrap(step.title(lang))
    if step.phase != phase.id:
        other = section(lang, "phase").get(step.phase) or kb.phase_by_id[step.phase].title(lang)
        lines.insert(0, word(lang, "page.other_phase").format(phase=other))
    return mermaid_lines(lines)


def flowchart(kb: KB, phase: Phase, steps: Sequence[Step], lang: str) -> str:
    """`steps` with their `depends_on` edges; the steps they come after that are not among
    them are drawn dashed (with their phase's name when it is another phase)."""
    mine = [s.id for s in steps]
    nodes = list(mine)
    edges: list[Edge] = []
    for step in steps:
        for dep in step.depends_on:
            if dep not in nodes:
                nodes.insert(nodes.index(step.id), dep)  # just before its first follower
            edges.append((dep, step.id))
    name = {n: f"s{i}" for i, n in enumerate(nodes, start=1)}
    lines = ["flowchart TD"]
    for node in nodes:
        style = "" if node in mine else ":::outside"
        lines.append(f"    {name[node]}[{_label(kb, node, phase, lang)}]{style}")
    lines += [f"    {name[a]} --> {name[b]}" for a, b in edges]
    lines += [f"    {name[a]} ~~~ {name[b]}" for a, b in pinned_rows(rows(nodes, edges), edges)]
    if len(nodes) > len(mine):
        lines.append("    classDef outside stroke-dasharray: 4 4")
    return "\n".join(lines)


def _groups(phase: Phase) -> list[list[Step]]:
    """The phase's steps by domain (in order of first appearance), domains joined while a
    group stays within SUB_FLOW steps."""
    by_domain: dict[str, list[Step]] = {}
    for step in phase.steps:
        by_domain.setdefault(step.domain, []).append(step)
    groups: list[list[Step]] = []
    for steps in by_domain.values():
        if groups and len(groups[-1]) + len(steps) <= SUB_FLOW:
            groups[-1] += steps
        else:
            groups.append(list(steps))
    return groups


def _domains(steps: Sequence[Step], lang: str) -> str:
    names = [vocab(d, lang) for d in dict.fromkeys(s.domain for s in steps)]
    words = section(lang, "page")
    text = names[-1] if len(names) == 1 else words["list_sep"].join(names[:-1]) + words["last_sep"] + names[-1]
    return text[:1].upper() + text[1:] if lang == "en" else text


def phase_flows(kb: KB, phase: Phase, lang: str) -> list[Flow]:
    """The phase's step flow: one diagram, or one per group of domains when it has many steps."""
    if len(phase.steps) <= MAX_STEPS:
        return [Flow("", fence(flowchart(kb, phase, phase.steps, lang)))]
    return [Flow(_domains(g, lang), fence(flowchart(kb, phase, g, lang))) for g in _groups(phase)]
