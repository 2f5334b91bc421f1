"""Golden outputs of `dump --annotate`, `why`, `plan` and `diff` (regenerate with
MODSYS_REGEN_GOLDEN=1), on the small fixtures and, once they exist, on the bundled examples.

In the goldens of the bundled examples, line numbers of definitions are written as `:N`: the
bundled modules change often, and the fixture goldens already pin exact lines.
"""

from __future__ import annotations

import re

import pytest

from modsys.cli.resolve import bundled_root

NO_DEFAULTS = "--no-default-modules"


def _ok(r, codes=(0,)):
    assert r.exit_code in codes, r.output
    return r.stdout


def test_golden_dump_annotate(run, fixtures, golden):
    """The annotated dump of base + overlay."""
    golden("dump-annotate.yaml", _ok(run("dump", "base.py", "overlay.py", "--annotate", NO_DEFAULTS)))


def test_golden_why(run, fixtures, golden):
    """`why` of an overridden option, of an entry in an attrs-of submodule, of an mk_if."""
    out = [
        _ok(run("why", "base.py", "overlay.py", path, NO_DEFAULTS))
        for path in ("app.replicas", "app.servers.main.port", "app.debug", "app.tags")
    ]
    golden("why.txt", "\n".join(out))


def test_golden_plan(run, fixtures, golden):
    """The plan tree of the small platform configuration."""
    golden("plan.txt", _ok(run("plan", "app.py", "app_prod.py")))


def test_golden_diff(run, fixtures, golden):
    """Config and object diff between the small configuration and its production overlay."""
    golden("diff.txt", _ok(run("diff", "app.py", "--", "app.py", "app_prod.py"), (1,)))


# --- the bundled examples ----------------------------------------------------------------------


def _no_lines(text: str) -> str:
    return re.sub(r"(\.(?:py|yaml|yml|json)):\d+", r"\1:N", text)


def _example(name: str) -> str:
    root = bundled_root()
    if root is None or not (root / "examples" / f"{name}.py").is_file():
        pytest.skip(f"examples/{name}.py is not there yet")
    return f"examples/{name}"


def test_golden_example_local_plan(run, workdir, golden):
    """`modsys plan examples/local`."""
    golden("example-local-plan.txt", _ok(run("plan", _example("local"))))


def test_golden_example_local_dump_annotate(run, workdir, golden):
    """`modsys dump examples/local --annotate`: every value with who set it."""
    out = _ok(run("dump", _example("local"), "--annotate"))
    golden("example-local-dump-annotate.yaml", _no_lines(out))


def test_golden_example_local_why(run, workdir, golden):
    """`modsys why` on the local example's Kubernetes version and batch priorities."""
    example = _example("local")
    out = [
        _ok(run("why", example, path))
        for path in (
            "platform.kubernetes.cluster.uniqueIdentifier",
            "platform.kubernetes.cluster.batches.services.priority",
        )
    ]
    golden("example-local-why.txt", _no_lines("\n".join(out)))


def test_golden_example_diff_local_production(run, workdir, golden):
    """`modsys diff examples/local -- examples/production`."""
    a, b = _example("local"), _example("production")
    golden("example-diff-local-production.txt", _ok(run("diff", a, "--", b), (0, 1)))
