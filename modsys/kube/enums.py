"""The values the API server accepts for enum-valued fields, per Kubernetes version.

The OpenAPI schemas `kubernetes-validate` ships describe these fields as plain strings (the
allowed values are only in the prose), so `imagePullPolicy: Sometimes` passes schema validation
and fails at `kubectl apply`. The table below is kept by hand from the Kubernetes API types
(k8s.io/api, the `+enum` markers and the validation in pkg/apis/*/validation); a value that a
later version added carries the minor version that first accepts it, so checking against an
older cluster rejects it.

Fields are named `<Type>.<field>` after the API type that declares them; `modsys.kube.apiserver`
knows where in each kind those types occur.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from modsys.kube.kinds import kubernetes_minor


@attrs.frozen
class EnumField:
    """Allowed values of one field; `since` gives, for values not in every supported version,
    the first minor version ("1.28") that accepts them."""

    values: tuple[str, ...]
    since: Mapping[str, str] = attrs.field(factory=dict)

    def allowed(self, minor: str) -> tuple[str, ...]:
        """The values accepted by that minor version, in table order."""
        key = _minor_key(minor)
        return tuple(
            v for v in self.values if v not in self.since or _minor_key(self.since[v]) <= key
        )


def _minor_key(minor: str) -> tuple[int, ...]:
    return tuple(int(p) for p in minor.split("."))


def _e(*values: str, **since: str) -> EnumField:
    return EnumField(values, since)


PROTOCOL = _e("TCP", "UDP", "SCTP")
TRAFFIC_POLICY = _e("Cluster", "Local")
UPDATE_STRATEGY = _e("RollingUpdate", "OnDelete")
RETENTION = _e("Retain", "Delete")
HONOR = _e("Honor", "Ignore")

ENUMS: Mapping[str, EnumField] = {
    # core/v1 Container
    "Container.imagePullPolicy": _e("Always", "Never", "IfNotPresent"),
    "Container.terminationMessagePolicy": _e("File", "FallbackToLogsOnError"),
    # only init containers before 1.34 (sidecars, 1.28); container restart rules add the others
    "Container.restartPolicy": _e(
        "Always", "OnFailure", "Never", Always="1.28", OnFailure="1.34", Never="1.34"
    ),
    "ContainerPort.protocol": PROTOCOL,
    "SeccompProfile.type": _e("RuntimeDefault", "Unconfined", "Localhost"),
    "SecurityContext.procMount": _e("Default", "Unmasked"),
    # core/v1 PodSpec
    "PodSpec.restartPolicy": _e("Always", "OnFailure", "Never"),
    "PodSpec.dnsPolicy": _e("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
    "PodSpec.preemptionPolicy": _e("PreemptLowerPriority", "Never"),
    "Toleration.operator": _e("Exists", "Equal"),
    "Toleration.effect": _e("NoSchedule", "PreferNoSchedule", "NoExecute"),
    "TopologySpreadConstraint.whenUnsatisfiable": _e("DoNotSchedule", "ScheduleAnyway"),
    "TopologySpreadConstraint.nodeAffinityPolicy": HONOR,
    "TopologySpreadConstraint.nodeTaintsPolicy": HONOR,
    # core/v1 Service
    "ServiceSpec.type": _e("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"),
    "ServiceSpec.externalTrafficPolicy": TRAFFIC_POLICY,
    "ServiceSpec.internalTrafficPolicy": TRAFFIC_POLICY,
    "ServiceSpec.sessionAffinity": _e("None", "ClientIP"),
    "ServiceSpec.ipFamilyPolicy": _e("SingleStack", "PreferDualStack", "RequireDualStack"),
    "ServiceSpec.ipFamilies": _e("IPv4", "IPv6"),
    "ServiceSpec.trafficDistribution": _e(
        "PreferClose",
        "PreferSameZone",
        "PreferSameNode",
        PreferClose="1.30",
        PreferSameZone="1.33",
        PreferSameNode="1.33",
    ),
    "ServicePort.protocol": PROTOCOL,
    # core/v1 PersistentVolumeClaim
    "PersistentVolumeClaimSpec.accessModes": _e(
        "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"
    ),
    "PersistentVolumeClaimSpec.volumeMode": _e("Filesystem", "Block"),
    # apps/v1
    "DeploymentStrategy.type": _e("RollingUpdate", "Recreate"),
    "StatefulSetSpec.podManagementPolicy": _e("OrderedReady", "Parallel"),
    "StatefulSetUpdateStrategy.type": UPDATE_STRATEGY,
    "StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted": RETENTION,
    "StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled": RETENTION,
    "DaemonSetUpdateStrategy.type": UPDATE_STRATEGY,
    # batch/v1
    "JobSpec.completionMode": _e("NonIndexed", "Indexed"),
    "JobSpec.podReplacementPolicy": _e(
        "TerminatingOrFailed", "Failed", TerminatingOrFailed="1.28", Failed="1.28"
    ),
    "PodFailurePolicyRule.action": _e("FailJob", "Ignore", "Count", "FailIndex", FailIndex="1.28"),
    "CronJobSpec.concurrencyPolicy": _e("Allow", "Forbid", "Replace"),
    # networking.k8s.io/v1
    "HTTPIngressPath.pathType": _e("Exact", "Prefix", "ImplementationSpecific"),
    "NetworkPolicySpec.policyTypes": _e("Ingress", "Egress"),
    "NetworkPolicyPort.protocol": PROTOCOL,
}


def allowed_values(field: str, kubernetes_version: str) -> tuple[str, ...]:
    """The values `field` ("Container.imagePullPolicy") accepts at that Kubernetes version;
    KeyError for a field the table does not list."""
    return allowed_at_minor(field, kubernetes_minor(kubernetes_version))


@functools.cache
def allowed_at_minor(field: str, minor: str) -> tuple[str, ...]:
    """`allowed_values` for a normalised minor version ("1.31"), cached."""
    return ENUMS[field].allowed(minor)
