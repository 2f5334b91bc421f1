"""`targets/remote.py`: an existing cluster, and the production guard of apply.sh/destroy.sh."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest
from layer_helpers import evaluate, render

from modsys import ModsysError
from modsys.platform import build_plan


def remote(**settings):
    return {"targets": {"remote": {"enable": True, "context": "prod-eu-1", **settings}}, "projects": {"webapp": {"enable": True}}}


def test_context_and_environment_label():
    ev = evaluate(remote(environment="staging"))
    assert ev.config.platform.kubernetes.cluster.uniqueIdentifier == "prod-eu-1"
    assert ev.config.platform.kubernetes.cluster.labels == {"modsys.io/environment": "staging"}


def test_staging_is_not_guarded_production_is():
    assert "productionGuard" not in build_plan(evaluate(remote(environment="staging")))
    plan = build_plan(evaluate(remote(environment="production")))
    assert plan["productionGuard"] == {"context": "prod-eu-1", "environment": "production"}
    assert "productionGuard" in build_plan(evaluate(remote(environment="staging", protected=True)))
    assert "productionGuard" not in build_plan(evaluate(remote(environment="production", protected=False)))


def test_context_is_required():
    ev = evaluate({"targets": {"remote": {"enable": True}}})
    with pytest.raises(ModsysError, match=r"targets\.remote\.context.*no value defined"):
        _ = ev.config.platform.kubernetes.cluster.uniqueIdentifier


@pytest.fixture
def guarded(tmp_path):
    """A rendered production plan, and a runner with fake kubectl/helm that log their calls."""
    _, out = render(evaluate(remote(environment="production")), tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls"

    def run(script, *args, context="prod-eu-1", stdin=None, tty_answer=None):
        (bin_dir / "kubectl").write_text(
            "#!/bin/sh\n"
            f'if [ "$1 $2" = "config current-context" ]; then echo {context}; exit 0; fi\n'
            f'echo "kubectl $*" >> {log}\n'
        )
        (bin_dir / "helm").write_text(f'#!/bin/sh\necho "helm $*" >> {log}\n')
        for tool in ("kubectl", "helm"):
            (bin_dir / tool).chmod(0o755)
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
        if tty_answer is None:
            proc = subprocess.run([str(out / script), *args], env=env, input=stdin, capture_output=True, text=True)
        else:  # a terminal on stdin, where the person types the answer
            master, slave = pty.openpty()
            os.write(master, tty_answer.encode() + b"\n")
            try:
                proc = subprocess.run([str(out / script), *args], env=env, stdin=slave, capture_output=True,
                                      text=True, timeout=60)
            finally:
                os.close(slave)
                os.close(master)
        calls = log.read_text().splitlines() if log.exists() else []
        return proc, calls

    return run


@pytest.mark.parametrize("script", ["apply.sh", "destroy.sh"])
def test_guard_refuses_another_context(guarded, script):
    proc, calls = guarded(script, "--yes", context="k3d-local")
    assert proc.returncode == 1
    assert "refusing to run" in proc.stderr and "prod-eu-1" in proc.stderr
    assert calls == []


@pytest.mark.parametrize("script", ["apply.sh", "destroy.sh"])
def test_guard_refuses_without_confirmation(guarded, script):
    """No `--yes` and no terminal to ask: nothing runs."""
    proc, calls = guarded(script, stdin="")
    assert proc.returncode == 1
    assert "without --yes" in proc.stderr
    assert calls == []


def test_guard_runs_with_matching_context_and_yes(guarded):
    proc, calls = guarded("apply.sh", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert any(c.startswith("kubectl --context prod-eu-1 apply --server-side") for c in calls)


def test_guard_asks_on_a_terminal(guarded):
    """On a terminal the person must type the context name; anything else aborts."""
    proc, calls = guarded("apply.sh", tty_answer="yes")
    assert proc.returncode == 1
    assert "type the context name (prod-eu-1)" in proc.stderr and "aborted" in proc.stderr
    assert calls == []
    proc, calls = guarded("apply.sh", tty_answer="prod-eu-1")
    assert proc.returncode == 0, proc.stderr
    assert any(c.startswith("kubectl --context prod-eu-1 apply") for c in calls)
