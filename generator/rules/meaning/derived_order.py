"""Order rules by the derived facts they read, so chaining sees only final facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from generator.core.records import record
from generator.rules.model import Rule, facts_read


@record
class Level:
    """Rules (indices, ascending) evaluated together; `cyclic` ones depend on each other."""

    rules: tuple[int, ...]
    cyclic: bool


def schedule(rules: Sequence[Rule]) -> tuple[Level, ...]:
    """Levels in evaluation order: every rule comes after the rules that set what it reads.

    At each depth the rules outside cycles form one level, and each cycle its own, so
    a cycle that must be re-evaluated drags nothing else along.
    """
    edges = _dependencies(rules)
    depth: dict[int, int] = {}
    levels: dict[tuple[int, int], list[int]] = defaultdict(list)
    for component in _components(edges):  # dependencies come out first
        members = set(component)
        d = max((depth[s] + 1 for r in component for s in edges[r] if s not in members), default=0)
        cyclic = len(component) > 1 or component[0] in edges[component[0]]
        for r in component:
            depth[r] = d
        # Non-cyclic rules of one depth share slot (d, -1); a cycle gets its own slot.
        levels[(d, min(component) if cyclic else -1)].extend(component)
    return tuple(Level(tuple(sorted(levels[key])), key[1] >= 0) for key in sorted(levels))


def _dependencies(rules: Sequence[Rule]) -> list[list[int]]:
    setters: dict[str, list[int]] = defaultdict(list)
    for index, rule in enumerate(rules):
        for name, _ in rule.then.set:
            setters[name].append(index)
    return [sorted({s for fact in facts_read(rule) for s in setters.get(fact, ())}) for rule in rules]


def _components(edges: list[list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively (thousands of rules
    would overflow Python's recursion limit); a component comes after those it reaches."""
    index = [-1] * len(edges)
    low = [0] * len(edges)
    on_stack = [False] * len(edges)
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(len(edges)):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, start = work.pop()
            if start == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            for position in range(start, len(edges[v])):
                w = edges[v][position]
                if index[w] < 0:
                    work += [(v, position + 1), (w, 0)]
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            else:
                if low[v] == index[v]:
                    found.append(_pop_component(stack, on_stack, v))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
    return found


def _pop_component(stack: list[int], on_stack: list[bool], root: int) -> list[int]:
    component = []
    while True:
        w = stack.pop()
        on_stack[w] = False
        component.append(w)
        if w == root:
            return component
