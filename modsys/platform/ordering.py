"""Apply order: batches by priority, bundles by their dependencies.

Batches go by ascending priority (lower applies first, as in Nix), ties by name. Inside a batch,
bundles go in topological order of `dependsOn` (Kahn levels from `toposort`, names sorted within a
level), so the order never depends on the order modules were listed in. A dependency may point to
the same or an earlier batch; anything else, and every cycle, is a problem that names all the
bundles involved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
from toposort import CircularDependencyError, toposort

from modsys.platform.problems import Locator, PlanProblem, located, problem_at, where

Id = tuple[str, str]  # (batch, bundle)


def show_id(ident: Id) -> str:
    return f"{ident[0]}/{ident[1]}"


def batch_order(priorities: Mapping[str, int]) -> list[str]:
    """Batch names in apply order: ascending priority, then name."""
    return sorted(priorities, key=lambda name: (priorities[name], name))


@attrs.frozen
class Graph:
    """What ordering needs to know about the bundles of a plan."""

    priorities: Mapping[str, int]
    depends_on: Mapping[Id, Sequence[str]]  # enabled bundles -> dependsOn as written
    disabled: frozenset[Id] = frozenset()

    def origin(self, ident: Id, *rest: str) -> tuple[str, ...]:
        return ("batches", ident[0], "bundles", ident[1], *rest)


@attrs.frozen
class Ordered:
    """The bundles of each batch in apply order, and each bundle's resolved dependencies."""

    batches: list[tuple[str, list[str]]]
    dependencies: dict[Id, list[Id]]
    problems: list[PlanProblem]


def order_plan(graph: Graph, locate: Locator) -> Ordered:
    """Batches and bundles in apply order, dependencies resolved to ids, and every problem."""
    order = batch_order(graph.priorities)
    position = {name: i for i, name in enumerate(order)}
    by_batch: dict[str, list[str]] = {name: [] for name in order}
    for batch, bundle in graph.depends_on:
        by_batch[batch].append(bundle)
    problems: list[PlanProblem] = []
    deps: dict[Id, list[Id]] = {}
    for ident in sorted(graph.depends_on):
        found: set[Id] = set()
        for ref in graph.depends_on[ident]:
            target, why, involved = _resolve(graph, position, by_batch, ident, ref)
            if target is None:
                problems.append(_dependency_problem(graph, locate, ident, ref, why, involved))
            else:
                found.add(target)
        deps[ident] = sorted(found, key=lambda i: (position[i[0]], i[1]))
    batches = []
    for batch in order:
        names, cycle_problems = _bundle_order(graph, batch, by_batch[batch], deps, locate)
        problems.extend(cycle_problems)
        batches.append((batch, names))
    return Ordered(batches, deps, problems)


def _dependency_problem(
    graph: Graph, locate: Locator, ident: Id, ref: str, why: str, involved: list[Id]
) -> PlanProblem:
    for other in involved:
        if text := where(locate, graph.origin(other)):
            why += f"; {show_id(other)} is defined at {text}"
    return problem_at(
        locate,
        graph.origin(ident, "dependsOn"),
        f"bundle {show_id(ident)} depends on {ref!r}, {why}",
        [graph.origin(other) for other in involved],
    )


def _resolve(
    graph: Graph,
    position: Mapping[str, int],
    by_batch: Mapping[str, list[str]],
    ident: Id,
    ref: str,
) -> tuple[Id | None, str, list[Id]]:
    """(target, why-not, other bundles involved) for one `dependsOn` entry."""
    here = position[ident[0]]
    if ref.count("/") > 1 or ref.startswith("/") or ref.endswith("/") or not ref:
        return None, 'which is neither "bundle" nor "batch/bundle"', []
    if "/" in ref:
        batch, name = ref.split("/")
        target = (batch, name)
        if target in graph.disabled:
            return None, "which is disabled (enable = false)", [target]
        if batch not in position or name not in by_batch[batch]:
            return None, f"which does not exist{_known(by_batch, batch)}", []
        if position[batch] > here:
            return None, _later(graph, ident, target), [target]
        return target, "", []
    same = (ident[0], ref)
    if ref in by_batch[ident[0]]:
        return same, "", []
    if same in graph.disabled:
        return None, "which is disabled (enable = false)", [same]
    candidates = [(b, ref) for b in position if ref in by_batch[b]]
    earlier = [c for c in candidates if position[c[0]] < here]
    if len(earlier) == 1:
        return earlier[0], "", []
    if len(earlier) > 1:
        names = ", ".join(show_id(c) for c in earlier)
        return None, f"which is ambiguous: write one of {names}", earlier
    if candidates:
        return None, _later(graph, ident, candidates[0]), candidates
    return None, f"which does not exist{_known(by_batch, ident[0])}", []


def _known(by_batch: Mapping[str, list[str]], batch: str) -> str:
    if batch not in by_batch:
        return f" (there is no batch {batch!r}; batches: {', '.join(sorted(by_batch)) or 'none'})"
    names = sorted(by_batch[batch])
    return f" (bundles of batch {batch!r}: {', '.join(names) or 'none'})"


def _later(graph: Graph, ident: Id, target: Id) -> str:
    mine, theirs = graph.priorities[ident[0]], graph.priorities[target[0]]
    return (
        f"which is in batch {target[0]!r} (priority {theirs}), applied after batch {ident[0]!r} "
        f"(priority {mine}); a bundle may only depend on bundles of its own or an earlier batch"
    )


def _bundle_order(
    graph: Graph, batch: str, names: list[str], deps: Mapping[Id, list[Id]], locate: Locator
) -> tuple[list[str], list[PlanProblem]]:
    edges = {n: {d[1] for d in deps[(batch, n)] if d[0] == batch} for n in names}
    if not any(n in e for n, e in edges.items()):  # toposort ignores self-dependencies
        try:
            return [n for level in toposort(edges) for n in sorted(level)], []
        except CircularDependencyError:
            pass
    problems = []
    cyclic: set[str] = set()
    for component in _cycles(edges):
        cyclic.update(component)
        path = _cycle_path(edges, component)
        involved = [(batch, n) for n in sorted(component)]
        problems.append(problem_at(
            locate, graph.origin(involved[0], "dependsOn"),
            "bundles " + ", ".join(
                show_id(i) + located(locate, graph.origin(i, "dependsOn")) for i in involved
            ) + " depend on each other in a cycle (" + " -> ".join(path) + "); remove one of these dependsOn entries",
            [graph.origin(i, "dependsOn") for i in involved[1:]],
        ))
    # Keep building (for further checks) with the cycles' edges dropped.
    acyclic = {n: {d for d in e if not (n in cyclic and d in cyclic)} for n, e in edges.items()}
    return [n for level in toposort(acyclic) for n in sorted(level)], problems


def _cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with a cycle (Tarjan, iterative), sorted by name."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    out.append(sorted(component))
    return sorted(out)


def _cycle_path(edges: Mapping[str, set[str]], component: list[str]) -> list[str]:
    """One cycle through the component's first member, for the message: a -> b -> a."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for child in sorted(edges[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start] if node != start else [start, start]
                if child not in previous:
                    previous[child] = node
                    nxt.append(child)
        frontier = nxt
    return [*component, component[0]]
