"""What the pull-based formats (Argo CD, Flux, Fleet) need to know about the Git repository.

They point controllers at paths inside a repository, so the repository URL is required and
the tree's place in it (`gitops.path`) must be a clean relative path.
"""

from __future__ import annotations

import re

from modsys.errors import ValidationError
from modsys.render.layout import BundleLayout
from modsys.render.model import RenderInput
from modsys.render.naming import check_relpath, dns_label

REPO_OPTION = ("platform", "kubernetes", "gitops", "repoURL")


def repo_url(plan: RenderInput, fmt: str) -> str:
    if not plan.gitops.repo_url:
        raise ValidationError(
            f"the {fmt} format needs the Git repository the rendered tree is pushed to: "
            "set `platform.kubernetes.gitops.repoURL` (and optionally `targetRevision` and `path`)",
            [f"{fmt}: platform.kubernetes.gitops.repoURL is not set"],
            loc=REPO_OPTION,
        )
    return plan.gitops.repo_url


def plan_name(plan: RenderInput) -> str:
    """A name for the plan's top-level GitOps objects: the repository's name ("platform")."""
    url = (plan.gitops.repo_url or "").rstrip("/")
    base = re.sub(r"\.git$", "", url.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return dns_label(base, max_len=40, fallback="modsys") if base else "modsys"


def repo_path(plan: RenderInput, rel: str = "") -> str:
    """`rel` (a path in the rendered tree) as a path from the repository root; "." for the root."""
    base = plan.gitops.path.strip()
    while base.startswith("./"):
        base = base[2:]
    base = base.strip("/")
    if base in ("", "."):
        base = ""
    else:
        try:
            check_relpath(base)
        except ValueError as exc:
            raise ValidationError(
                f"platform.kubernetes.gitops.path must be a path inside the repository: {exc}",
                [str(exc)],
                loc=("platform", "kubernetes", "gitops", "path"),
            ) from None
    joined = "/".join(p for p in (base, rel) if p)
    return joined or "."


def is_commit(revision: str) -> bool:
    return re.fullmatch(r"[0-9a-f]{40}", revision) is not None


def modsys_labels(b: BundleLayout) -> dict[str, str]:
    """Labels that tie a generated GitOps object back to its bundle (values are label-safe)."""
    return {
        **{str(k): str(v) for k, v in b.bundle.labels.items()},
        "app.kubernetes.io/managed-by": "modsys",
        "modsys.io/batch": dns_label(b.batch.name),
        "modsys.io/bundle": dns_label(b.bundle.name),
    }
