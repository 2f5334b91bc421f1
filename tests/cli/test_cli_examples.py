"""The commands on the bundled examples (skipped until the examples exist)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from modsys.cli.resolve import bundled_root


def _root() -> Path:
    root = bundled_root()
    if root is None or not (root / "examples" / "local.py").is_file():
        pytest.skip("the bundled examples are not there yet")
    return root


class _TagsAsValues(yaml.SafeLoader):
    """Reads priority tags as the value they wrap, as an editor's YAML checker sees them."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        return value["value"] if suffix in ("override", "order") and "value" in value else value
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    assert isinstance(node, yaml.ScalarNode)
    tag = loader.resolve(yaml.ScalarNode, node.value, (node.style is None, False))
    return loader.construct_object(yaml.ScalarNode(tag, node.value, style=node.style))


_TagsAsValues.add_multi_constructor("!", _tagged)


def test_schema_checks_the_overlays(run, workdir):
    """Every example overlay validates against the schema of the production example, and a typo
    or a wrong type in it would not."""
    import jsonschema

    root = _root()
    r = run("schema", "examples/production")
    assert r.exit_code == 0, r.output
    validator = jsonschema.Draft202012Validator(json.loads(r.stdout))
    overlays = sorted((root / "examples" / "overlays").glob("*.yaml"))
    assert overlays
    for path in overlays:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TagsAsValues)
        errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.name
    assert not validator.is_valid({"projects": {"wookie": {"enable": True, "nmespace": "x"}}})
    assert not validator.is_valid({"projects": {"wookie": {"enable": "yes"}}})


def test_readme_render_command(run, workdir):
    """`modsys render examples/local.py` (the README's first command) writes the tree."""
    _root()
    r = run("render", "examples/local.py")
    assert r.exit_code == 0, r.output
    assert (workdir / "out" / "index.json").is_file()
    assert (workdir / "out" / "apply.sh").is_file()


@pytest.mark.parametrize("example", ["local", "production"])
def test_validate_examples(run, workdir, example):
    """The examples validate."""
    _root()
    r = run("validate", f"examples/{example}")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("ok: ")
