"""Rendering one manifest set per cluster of a multi-cluster target.

An evaluation deploys to one cluster; a multi-cluster target (`targets/multi-k3d.py`) declares
its clusters and an option naming the current one. `render_clusters` re-evaluates with each
cluster as the current one and renders each into `<out_dir>/<cluster>/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modsys import mk_force


def cluster_names(evaluation: Any, target: str = "multi-k3d") -> list[str]:
    """The clusters of `targets.<target>.clusters`, sorted."""
    return sorted(evaluation.config["targets"][target]["clusters"])


def for_cluster(evaluation: Any, name: str, target: str = "multi-k3d") -> Any:
    """The evaluation with `targets.<target>.current` forced to `name`."""
    return evaluation.extend_modules(
        [
            {
                "_file": f"<cluster {name}>",
                "targets": {target: {"current": mk_force(name)}},
                # this is already the cluster's own configuration: don't expand the variants
                "platform": {"kubernetes": {"variant": name}},
            }
        ]
    )


def render_clusters(
    evaluation: Any, fmt: str, out_dir: Path | str, target: str = "multi-k3d"
) -> dict[str, Any]:
    """Render every cluster into its own `<out_dir>/<cluster>/` (one write per cluster).

    `modsys.platform.render_evaluation` does the same in one atomic write through the target's
    `platform.kubernetes.variants`; this stays for callers that want one tree per call.
    """
    from modsys.platform import render_evaluation

    out = Path(out_dir)
    return {
        name: render_evaluation(for_cluster(evaluation, name, target), fmt, out / name)
        for name in cluster_names(evaluation, target)
    }
