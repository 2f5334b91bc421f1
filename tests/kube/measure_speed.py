"""Manual timing of schema validation (not a test: pytest does not collect it, and timings do
not belong in assertions). Run: `python tests/kube/measure_speed.py [N]` from the repository.

Validates N apps (Deployment + Service + ConfigMap; N=3000 gives 9000 objects) with modsys, with
jsonschema using validators cached per kind (what one would write on top of kubernetes-validate's
schema files), and with kubernetes-validate's own per-object call on a sample.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kube_samples import make_config_map, make_deployment, make_service


def objects(n: int) -> list[dict]:
    out = []
    for i in range(n):
        ns = f"team-{i % 10}"
        out += [
            make_deployment(f"app-{i}", ns),
            make_service(f"app-{i}", ns),
            make_config_map(f"app-{i}", ns),
        ]
    return out


def best_of(runs: int, fn) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    objs = objects(n)
    version = "1.31"

    start = time.perf_counter()
    from modsys.kube import validate_names, validate_objects

    assert validate_objects(objs, version) == []
    print(
        f"modsys cold (import, load schemas, compile, validate {len(objs)}): "
        f"{time.perf_counter() - start:.3f} s"
    )
    best, median = best_of(5, lambda: validate_objects(objs, version))
    print(f"modsys validate_objects, warm: best {best:.3f} s, median {median:.3f} s")
    best, median = best_of(5, lambda: validate_names(objs))
    print(f"modsys validate_names: best {best:.3f} s, median {median:.3f} s")

    import jsonschema
    import kubernetes_validate
    from referencing import Registry, Resource

    from modsys.kube.kinds import schema_root

    folder = schema_root() / f"v{version}.0-local-strict"
    registry = (
        Resource.from_contents(json.loads((folder / "_definitions.json").read_text())) @ Registry()
    )
    validators = {}
    for kind, file in [
        ("Deployment", "deployment-apps-v1"),
        ("Service", "service-v1"),
        ("ConfigMap", "configmap-v1"),
    ]:
        schema = json.loads((folder / f"{file}.json").read_text())
        validators[kind] = jsonschema.Draft202012Validator(schema, registry=registry)

    def with_jsonschema():
        for obj in objs:
            for _ in validators[obj["kind"]].iter_errors(obj):
                pass

    best, median = best_of(2, with_jsonschema)
    print(f"jsonschema, validators cached per kind: best {best:.3f} s, median {median:.3f} s")

    sample = objs[:90]
    start = time.perf_counter()
    for obj in sample:
        kubernetes_validate.validate(obj, version, strict=True)
    per_call = (time.perf_counter() - start) / len(sample)
    print(
        f"kubernetes_validate.validate: {per_call * 1000:.1f} ms per object, "
        f"~{per_call * len(objs):.0f} s for {len(objs)}"
    )


if __name__ == "__main__":
    main()
