"""The module-author API of the Kubernetes product.

A module (the bundled ones under `modules/`, `targets/`, `projects/` and `examples/`, and your
own) imports the engine's public names from `modsys` (`mk_option`, `mk_if`, `types`, `set_at`,
…) and everything Kubernetes-specific from here; nothing else in `modsys` is promised to stay.

    from modsys import mk_enable_option, mk_if, set_at
    from modsys.platform.authoring import k8s_yaml, mk_deployment

What is here:

- **Kubernetes versions**: `DEFAULT_KUBERNETES_VERSION`, `SUPPORTED_VERSIONS`.
- **Objects as plain data** (`modsys.builders`): `mk_deployment`, `mk_service`,
  `mk_config_map`, `mk_hpa`, `mk_pdb`, `mk_network_policy`, `mk_default_deny`,
  `mk_namespace`, `mk_container`, `mk_env`, `mk_labels`, `selector_labels`,
  `config_checksum`, `dns_egress_rule`, the restricted security contexts, `DNS_LABEL`, and
  `parse_quantity` / `resource_problems` for resource quantities.
- **Local clusters**: `k3d_cluster_options` (the options of one k3d cluster), `k3d_config_of`,
  `k3d_image_warnings`, `kind_config`, `KIND_IMAGES`, `CLUSTER_NAME`, and the scripts
  `k3d_create_script`, `k3d_delete_script`, `kind_create_script`, `kind_delete_script`,
  `shell_script`, `shell_words`.
- **Secret values as references** (`modsys.secrets`, which documents them): `from_env(VAR)`,
  `from_file(path)` (read when rendering), `external(key, property, store=…)` (fetched by the
  cluster through the External Secrets Operator), given as the values of a Secret's
  `stringData`: `resources.Secret.db.stringData.password = from_env("DB_PASSWORD")`. How each
  output format treats Secrets (sealed, external, plaintext only where allowed) is in the README.
- **Option types**: `file_path`, a path to a file that, when relative, is taken from the
  folder of the module defining it (like a Nix path literal).
- **Files**: `k8s_yaml(obj)`, the canonical YAML text of a Kubernetes-style object, written
  exactly as the renderers write objects.
- **The platform module's own hooks** (for `modules/platform/kubernetes/`): `kube_object`,
  the option type of one object, and `manifest_sets_of`, the computed plan.
"""

from __future__ import annotations

from typing import Any

from modsys.builders import (
    DNS_LABEL,
    RESTRICTED_CONTAINER_SECURITY,
    RESTRICTED_POD_SECURITY,
    config_checksum,
    dns_egress_rule,
    mk_config_map,
    mk_container,
    mk_default_deny,
    mk_deployment,
    mk_env,
    mk_hpa,
    mk_labels,
    mk_namespace,
    mk_network_policy,
    mk_pdb,
    mk_service,
    parse_quantity,
    resource_problems,
    selector_labels,
)
from modsys.builders.clusters import (
    CLUSTER_NAME,
    KIND_IMAGES,
    k3d_create_script,
    k3d_delete_script,
    kind_config,
    kind_create_script,
    kind_delete_script,
    shell_script,
    shell_words,
)
from modsys.builders.k3d_options import k3d_cluster_options, k3d_config_of, k3d_image_warnings
from modsys.kube.kinds import DEFAULT_KUBERNETES_VERSION, SUPPORTED_VERSIONS
from modsys.kube.yamldump import dump, k8s_canonical
from modsys.platform.evaluated import manifest_sets_of
from modsys.platform.objtype import kube_object
from modsys.platform.pathtype import file_path
from modsys.secrets.refs import external, from_env, from_file


def k8s_yaml(obj: dict[str, Any]) -> str:
    """The YAML text of a Kubernetes-style object (`apiVersion`, `kind`, `metadata` first,
    everything nested sorted), as the renderers write objects: for config files such as
    `k3d.yaml` that a module adds to the rendered tree."""
    return dump(k8s_canonical(obj))


__all__ = [
    "CLUSTER_NAME",
    "DEFAULT_KUBERNETES_VERSION",
    "DNS_LABEL",
    "KIND_IMAGES",
    "RESTRICTED_CONTAINER_SECURITY",
    "RESTRICTED_POD_SECURITY",
    "SUPPORTED_VERSIONS",
    "config_checksum",
    "dns_egress_rule",
    "external",
    "file_path",
    "from_env",
    "from_file",
    "k3d_cluster_options",
    "k3d_config_of",
    "k3d_create_script",
    "k3d_delete_script",
    "k3d_image_warnings",
    "k8s_yaml",
    "kind_config",
    "kind_create_script",
    "kind_delete_script",
    "kube_object",
    "manifest_sets_of",
    "mk_config_map",
    "mk_container",
    "mk_default_deny",
    "mk_deployment",
    "mk_env",
    "mk_hpa",
    "mk_labels",
    "mk_namespace",
    "mk_network_policy",
    "mk_pdb",
    "mk_service",
    "parse_quantity",
    "resource_problems",
    "selector_labels",
    "shell_script",
    "shell_words",
]
