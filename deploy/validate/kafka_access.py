"""Kafka principals and ACLs: the table each deployment grants must be the one
the services' code needs, no more and no less.

From the code: every `Services/<dir>` is the executable `kk-<name>`; what it
consumes is its `consumes: [...]`; what it publishes is every `topic: .case`
in its folder (and `kk.requests.returned` where it uses ReturnToApplicant, or
IncompleteReturn's `returnToApplicant`).
A consumer reads its topics with its consumer group, writes kk.deadletter and
writes back to the topics it consumes (`kk-admin deadletter retry` puts a
message back through the service that refused it). kk-admin creates the
topics and writes every one (`kk-admin replay`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import yaml

SERVICE_FOLDERS = {
    "Gateway": "kk-gateway", "Intake": "kk-intake", "DataEntry": "kk-entry", "Verification": "kk-verify",
    "Signing": "kk-sign", "Delivery": "kk-deliver", "Archive": "kk-archive", "Admin": "kk-admin",
}
ADMIN_GRANTS = {("kk-admin", "Create", "cluster", "kafka-cluster"), ("kk-admin", "Describe", "cluster", "kafka-cluster"),
                ("kk-admin", "Describe", "topic", "*"), ("kk-admin", "Write", "topic", "*")}
Grant = tuple[str, str, str, str]


def topic_names(root: Path) -> dict[str, str]:
    text = (root / "Shared/KKMessaging/Topics.swift").read_text()
    return dict(re.findall(r'case (\w+) = "([^"]+)"', text))


def expected_grants(root: Path) -> set[Grant]:
    topics = topic_names(root)
    grants: set[Grant] = set(ADMIN_GRANTS)
    for folder, principal in SERVICE_FOLDERS.items():
        sources = "\n".join(p.read_text() for p in sorted((root / "Services" / folder).rglob("*.swift")))
        consumed = set()
        for listing in re.findall(r"consumes: \[([^\]]*)\]", sources):
            consumed |= {topics[case] for case in re.findall(r"\.(\w+)", listing)}
        published = {topics[case] for case in re.findall(r"topic: \.(\w+)", sources)}
        if "ReturnToApplicant" in sources or "returnToApplicant(" in sources:
            published.add(topics["requestsReturned"])
        if consumed:
            grants.add((principal, "Read", "group", principal))
            grants.add((principal, "Write", "topic", topics["deadLetter"]))
        for topic in consumed:
            grants |= {(principal, "Read", "topic", topic), (principal, "Write", "topic", topic)}
        grants |= {(principal, "Write", "topic", topic) for topic in published}
    return grants


def compose_grants(root: Path) -> tuple[set[str], set[Grant]]:
    """The principals and the ACL table of deploy/kafka/principals.sh."""
    text = (root / "deploy/kafka/principals.sh").read_text()
    principals = set(text.split("<<PRINCIPALS\n", 1)[1].split("\nPRINCIPALS\n", 1)[0].split())
    table = text.split("<<ACLS", 1)[1].split("\n", 1)[1].split("\nACLS\n", 1)[0]
    grants = {tuple(line.split()) for line in table.splitlines() if line.strip() and not line.startswith("#")}
    return principals, grants  # type: ignore[return-value]


def strimzi_grants(root: Path) -> tuple[dict[str, Any], set[Grant]]:
    users = {doc["metadata"]["name"]: doc for doc in yaml.safe_load_all((root / "deploy/kafka/strimzi-users.yaml").read_text()) if doc}
    grants: set[Grant] = set()
    for name, user in users.items():
        for acl in user["spec"]["authorization"]["acls"]:
            resource = acl["resource"]
            target = resource.get("name", "kafka-cluster") if resource["type"] != "cluster" else "kafka-cluster"
            grants |= {(name, operation, resource["type"], target) for operation in acl["operations"]}
    return users, grants


def describe(grants: set[Grant]) -> str:
    return "; ".join(" ".join(g) for g in sorted(grants))


def check(root: Path, compose: dict[str, Any], k8s_resources: list[dict[str, Any]],
          ok: Callable[[str], None], fail: Callable[[str, str], None]) -> None:
    expected = expected_grants(root)
    principals = set(SERVICE_FOLDERS.values())
    for where, (named, granted) in {
        "deploy/kafka/principals.sh": compose_grants(root),
        "deploy/kafka/strimzi-users.yaml": (lambda u, g: (set(u), g))(*strimzi_grants(root)),
    }.items():
        if named != principals:
            fail(where, f"principals {sorted(named)} are not one per service {sorted(principals)}")
        if granted - expected:
            fail(where, f"grants more than the code needs: {describe(granted - expected)}")
        if expected - granted:
            fail(where, f"misses what the code needs: {describe(expected - granted)}")
    ok(f"Kafka ACLs: {len(expected)} grants for {len(principals)} principals match the services' code in compose and Strimzi")

    users, _ = strimzi_grants(root)
    for name, user in users.items():
        if (user["spec"].get("authentication") or {}).get("type") != "scram-sha-512":
            fail("deploy/kafka/strimzi-users.yaml", f"{name} does not authenticate with scram-sha-512")

    # compose: the broker authenticates and authorizes; each service signs in as itself.
    services = compose.get("services") or {}
    broker = (services.get("kafka") or {}).get("environment") or {}
    if str(broker.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")).lower() != "false" or "SASL" not in str(broker.get("KAFKA_LISTENERS")):
        fail("docker-compose.yml: kafka", "must listen with SASL and refuse what no ACL allows (KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND=false)")
    for name, service in services.items():
        principal = "kk-admin" if name == "kk-init" else name
        if principal not in principals:
            continue
        environment = service.get("environment") or {}
        secret = f"kafka_{principal.removeprefix('kk-')}"
        if environment.get("KK_KAFKA_SASL_USERNAME") != principal:
            fail(f"docker-compose.yml: {name}", f"must sign in to Kafka as {principal} (KK_KAFKA_SASL_USERNAME)")
        if environment.get("KK_KAFKA_SASL_PASSWORD_FILE") != f"/run/secrets/{secret}" or secret not in (service.get("secrets") or []):
            fail(f"docker-compose.yml: {name}", f"must read its Kafka password from the secret {secret} only")
        others = [s for s in (service.get("secrets") or []) if str(s).startswith("kafka_") and s != secret]
        if others:
            fail(f"docker-compose.yml: {name}", f"holds other services' Kafka passwords: {others}")

    # Kubernetes: each pod signs in as itself and mounts its own key of kk-kafka-passwords only.
    for resource in k8s_resources:
        if resource.get("kind") not in {"Deployment", "Job"}:
            continue
        spec = (resource.get("spec") or {}).get("template", {}).get("spec", {})
        name = resource["metadata"]["name"]
        principal = "kk-admin" if name == "kk-init" else name
        keys = [item.get("key") for volume in spec.get("volumes") or [] if (volume.get("secret") or {}).get("secretName") == "kk-kafka-passwords"
                for item in volume["secret"].get("items") or [{"key": "*all*"}]]
        if keys != [principal]:
            fail(f"deploy/k8s: {resource['kind']}/{name}", f"must mount only its own key {principal} of kk-kafka-passwords (mounts {keys})")
        users = {e.get("value") for c in spec.get("containers") or [] for e in c.get("env") or [] if e.get("name") == "KK_KAFKA_SASL_USERNAME"}
        if users != {principal}:
            fail(f"deploy/k8s: {resource['kind']}/{name}", f"must sign in to Kafka as {principal} (KK_KAFKA_SASL_USERNAME)")
    ok("Kafka principals: every compose service and Kubernetes pod signs in as itself, with its own password only")
