"""Names derived from user data cannot escape the output directory or break the tools."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from modsys.errors import ValidationError
from modsys.render import RENDERERS, RenderInput, render
from modsys.render.naming import Unique, check_relpath, dns_label, file_segment

HOSTILE = [
    "../evil",
    "..",
    ".",
    "",
    "a/b",
    "/etc/passwd",
    "..\\..\\windows",
    "UPPER Case",
    "new\nline",
    "$(touch pwned)",
    "`touch pwned`",
    "'; rm -rf / #",
    "ümlaut",
    ".hidden",
    "x" * 300,
    "a..b",
    "-dash-",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_file_segments_are_plain_names(name: str):
    seg = file_segment(name)
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", seg), seg
    assert ".." not in seg and len(seg) <= 100
    check_relpath(seg)


@pytest.mark.parametrize("name", HOSTILE)
def test_dns_labels_are_valid(name: str):
    label = dns_label(name, max_len=53)
    assert re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?", label), label
    assert len(label) <= 53


def test_long_names_stay_distinct():
    a, b = "x" * 200 + "a", "x" * 200 + "b"
    assert file_segment(a) != file_segment(b) and dns_label(a) != dns_label(b)


def test_clashing_names_get_numeric_suffixes():
    names = Unique({"values.yaml"})
    assert [names.claim("values", ".yaml"), names.claim("a"), names.claim("a")] == [
        "values-2.yaml",
        "a",
        "a-2",
    ]


@pytest.mark.parametrize("path", ["/abs", "a/../b", "../a", "a//b", "a/./b", "a\\b", "", "a/"])
def test_unsafe_relative_paths_are_refused(path: str):
    with pytest.raises(ValueError):
        check_relpath(path)


def _hostile_plan() -> RenderInput:
    bundles = [
        {
            "name": name,
            "namespace": "default",
            "objects": [
                {
                    "apiVersion": "v1",
                    "kind": "../ConfigMap",
                    "metadata": {"name": name or "x", "namespace": "default"},
                    "data": {"k": name},
                }
            ],
        }
        for name in HOSTILE
    ]
    bundles.append(
        {
            "name": "../chart",
            "namespace": "default",
            "chart": {
                "name": "../c",
                "repository": "https://r.example",
                "version": "1",
                "releaseName": "r",
            },
            "wait": [{"kind": "Deployment", "name": "$(touch pwned)", "for": "rollout"}],
        }
    )
    return RenderInput.from_data(
        {
            "manifestSets": [
                {"name": n, "priority": i, "bundles": bundles if i == 0 else []}
                for i, n in enumerate(["../../batch", "a/b", "."])
            ],
            "gitops": {"repoURL": "https://example.com/x/../y.git"},
        }
    )


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_hostile_names_stay_inside_the_output_directory(fmt: str, tmp_path: Path):
    result = render(_hostile_plan(), fmt)
    out = result.write(tmp_path / "out")
    for rel in result.files:
        check_relpath(rel)
        assert (out / rel).resolve().is_relative_to(out)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written - {".modsys-render"} == set(result.files)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_hostile_names_cannot_inject_shell_commands(tmp_path: Path, fake_tools):
    out = render(_hostile_plan(), "dir").write(tmp_path / "out")
    for script in ("apply.sh", "destroy.sh"):
        result = subprocess.run(
            ["bash", str(out / script)],
            env=fake_tools,
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
    assert not list(tmp_path.rglob("pwned"))


def test_hostile_names_cannot_inject_yaml_into_the_stream():
    data = render(_hostile_plan(), "stream").files["manifests.yaml"].decode()
    assert "\n# chart bundle ../../batch/../chart left out" in data
    for line in data.splitlines():
        assert not line.startswith("line") and not line.startswith("kind: Secret")


def test_plan_files_that_escape_are_refused():
    plan = RenderInput.from_data({"files": {"../outside": "x", "/etc/passwd": "y", "ok.txt": "z"}})
    with pytest.raises(ValidationError) as err:
        render(plan, "dir")
    assert len(err.value.problems) == 2


@pytest.mark.parametrize("path", ["apply.sh", "index.json", "apply.sh/x", "00-a"])
def test_plan_files_that_clash_with_rendered_files_are_refused(path: str):
    plan = RenderInput.from_data(
        {
            "manifestSets": [
                {
                    "name": "a",
                    "priority": 1,
                    "bundles": [
                        {
                            "name": "b",
                            "objects": [
                                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}
                            ],
                        }
                    ],
                }
            ],
            "files": {path: "x"},
        }
    )
    with pytest.raises(ValidationError, match="clash"):
        render(plan, "dir")
