"""Database roles: every service connects as its own role (kk_<name>) with its
own password; only the kk-init one-shot holds the owner's credential."""
from __future__ import annotations

from typing import Any, Callable

SERVICES = ["kk-gateway", "kk-intake", "kk-entry", "kk-verify", "kk-sign", "kk-deliver", "kk-archive", "kk-admin"]


def role(service: str) -> str:
    return service.replace("-", "_")


def check(compose: dict[str, Any], k8s_resources: list[dict[str, Any]],
          ok: Callable[[str], None], fail: Callable[[str, str], None]) -> None:
    services = compose.get("services") or {}
    for name in SERVICES:
        service = services.get(name) or {}
        environment = service.get("environment") or {}
        secret = f"db_{name.removeprefix('kk-')}"
        if environment.get("KK_DATABASE_USER") != role(name):
            fail(f"docker-compose.yml: {name}", f"must connect as its own role {role(name)} (KK_DATABASE_USER)")
        if environment.get("KK_DATABASE_PASSWORD_FILE") != f"/run/secrets/{secret}" or secret not in (service.get("secrets") or []):
            fail(f"docker-compose.yml: {name}", f"must read its database password from the secret {secret}")
        if [s for s in service.get("secrets") or [] if str(s).startswith("db_") and s != secret] or service.get("env_file"):
            fail(f"docker-compose.yml: {name}", "holds another role's or the owner's database credential")
    for resource in k8s_resources:
        if resource.get("kind") != "Deployment":
            continue
        name = resource["metadata"]["name"]
        spec = resource["spec"]["template"]["spec"]
        where = f"deploy/k8s: Deployment/{name}"
        users = {e.get("value") for c in spec.get("containers") or [] for e in c.get("env") or [] if e.get("name") == "KK_DATABASE_USER"}
        if users != {role(name)}:
            fail(where, f"must connect as its own role {role(name)} (KK_DATABASE_USER)")
        owner = [e for c in spec.get("containers") or [] for e in c.get("env") or []
                 if ((e.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name") == "kk-database"]
        if owner:
            fail(where, "holds the owner's database URL (Secret kk-database is for the kk-init Job only)")
        keys = [item.get("key") for volume in spec.get("volumes") or [] if (volume.get("secret") or {}).get("secretName") == "kk-database-passwords"
                for item in volume["secret"].get("items") or [{"key": "*all*"}]]
        if keys != [name]:
            fail(where, f"must mount only its own key {name} of kk-database-passwords (mounts {keys})")
    ok(f"Database roles: each of {len(SERVICES)} services connects as its own role in compose and Kubernetes; only kk-init holds the owner's URL")
