"""Fixtures for the command-line tests: a runner, small module files, and golden outputs.

Golden files live in `tests/cli/golden/`; regenerate them with `MODSYS_REGEN_GOLDEN=1 pytest
tests/cli`.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

GOLDEN = Path(__file__).resolve().parent / "golden"
REGEN = os.environ.get("MODSYS_REGEN_GOLDEN", "") not in ("", "0")

BASE = '''
from modsys import mk_default, mk_if, mk_option, types as t

server = {"options": {
    "port": mk_option(type=t.port, default=80, description="Port to listen on."),
    "host": mk_option(type=t.str, description="Host name."),
}}

module = {
    "options": {
        "app": {
            "name": mk_option(type=t.str, default="web", description="The app name."),
            "version": mk_option(type=t.str, description="Version string."),
            "replicas": mk_option(type=t.ints.positive, default=1, description="Replicas."),
            "debug": mk_option(type=t.bool, default=False),
            "password": mk_option(type=t.null_or(t.str), default=None, sensitive=True),
            "tags": mk_option(type=t.list_of(t.str), default=[]),
            "labels": mk_option(type=t.attrs_of(t.str), default={}),
            "mode": mk_option(type=t.enum(["dev", "prod"]), default="dev"),
            "ratio": mk_option(type=t.null_or(t.float), default=None),
            "servers": mk_option(type=t.attrs_of(t.submodule(server)), default={}),
            "internalThing": mk_option(type=t.int, default=1, internal=True),
        }
    },
    "config": {
        "app": {
            "version": "1.0",
            "replicas": mk_default(2),
            "tags": ["a"],
            "labels": {"team": "core"},
            "servers": {"main": {"host": "example.org"}},
            "debug": mk_if(False, True),
        }
    },
}
'''

OVERLAY = '''
from modsys import mk_force

module = {
    "app": {
        "replicas": mk_force(5),
        "tags": ["b"],
        "password": "hunter2",
        "labels": {"env": "prod"},
        "servers": {"main": {"port": 8080}},
    }
}
'''

# A small platform configuration: a namespace, and a web bundle with a Deployment, a Secret
# and a ConfigMap (needs the platform module, i.e. the default modules).
APP = '''
module = {"platform": {"kubernetes": {"cluster": {
    "uniqueIdentifier": "k3d-test",
    "batches": {
        "namespaces": {"bundles": {"ns": {"manifests": [
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "web"}},
        ]}}},
        "services": {"bundles": {"web": {
            "namespace": "web",
            "dependsOn": ["namespaces/ns"],
            "resources": {
                "Deployment": {"web": {"spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                        "metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
                    },
                }}},
                "Secret": {"creds": {"stringData": {"password": "hunter2"}}},
                "ConfigMap": {"settings": {"data": {"mode": "prod"}}},
            },
        }}},
    },
}}}}
'''

APP_PROD = '''
from modsys import mk_force

module = {"platform": {"kubernetes": {"cluster": {"batches": {"services": {"bundles": {"web": {
    "resources": {
        "Deployment": {"web": {"spec": {"replicas": mk_force(5)}}},
        "Secret": {"creds": {"stringData": {"password": mk_force("changed")}}},
        "Service": {"web": {"spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}},
    },
}}}}}}}}
'''


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory (paths in outputs are shown relative to it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def write(workdir: Path) -> Callable[[str, str], Path]:
    """Write a module file into the working directory."""

    def write_file(name: str, text: str) -> Path:
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def fixtures(write: Callable[[str, str], Path]) -> dict[str, Path]:
    """The standard small modules: base.py, overlay.py, app.py, app_prod.py."""
    return {
        "base": write("base.py", BASE),
        "overlay": write("overlay.py", OVERLAY),
        "app": write("app.py", APP),
        "app_prod": write("app_prod.py", APP_PROD),
    }


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke `modsys` in-process; returns click's Result (stdout and stderr apart)."""
    from modsys.cli.app import cli

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with a golden file (or rewrite it when MODSYS_REGEN_GOLDEN is set)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if REGEN or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if not REGEN:
                pytest.fail(f"golden file {path} did not exist; written now, check it in")
        assert path.read_text(encoding="utf-8") == text

    return check
