"""Reusable builders: plain functions returning plain data, for modules to use.

- `modsys.builders.kubernetes`: Deployment, Service, ConfigMap, HPA, PDB, NetworkPolicy, …
- `modsys.builders.quantity`: resource quantities and the "limits ≥ requests" check;
- `modsys.builders.clusters`: k3d and kind cluster configs and their create/delete scripts.
"""

from modsys.builders.kubernetes import (
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
    selector_labels,
)
from modsys.builders.quantity import parse_quantity, resource_problems

__all__ = [
    "DNS_LABEL",
    "RESTRICTED_CONTAINER_SECURITY",
    "RESTRICTED_POD_SECURITY",
    "config_checksum",
    "dns_egress_rule",
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
]
