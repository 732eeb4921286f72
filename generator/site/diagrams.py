"""Mermaid flowcharts of the operating loop and of each phase's steps."""

from __future__ import annotations

from itertools import pairwise

from generator.kb.model import KB, Phase
from generator.site.escape import mermaid_label


def fence(body: str) -> str:
    """A Mermaid diagram as a fenced block (rendered by the `mermaid` custom fence)."""
    return f"```mermaid\n{body}\n```"


def loop_flowchart(kb: KB, lang: str) -> str:
    """The phases in order, the last one feeding back into the first (top to bottom: six
    boxes in a row would shrink their text below reading size)."""
    lines = ["flowchart TD"]
    ids = [f"p{n}" for n in range(1, len(kb.phases) + 1)]
    for node, phase in zip(ids, kb.phases, strict=True):
        lines.append(f"    {node}({mermaid_label(f'{phase.order}. {phase.title(lang)}')})")
    lines += [f"    {a} --> {b}" for a, b in pairwise(ids)]
    if len(ids) > 1:
        lines.append(f"    {ids[-1]} -.-> {ids[0]}")
    return fence("\n".join(lines))


def phase_flowchart(kb: KB, phase: Phase, lang: str) -> str:
    """The steps of `phase` with their `depends_on` edges; steps of other phases they
    depend on are drawn dashed."""
    node = {step.id: f"s{n}" for n, step in enumerate(phase.steps, start=1)}
    lines = ["flowchart TD"]
    lines += [f"    {node[s.id]}[{mermaid_label(s.title(lang))}]" for s in phase.steps]
    outside: dict[str, str] = {}
    edges = []
    for step in phase.steps:
        for dep in step.depends_on:
            if dep not in node:
                outside.setdefault(dep, f"x{len(outside) + 1}")
            edges.append(f"    {node.get(dep) or outside[dep]} --> {node[step.id]}")
    for dep, name in outside.items():
        other = kb.step_by_id[dep]
        title = f"{kb.phase_by_id[other.phase].title(lang)}: {other.title(lang)}"
        lines.append(f"    {name}[{mermaid_label(title)}]:::outside")
    lines += edges
    if outside:
        lines.append("    classDef outside stroke-dasharray: 4 4")
    return fence("\n".join(lines))
