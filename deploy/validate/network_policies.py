"""NetworkPolicies: the namespace denies every path by default, and each pod
gets exactly the paths it needs: every pod DNS, PostgreSQL and Kafka out; a pod
with an `api` port the office ingress in; the gateway's `webhook` port the
public ingress in."""
from __future__ import annotations

from typing import Any, Callable


def selects(policy: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted = ((policy.get("spec") or {}).get("podSelector") or {}).get("matchLabels") or {}
    return all(labels.get(key) == value for key, value in wanted.items())


def allowed_ports(policies: list[dict[str, Any]], labels: dict[str, str], direction: str) -> set[Any]:
    ports: set[Any] = set()
    for policy in policies:
        if not selects(policy, labels):
            continue
        for rule in (policy.get("spec") or {}).get(direction) or []:
            ports |= {port.get("port") for port in rule.get("ports") or []}
    return ports


def check(resources: list[dict[str, Any]], ok: Callable[[str], None], fail: Callable[[str, str], None]) -> None:
    policies = [r for r in resources if r.get("kind") == "NetworkPolicy"]
    deny = [p for p in policies if not ((p["spec"].get("podSelector") or {}).get("matchLabels"))
            and set(p["spec"].get("policyTypes") or []) == {"Ingress", "Egress"} and not p["spec"].get("ingress") and not p["spec"].get("egress")]
    if not deny:
        fail("deploy/k8s", "no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)")
    pods = 0
    for resource in resources:
        if resource.get("kind") not in {"Deployment", "Job"}:
            continue
        pods += 1
        template = (resource.get("spec") or {}).get("template") or {}
        labels = (template.get("metadata") or {}).get("labels") or {}
        where = f"deploy/k8s: {resource['kind']}/{resource['metadata']['name']}"
        egress = allowed_ports(policies, labels, "egress")
        for needed in (53, 5432, 9093):
            if needed not in egress:
                fail(where, f"no NetworkPolicy lets it reach port {needed} (DNS, PostgreSQL, Kafka)")
        named = {port.get("name") for c in (template.get("spec") or {}).get("containers") or [] for port in c.get("ports") or []}
        ingress = allowed_ports(policies, labels, "ingress")
        for port in named & {"api", "webhook", "http"}:
            if port not in ingress:
                fail(where, f"its '{port}' port is unreachable: no NetworkPolicy lets its callers in")
    ok(f"NetworkPolicies: default deny, and the needed paths for {pods} workloads ({len(policies)} policies)")
