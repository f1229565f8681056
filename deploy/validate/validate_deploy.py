#!/usr/bin/env python3
"""Offline checks of the operator deployment files, with no Docker engine and no cluster.

    validate_deploy.py [--root REPO] [--k8s-version 1.30] [--quiet]

Checks, each naming the file and the place of every problem:

* docker-compose.yml against the Compose Specification JSON schema (the copy
  vendored by check-jsonschema), then: every service (kk-gateway and the six)
  is there and runs `kk-<name> serve`, has a /health/ready healthcheck and
  KK_HTTP_PORT, waits for kk-init, which runs `kk-admin migrate` and
  `kk-admin topics create`; scaled services have no container name and no
  fixed host port; secrets and env files exist; the signing secrets reach
  kk-sign only.
* every manifest under deploy/k8s against the Kubernetes JSON schemas
  (kubernetes-validate, strict: unknown fields are errors), then: a Deployment
  per service with /health/live and /health/ready probes, runAsNonRoot, a
  termination grace period and Prometheus annotations; a PodDisruptionBudget
  per service; a HorizontalPodAutoscaler per scalable service (one without
  persistent volumes); the gateway's Service and Ingress for /webhook; the
  migrate+topics Job; the signing Secret mounted in kk-sign only; the
  kustomization lists every manifest.
* deploy/Dockerfile: multi-stage, copies every service executable (and
  kk-admin, and no development tool: kk-dev, kk-bench, kk-probe) into
  /usr/local/bin, ships the SQL migrations, runs as a non-root
  user, and has a HEALTHCHECK on /health/ready at KK_HTTP_PORT.
* every `kk-*` program named in compose commands, Kubernetes container
  commands and the Dockerfile is an `.executable(name:)` product of Package.swift.
* deploy/grafana/*.json: valid dashboards covering the services' metrics.

Exit status: 0 when everything holds, 1 when any check failed, 2 when the
validator itself cannot run (missing dependency, unreadable repository).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Iterable

try:
    import yaml
    import jsonschema
    from jsonschema.exceptions import best_match
    import kubernetes_validate
    from kubernetes_validate import utils as kv_utils
    import importlib.resources as resources
    from importlib.metadata import version as package_version
except ImportError as error:  # pragma: no cover - environment problem
    print(
        f"error: {error}. Install the validator's dependencies: `make setup` "
        "(deploy/local/setup.sh, install_deploy_validator) or "
        "`pip install -r deploy/validate/requirements.txt` in a virtual environment.",
        file=sys.stderr,
    )
    sys.exit(2)

# The gateway, the six services of the SOP pipeline and the administrators' API;
# each is an executable `kk-<name>` whose `serve` subcommand is the daemon.
SERVICES = ["kk-gateway", "kk-intake", "kk-entry", "kk-verify", "kk-sign", "kk-deliver", "kk-archive", "kk-admin"]
# What the image must ship besides the services (kk-admin is one, and the operator's set-up CLI).
IMAGE_EXTRAS: list[str] = []
# Development tools (Package.swift products) that the production image must not contain.
DEVELOPMENT_EXECUTABLES = {"kk-dev", "kk-bench", "kk-probe"}
# What only the Kepala Dinas' CLI, on her own machine, may read: no service,
# container or Secret of a deployment may carry these.
SIGNER_ONLY_VARIABLES = {"KK_SIGN_KEY", "KK_SIGN_KEY_PASSPHRASE", "KK_SIGN_KEY_PASSPHRASE_FILE", "KK_SIGN_CERT"}
# The services with an officer API, and the path segment of their routes (/api/v1/<segment>/...).
OFFICER_API_SERVICES = {"kk-intake": "intake", "kk-entry": "entry", "kk-verify": "verify", "kk-sign": "sign",
                        "kk-deliver": "deliver", "kk-archive": "archive", "kk-admin": "admin"}
# The metrics the services export (Shared/KKService, Shared/KKMessaging) that the dashboard must show.
DASHBOARD_METRICS = [
    "kk_messages_processed_total",
    "kk_messages_failed_total",
    "kk_messages_dead_lettered_total",
    "kk_message_processing_seconds_bucket",
    "kk_sop_step_seconds_bucket",
    "kk_sop_step_breaches_total",
    "kk_officer_queue_depth",
    "kk_outbox_backlog",
    "kk_outbox_published_total",
    "kk_consumer_lag",
]
SHELLS = {"sh", "bash", "dash", "ash"}


class Report:
    """Collects problems; prints each check's outcome as it goes."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        line = f"FAIL {where}: {message}"
        self.problems.append(line)
        print(line)

    def ok(self, message: str) -> None:
        if not self.quiet:
            print(f"ok   {message}")


# --------------------------------------------------------------------------- YAML


class StrictLoader(yaml.SafeLoader):
    """SafeLoader (YAML 1.1 merge keys, as compose and kubectl read them) that refuses duplicate keys."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"found duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_documents(path: Path, report: Report, where: str) -> list[Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        report.fail(where, f"cannot read {path}: {error.strerror}")
        return None
    try:
        return [doc for doc in yaml.load_all(text, Loader=StrictLoader) if doc is not None]
    except yaml.YAMLError as error:
        report.fail(where, f"not valid YAML: {error}")
        return None


# ----------------------------------------------------------------- shared helpers


def json_path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_messages(validator: Any, instance: Any) -> list[str]:
    """One message per schema violation, descending into oneOf/anyOf for the most telling one."""
    messages = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        specific = best_match(error.context) if error.context else error
        if specific is None:
            specific = error
        messages.append(f"{json_path(specific.absolute_path)}: {unknown_key_message(specific) or specific.message}")
    return messages


def unknown_key_message(error: Any) -> str | None:
    """'unknown key ...' for additionalProperties errors, which jsonschema words obscurely with patternProperties."""
    if error.validator != "additionalProperties" or error.validator_value is not False or not isinstance(error.instance, dict):
        return None
    schema = error.schema
    known = set(schema.get("properties") or {})
    patterns = list(schema.get("patternProperties") or {})
    unknown = [key for key in error.instance if key not in known and not any(re.search(p, key) for p in patterns)]
    if not unknown:
        return None
    allowed = ", ".join(sorted(known))
    extension = f"; extension keys must match {' or '.join(patterns)}" if patterns else ""
    return f"unknown key {', '.join(repr(k) for k in unknown)} (allowed: {allowed}{extension})"


def command_programs(command: Any) -> list[str]:
    """The programs a container command starts: its first word, or each command of a `sh -c` script."""
    if command is None:
        return []
    words = shlex.split(command) if isinstance(command, str) else [str(word) for word in command]
    if not words:
        return []
    first = os.path.basename(words[0])
    if first in SHELLS:
        script = None
        for index, word in enumerate(words[1:], start=1):
            if word.startswith("-") and "c" in word[1:] and index + 1 < len(words):
                script = words[index + 1]
                break
        if script is None:
            return [first]
        programs = []
        for segment in re.split(r"&&|\|\||[;|\n]", script):
            tokens = segment.split()
            while tokens and (tokens[0] in {"exec", "env", "!", "then", "do", "else"} or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", tokens[0])):
                tokens.pop(0)
            if tokens:
                programs.append(os.path.basename(tokens[0]))
        return programs
    return [first]


def shell_commands(command: Any) -> list[list[str]]:
    """The simple commands (as word lists) a container runs, for checking `kk-admin migrate` and the like."""
    if command is None:
        return []
    words = shlex.split(command) if isinstance(command, str) else [str(word) for word in command]
    if words and os.path.basename(words[0]) in SHELLS:
        for index, word in enumerate(words[1:], start=1):
            if word.startswith("-") and "c" in word[1:] and index + 1 < len(words):
                return [segment.split() for segment in re.split(r"&&|\|\||[;|\n]", words[index + 1]) if segment.split()]
    return [words] if words else []


def check_programs(programs: Iterable[tuple[str, str]], executables: set[str], report: Report, what: str) -> None:
    """Each `kk-*` program must be an executable product of Package.swift."""
    checked = 0
    for where, program in programs:
        if program.startswith("kk-"):
            checked += 1
            if program not in executables:
                report.fail(where, f"runs `{program}`, which is not an .executable product in Package.swift "
                                   f"(products: {', '.join(sorted(executables))})")
    report.ok(f"{what}: {checked} kk-* program references are executables of Package.swift")


# ------------------------------------------------------------------ Package.swift


def package_executables(root: Path, report: Report) -> set[str]:
    path = root / "Package.swift"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"error: cannot read {path}: {error.strerror}; pass the repository with --root", file=sys.stderr)
        sys.exit(2)
    # Products are written `.executable(name: "x", ...)`, or made from the `executables`
    # list of (name, path, dependencies) tuples, one program per entry.
    executables = set(re.findall(r"\.executable\(\s*name:\s*\"([^\"]+)\"", text))
    listed = re.search(r"^let executables\b[^=]*=\s*\[(.*?)^\]", text, re.M | re.S)
    if listed:
        executables |= set(re.findall(r"^\s*\(\s*\"([^\"]+)\",\s*\"", listed.group(1), re.M))
    for name in SERVICES + IMAGE_EXTRAS:
        if name not in executables:
            report.fail("Package.swift", f"has no executable product {name} (an entry of `executables`, or .executable(name: \"{name}\"))")
    report.ok(f"Package.swift: {len(executables)} executable products ({', '.join(sorted(executables))})")
    return executables


# --------------------------------------------------------------------- Dockerfile


def dockerfile_instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out: list[tuple[int, str, str]] = []
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if buffer and line.startswith("#"):
            continue
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        parts = buffer.split(None, 1)
        out.append((start, parts[0].upper(), parts[1] if len(parts) > 1 else ""))
        buffer = ""
    if buffer:
        parts = buffer.split(None, 1)
        out.append((start, parts[0].upper(), parts[1] if len(parts) > 1 else ""))
    return out


def check_dockerfile(root: Path, executables: set[str], report: Report) -> None:
    path = root / "deploy" / "Dockerfile"
    where = "deploy/Dockerfile"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        report.fail(where, f"cannot read {path}: {error.strerror}")
        return
    instructions = dockerfile_instructions(text)
    stages: list[list[tuple[int, str, str]]] = []
    for item in instructions:
        if item[1] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(item)
    if len(stages) < 2:
        report.fail(where, f"must be multi-stage (a build stage and a runtime stage); found {len(stages)} FROM")
        return
    final = stages[-1]

    copied: dict[str, int] = {}
    programs: list[tuple[str, str]] = []
    has_bundle = False
    copy_destinations: list[str] = []
    for line, instruction, args in final:
        if instruction != "COPY":
            continue
        words = [w for w in shlex.split(args) if not w.startswith("--")]
        if len(words) < 2:
            continue
        sources, destination = words[:-1], words[-1]
        copy_destinations.append(destination.rstrip("/"))
        if destination.rstrip("/") == "/usr/local/bin":
            for source in sources:
                name = os.path.basename(source.rstrip("/"))
                copied[name] = line
                programs.append((f"{where}:{line}", name))
        if any(source.rstrip("/").endswith(".resources") for source in sources):
            has_bundle = True
    for line, instruction, args in instructions:
        if instruction == "ARG" and args.startswith("KK_EXECUTABLES="):
            for name in args.split("=", 1)[1].strip().strip("\"'").split():
                programs.append((f"{where}:{line} (ARG KK_EXECUTABLES)", name))
    check_programs(programs, executables, report, "Dockerfile")
    shipped = sorted({name for _, name in programs if name in DEVELOPMENT_EXECUTABLES})
    if shipped:
        report.fail(where, f"the production image builds or copies the development tools {', '.join(shipped)}; "
                           "leave them out of KK_EXECUTABLES and the runtime stage's COPY")
    else:
        report.ok(f"Dockerfile: no development tool in the image ({', '.join(sorted(DEVELOPMENT_EXECUTABLES))})")
    missing = [name for name in SERVICES + IMAGE_EXTRAS if name not in copied]
    if missing:
        report.fail(where, f"the runtime stage does not copy {', '.join(missing)} into /usr/local/bin")
    else:
        report.ok("Dockerfile: the runtime stage copies every service executable and kk-admin into /usr/local/bin")

    env_text = " ".join(args for _, instruction, args in final if instruction == "ENV")
    migrations = re.search(r"KK_MIGRATIONS_DIR[= ](\S+)", env_text)
    if migrations and migrations.group(1).rstrip("/") in copy_destinations:
        report.ok(f"Dockerfile: the SQL migrations are copied to KK_MIGRATIONS_DIR={migrations.group(1)}")
    elif has_bundle:
        report.ok("Dockerfile: the resource bundle with the SQL migrations is copied next to the executables")
    else:
        report.fail(where, "the runtime stage ships no SQL migrations: COPY Shared/KKStore/Migrations to the "
                           "directory named by ENV KK_MIGRATIONS_DIR, or the *.resources bundle next to the executables")

    # The image builds the librdkafka the tests run, from the same checked tarball, and
    # the Swift packages the lock names.
    env_sh = (root / "deploy" / "local" / "env.sh").read_text(encoding="utf-8")
    for variable, argument in (("KK_RDKAFKA_VERSION", "RDKAFKA_VERSION"), ("KK_RDKAFKA_TARBALL_SHA256", "RDKAFKA_SHA256")):
        local = re.search(rf'^{variable}="([^"]+)"', env_sh, re.M)
        image = re.search(rf"^ARG {argument}=(\S+)", text, re.M)
        if not local or not image:
            report.fail(where, f"ARG {argument} (and {variable} in deploy/local/env.sh) must be set")
        elif local.group(1) != image.group(1):
            report.fail(where, f"ARG {argument}={image.group(1)} differs from deploy/local/env.sh's {variable}={local.group(1)}")
        else:
            report.ok(f"Dockerfile: {argument} is the tests' {local.group(1)[:16]}")
    if "check-versions.sh" in text and "sha256sum -c" in text:
        report.ok("Dockerfile: checks the resolved Swift packages against the lock and librdkafka's tarball by SHA-256")
    else:
        report.fail(where, "the build stage must run deploy/build/check-versions.sh after resolving and check librdkafka's SHA-256")

    users = [args.strip() for _, instruction, args in final if instruction == "USER"]
    if not users or users[-1].split(":")[0] in {"root", "0"}:
        report.fail(where, "the runtime stage must end with a non-root USER (e.g. USER 10001:10001)")
    else:
        report.ok(f"Dockerfile: runs as USER {users[-1]}")

    checks = [args for _, instruction, args in final if instruction == "HEALTHCHECK"]
    if not checks:
        report.fail(where, "the runtime stage has no HEALTHCHECK (curl http://127.0.0.1:${KK_HTTP_PORT}/health/ready)")
    elif "/health/ready" not in checks[-1] or "KK_HTTP_PORT" not in checks[-1]:
        report.fail(where, f"the HEALTHCHECK must call /health/ready on KK_HTTP_PORT; it is: {checks[-1]}")
    else:
        report.ok("Dockerfile: HEALTHCHECK calls /health/ready on KK_HTTP_PORT")


# ------------------------------------------------------------------------ Compose


DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def check_base_images(root: Path, report: Report) -> None:
    """Every FROM of our Dockerfiles names its image by digest (issue 18, item 8): directly,
    or through an ARG whose default does; a stage built earlier in the same file is fine."""
    pinned = 0
    for path in sorted((root / "deploy").rglob("Dockerfile")):
        where = str(path.relative_to(root))
        instructions = dockerfile_instructions(path.read_text(encoding="utf-8"))
        defaults: dict[str, str] = {}
        stages: set[str] = set()
        for line, instruction, args in instructions:
            if instruction == "ARG" and "=" in args:
                name, _, value = args.partition("=")
                defaults[name.strip()] = value.strip()
            elif instruction == "FROM":
                words = args.split()
                image = words[0]
                if len(words) >= 3 and words[1].upper() == "AS":
                    stages.add(words[2])
                argument = re.fullmatch(r"\$\{?(\w+)\}?", image)
                resolved = defaults.get(argument.group(1), "") if argument else image
                if image in stages:
                    continue
                if not DIGEST.search(resolved):
                    report.fail(f"{where}:{line}", f"FROM {image} ({resolved or 'no default'}) is not pinned by digest (name:tag@sha256:...)")
                else:
                    pinned += 1
    report.ok(f"Dockerfiles: {pinned} base images pinned by digest")
    # The images compose runs as they are (the broker, Prometheus, Grafana); ours (kk-*) are built here.
    compose = yaml.safe_load((root / "docker-compose.yml").read_text(encoding="utf-8")) or {}
    outside = 0
    for name, service in (compose.get("services") or {}).items():
        image = str((service or {}).get("image", ""))
        if not image or image.startswith("kk-"):
            continue
        if DIGEST.search(image):
            outside += 1
        else:
            report.fail(f"docker-compose.yml: {name}", f"image {image} is not pinned by digest (name:tag@sha256:...)")
    report.ok(f"docker-compose.yml: {outside} outside images pinned by digest")


def compose_schema() -> tuple[dict[str, Any], str]:
    ref = resources.files("check_jsonschema").joinpath("builtin_schemas", "vendor", "compose-spec.json")
    schema = json.loads(ref.read_text(encoding="utf-8"))
    return schema, f"compose-spec.json vendored by check-jsonschema {package_version('check-jsonschema')}"


def check_compose(root: Path, executables: set[str], report: Report) -> None:
    path = root / "docker-compose.yml"
    where = "docker-compose.yml"
    documents = load_yaml_documents(path, report, where)
    if documents is None:
        return
    if len(documents) != 1 or not isinstance(documents[0], dict):
        report.fail(where, "must hold exactly one YAML mapping")
        return
    compose = documents[0]

    schema, source = compose_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    messages = schema_messages(validator_class(schema), compose)
    for message in messages:
        report.fail(where, f"Compose Specification: {message}")
    if not messages:
        report.ok(f"docker-compose.yml: valid against the Compose Specification ({source})")

    services = compose.get("services") if isinstance(compose.get("services"), dict) else {}
    top_secrets = compose.get("secrets") if isinstance(compose.get("secrets"), dict) else {}

    # Programs started by every service.
    programs = []
    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        for key in ("entrypoint", "command"):
            for program in command_programs(service.get(key)):
                programs.append((f"{where}: services.{name}.{key}", program))
    check_programs(programs, executables, report, "docker-compose.yml")

    # kk-init: migrations and topics, once, before the services.
    init = services.get("kk-init")
    if not isinstance(init, dict):
        report.fail(where, "has no one-shot service kk-init (kk-admin migrate, kk-admin topics create)")
    else:
        commands = [" ".join(words[:3]) for words in shell_commands(init.get("command"))]
        for needed in ("kk-admin migrate", "kk-admin topics create"):
            if not any(command.startswith(needed) for command in commands):
                report.fail(where, f"services.kk-init must run `{needed}`; it runs {commands or 'nothing'}")

    for name in SERVICES:
        service = services.get(name)
        at = f"{where}: services.{name}"
        if not isinstance(service, dict):
            report.fail(where, f"has no service {name}")
            continue
        words = service.get("command")
        words = shlex.split(words) if isinstance(words, str) else [str(w) for w in words or []]
        if words[:2] != [name, "serve"]:
            report.fail(at, f"command must be [\"{name}\", \"serve\"]; it is {words}")
        environment = service.get("environment")
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) if "=" in item else (item, None) for item in environment)
        environment = environment or {}
        if "KK_HTTP_PORT" not in environment:
            report.fail(at, "sets no KK_HTTP_PORT (the health and metrics port)")
        test = (service.get("healthcheck") or {}).get("test")
        test_text = " ".join(test) if isinstance(test, list) else str(test or "")
        if "/health/ready" not in test_text:
            report.fail(at, f"needs a healthcheck on /health/ready; it has {test_text or 'none'}")
        depends = service.get("depends_on") or {}
        condition = depends.get("kk-init", {}).get("condition") if isinstance(depends, dict) else None
        if condition != "service_completed_successfully":
            report.fail(at, "must depend on kk-init with condition: service_completed_successfully")
        if name != "kk-gateway":
            if "container_name" in service:
                report.fail(at, "has a container_name, so `docker compose up --scale` cannot run more than one")
            for port in service.get("ports") or []:
                if fixed_host_port(port):
                    report.fail(at, f"publishes the fixed host port {port!r}, so it cannot be scaled")
        elif "container_name" in service:
            report.fail(at, "has a container_name; leave it out")

    # Secrets and env files exist; no service is given the Kepala Dinas' key.
    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        at = f"{where}: services.{name}"
        for item in service.get("secrets") or []:
            secret = item.get("source") if isinstance(item, dict) else item
            if secret not in top_secrets:
                report.fail(at, f"uses the secret {secret!r}, which the top-level secrets do not define")
            if "sign_key" in str(secret):
                report.fail(at, f"mounts the secret {secret!r}: the signing key stays on the Kepala Dinas' machine")
        environment = service.get("environment") or {}
        names = set(environment) if isinstance(environment, dict) else {str(item).split("=", 1)[0] for item in environment}
        for variable in sorted(names & SIGNER_ONLY_VARIABLES):
            report.fail(at, f"sets {variable}: the signing key stays on the Kepala Dinas' machine")
        if name in OFFICER_API_SERVICES and "KK_API_PORT" not in names:
            report.fail(at, "has no KK_API_PORT: its officers' CLI cannot reach the officer API")
        env_files = service.get("env_file") or []
        for item in [env_files] if isinstance(env_files, (str, dict)) else env_files:
            file = item.get("path") if isinstance(item, dict) else item
            required = item.get("required", True) if isinstance(item, dict) else True
            if required and not (root / file).is_file():
                report.fail(at, f"env_file {file} does not exist")
        build = service.get("build")
        if isinstance(build, dict):
            context = root / str(build.get("context", "."))
            dockerfile = context / str(build.get("dockerfile", "Dockerfile"))
            if not dockerfile.is_file():
                report.fail(at, f"builds with {dockerfile.relative_to(root) if dockerfile.is_relative_to(root) else dockerfile}, which does not exist")
    for name, secret in top_secrets.items():
        if isinstance(secret, dict) and "file" in secret and not (root / secret["file"]).is_file():
            report.fail(f"{where}: secrets.{name}", f"file {secret['file']} does not exist (see deploy/secrets/README.md)")
    present = [name for name in SERVICES if name in services]
    report.ok(f"docker-compose.yml: consistency checks done for {len(present)} services, kk-init and {len(top_secrets)} secrets")


def fixed_host_port(port: Any) -> bool:
    """True for a port mapping that binds a fixed host port ("8080:8080", published: 8080)."""
    if isinstance(port, dict):
        return port.get("published") not in (None, "")
    text = str(port)
    if "/" in text:
        text = text.split("/", 1)[0]
    parts = text.rsplit(":", 2) if text.count(":") >= 1 else [text]
    return len(parts) >= 2 and parts[-2] != ""


# --------------------------------------------------------------------- Kubernetes


def pod_spec(resource: dict[str, Any]) -> dict[str, Any] | None:
    kind = resource.get("kind")
    spec = resource.get("spec") or {}
    if kind in {"Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"}:
        return ((spec.get("template") or {}).get("spec")) or {}
    if kind == "CronJob":
        return ((((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")) or {}
    if kind == "Pod":
        return spec
    return None


def referenced_secrets(spec: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for volume in spec.get("volumes") or []:
        if (volume.get("secret") or {}).get("secretName"):
            names.add(volume["secret"]["secretName"])
        for source in (volume.get("projected") or {}).get("sources") or []:
            if (source.get("secret") or {}).get("name"):
                names.add(source["secret"]["name"])
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        for env in container.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref and ref.get("name"):
                names.add(ref["name"])
        for source in container.get("envFrom") or []:
            if (source.get("secretRef") or {}).get("name"):
                names.add(source["secretRef"]["name"])
    return names


def check_kubernetes(root: Path, executables: set[str], k8s_version: str, report: Report) -> None:
    directory = root / "deploy" / "k8s"
    if not directory.is_dir():
        report.fail("deploy/k8s", "does not exist")
        return
    files = sorted(p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
    resources_by_file: dict[Path, list[dict[str, Any]]] = {}
    kustomizations: list[tuple[Path, dict[str, Any]]] = []
    schema_failures = 0
    validated = 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        documents = load_yaml_documents(path, report, rel)
        if documents is None:
            schema_failures += 1
            continue
        for index, doc in enumerate(documents):
            at = f"{rel} (document {index + 1})"
            if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
                report.fail(at, "is not a Kubernetes object (apiVersion and kind are required)")
                schema_failures += 1
                continue
            if doc["kind"] == "Kustomization":
                kustomizations.append((path, doc))
                continue
            name = (doc.get("metadata") or {}).get("name", "?")
            at = f"{rel}: {doc['kind']}/{name}"
            try:
                kubernetes_validate.validate(doc, k8s_version, strict=True)
                validated += 1
            except kv_utils.ValidationError as error:
                report.fail(at, f"Kubernetes {error.version} schema: {json_path(error.path)}: {error.message}")
                schema_failures += 1
            except kv_utils.SchemaNotFoundError as error:
                report.fail(at, error.message)
                schema_failures += 1
            except kv_utils.VersionNotSupportedError:
                print(f"error: kubernetes-validate {package_version('kubernetes-validate')} has no schemas for "
                      f"Kubernetes {k8s_version}", file=sys.stderr)
                sys.exit(2)
            resources_by_file.setdefault(path, []).append(doc)
    if not schema_failures:
        report.ok(f"deploy/k8s: {validated} objects in {len(files)} files valid against the Kubernetes {k8s_version} "
                  f"schemas (kubernetes-validate {package_version('kubernetes-validate')}, strict)")

    # Kustomization: every manifest listed, every listed file present.
    if not kustomizations:
        report.fail("deploy/k8s", "has no kustomization.yaml")
    for path, kustomization in kustomizations:
        rel = path.relative_to(root).as_posix()
        listed = [str(item) for item in kustomization.get("resources") or []]
        for item in listed:
            if not (path.parent / item).exists():
                report.fail(rel, f"lists {item}, which does not exist")
        listed_paths = {(path.parent / item).resolve() for item in listed}
        for manifest in resources_by_file:
            if manifest.parent == path.parent and manifest.resolve() not in listed_paths:
                report.fail(rel, f"does not list {manifest.name} under resources")
        report.ok(f"{rel}: lists {len(listed)} resources")

    objects = [(path.relative_to(root).as_posix(), doc) for path, docs in resources_by_file.items() for doc in docs]
    by_kind: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
    for rel, doc in objects:
        by_kind.setdefault(doc["kind"], {})[(doc.get("metadata") or {}).get("name", "?")] = (rel, doc)

    # Programs started by every container.
    programs = []
    for rel, doc in objects:
        spec = pod_spec(doc)
        if spec is None:
            continue
        for group in ("initContainers", "containers"):
            for container in spec.get(group) or []:
                at = f"{rel}: {doc['kind']}/{doc['metadata'].get('name')} {group}[{container.get('name')}]"
                for program in command_programs(container.get("command")):
                    programs.append((at, program))
    check_programs(programs, executables, report, "deploy/k8s")

    deployments = by_kind.get("Deployment", {})
    for name in SERVICES:
        if name not in deployments:
            report.fail("deploy/k8s", f"has no Deployment {name}")
            continue
        rel, deployment = deployments[name]
        at = f"{rel}: Deployment/{name}"
        template = (deployment.get("spec") or {}).get("template") or {}
        spec = template.get("spec") or {}
        containers = spec.get("containers") or []
        main = next((c for c in containers if (c.get("command") or [None])[0] == name), None)
        if main is None or (main.get("command") or [])[:2] != [name, "serve"]:
            report.fail(at, f"needs a container with command [\"{name}\", \"serve\"]")
        else:
            liveness = ((main.get("livenessProbe") or {}).get("httpGet") or {}).get("path")
            readiness = ((main.get("readinessProbe") or {}).get("httpGet") or {}).get("path")
            if liveness != "/health/live":
                report.fail(at, f"livenessProbe must be httpGet /health/live; it is {liveness}")
            if readiness != "/health/ready":
                report.fail(at, f"readinessProbe must be httpGet /health/ready; it is {readiness}")
            if not main.get("resources", {}).get("requests"):
                report.fail(at, "sets no resource requests")
            if not any(env.get("name") == "KK_HTTP_PORT" for env in main.get("env") or []):
                report.fail(at, "sets no KK_HTTP_PORT")
            non_root = (spec.get("securityContext") or {}).get("runAsNonRoot") or (main.get("securityContext") or {}).get("runAsNonRoot")
            if non_root is not True:
                report.fail(at, "must set securityContext.runAsNonRoot: true")
        if "terminationGracePeriodSeconds" not in spec:
            report.fail(at, "sets no terminationGracePeriodSeconds (the services drain on SIGTERM)")
        annotations = (template.get("metadata") or {}).get("annotations") or {}
        if annotations.get("prometheus.io/scrape") != "true" or "prometheus.io/port" not in annotations:
            report.fail(at, "needs the pod annotations prometheus.io/scrape: \"true\" and prometheus.io/port")

    # PodDisruptionBudgets and HorizontalPodAutoscalers.
    def selects(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
        wanted = (selector or {}).get("matchLabels") or {}
        return bool(wanted) and all(labels.get(k) == v for k, v in wanted.items())

    pdbs = list(by_kind.get("PodDisruptionBudget", {}).values())
    hpas = list(by_kind.get("HorizontalPodAutoscaler", {}).values())
    for name in SERVICES:
        if name not in deployments:
            continue
        rel, deployment = deployments[name]
        labels = ((deployment["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not any(selects((pdb.get("spec") or {}).get("selector"), labels) for _, pdb in pdbs):
            report.fail(f"{rel}: Deployment/{name}", "no PodDisruptionBudget selects its pods")
        volumes = ((deployment["spec"].get("template") or {}).get("spec") or {}).get("volumes") or []
        scalable = not any("persistentVolumeClaim" in volume for volume in volumes)
        targeted = any(((hpa.get("spec") or {}).get("scaleTargetRef") or {}).get("name") == name for _, hpa in hpas)
        if scalable and not targeted:
            report.fail(f"{rel}: Deployment/{name}", "is scalable (no persistent volumes) but no HorizontalPodAutoscaler targets it")
    for rel, hpa in hpas:
        target = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        if target.get("kind") != "Deployment" or target.get("name") not in deployments:
            report.fail(f"{rel}: HorizontalPodAutoscaler/{hpa['metadata'].get('name')}",
                        f"targets {target.get('kind')}/{target.get('name')}, which is not a Deployment here")

    # The gateway's Service and Ingress for the webhook.
    gateway_services = [
        doc for _, doc in by_kind.get("Service", {}).values()
        if ((doc.get("spec") or {}).get("selector") or {}).get("app.kubernetes.io/name") == "kk-gateway"
    ]
    if not gateway_services:
        report.fail("deploy/k8s", "has no Service selecting the kk-gateway pods")
    service_names = {doc["metadata"]["name"] for doc in gateway_services}
    webhook_routed = False
    for _, ingress in by_kind.get("Ingress", {}).values():
        for rule in (ingress.get("spec") or {}).get("rules") or []:
            for item in ((rule.get("http") or {}).get("paths")) or []:
                backend = ((item.get("backend") or {}).get("service") or {}).get("name")
                if item.get("path") == "/webhook" and backend in service_names:
                    webhook_routed = True
    if not webhook_routed:
        report.fail("deploy/k8s", "has no Ingress routing the path /webhook to the kk-gateway Service")

    # The set-up Job.
    job_commands: list[str] = []
    for _, job in by_kind.get("Job", {}).values():
        spec = pod_spec(job) or {}
        for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            job_commands += [" ".join(words[:3]) for words in shell_commands(container.get("command"))]
    for needed in ("kk-admin migrate", "kk-admin topics create"):
        if not any(command.startswith(needed) for command in job_commands):
            report.fail("deploy/k8s", f"has no Job running `{needed}`")

    # No private key anywhere: no container is given the signer's variables, no Secret holds a key.
    for rel, doc in objects:
        spec = pod_spec(doc)
        if spec is not None:
            for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
                for env in container.get("env") or []:
                    if env.get("name") in SIGNER_ONLY_VARIABLES:
                        report.fail(f"{rel}: {doc['kind']}/{doc['metadata'].get('name')}",
                                    f"sets {env.get('name')}: the signing key stays on the Kepala Dinas' machine")
        if doc.get("kind") == "Secret" and ((doc.get("stringData") or {}) or (doc.get("data") or {})):
            report.fail(f"{rel}: Secret/{doc['metadata'].get('name')}",
                        "carries values: the base holds no secret; create Secrets out of band (deploy/examples/k8s-secrets.yaml)")
        if doc.get("kind") == "Secret":
            for key in list((doc.get("stringData") or {}).keys()) + list((doc.get("data") or {}).keys()):
                if "key" in key and key.endswith(".pem"):
                    report.fail(f"{rel}: Secret/{doc['metadata'].get('name')}", f"holds {key}: no private key belongs in the cluster")

    # Every officer API: a port named api on the Deployment, a Service for it, and a path on the officer ingress.
    api_services: dict[str, str] = {}
    for _, service in by_kind.get("Service", {}).values():
        spec = service.get("spec") or {}
        selected = (spec.get("selector") or {}).get("app.kubernetes.io/name")
        if any(port.get("targetPort") == "api" for port in spec.get("ports") or []):
            api_services[service["metadata"]["name"]] = selected
    routed: dict[str, str] = {}
    for _, ingress in by_kind.get("Ingress", {}).values():
        for rule in (ingress.get("spec") or {}).get("rules") or []:
            for item in ((rule.get("http") or {}).get("paths")) or []:
                backend = ((item.get("backend") or {}).get("service") or {}).get("name")
                if backend in api_services:
                    routed[str(item.get("path"))] = api_services[backend]
    for name, segment in OFFICER_API_SERVICES.items():
        found = deployments.get(name)
        spec = pod_spec(found[1]) if found else None
        ports = [port for container in (spec or {}).get("containers") or [] for port in container.get("ports") or []]
        if not any(port.get("name") == "api" for port in ports):
            report.fail(f"deploy/k8s: Deployment/{name}", "has no container port named api for its officer API")
        if routed.get(f"/api/v1/{segment}") != name:
            report.fail("deploy/k8s", f"has no Ingress path /api/v1/{segment} to a Service of {name}'s officer API")
    report.ok(f"deploy/k8s: consistency checks done ({len(deployments)} Deployments, {len(pdbs)} PodDisruptionBudgets, "
              f"{len(hpas)} HorizontalPodAutoscalers)")


# ------------------------------------------------------------------------ Grafana


def check_dashboards(root: Path, report: Report) -> None:
    directory = root / "deploy" / "grafana"
    dashboards = sorted(directory.glob("*.json")) if directory.is_dir() else []
    if not dashboards:
        report.fail("deploy/grafana", "has no dashboard (*.json)")
        return
    expressions: list[str] = []
    for path in dashboards:
        rel = path.relative_to(root).as_posix()
        try:
            dashboard = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            report.fail(rel, f"is not valid JSON: {error}")
            continue
        panels = list(dashboard.get("panels") or [])
        for panel in list(panels):
            panels += panel.get("panels") or []
        if not dashboard.get("title") or not panels:
            report.fail(rel, "needs a title and panels")
        for panel in panels:
            if panel.get("type") != "row" and not panel.get("title"):
                report.fail(rel, f"panel {panel.get('id')} has no title")
            expressions += [str(target.get("expr", "")) for target in panel.get("targets") or []]
    missing = [metric for metric in DASHBOARD_METRICS if not any(re.search(rf"\b{metric}\b", e) for e in expressions)]
    if missing:
        report.fail("deploy/grafana", f"no panel shows {', '.join(missing)}")
    else:
        report.ok(f"deploy/grafana: {len(dashboards)} dashboard(s) showing all {len(DASHBOARD_METRICS)} metric series")


# --------------------------------------------------------------------------- Kafka and network


def check_access(root: Path, report: Report) -> None:
    """Kafka principals and ACLs (kafka_access.py), database roles (database_access.py) and the
    NetworkPolicies (network_policies.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import database_access
    import kafka_access
    import network_policies

    compose_documents = load_yaml_documents(root / "docker-compose.yml", report, "docker-compose.yml") or [{}]
    resources = [doc for path in sorted((root / "deploy" / "k8s").rglob("*.yaml"))
                 for doc in (load_yaml_documents(path, report, path.relative_to(root).as_posix()) or []) if isinstance(doc, dict)]
    kafka_access.check(root, compose_documents[0] or {}, resources, report.ok, report.fail)
    database_access.check(compose_documents[0] or {}, resources, report.ok, report.fail)
    network_policies.check(resources, report.ok, report.fail)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the deployment files offline (no Docker engine, no cluster).")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]),
                        help="the repository to check (default: the one this script is in)")
    parser.add_argument("--k8s-version", default="1.30", help="Kubernetes version whose schemas to use (default 1.30)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the problems")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    report = Report(args.quiet)
    print(f"Checking the deployment files in {root}")
    executables = package_executables(root, report)
    check_dockerfile(root, executables, report)
    check_base_images(root, report)
    check_compose(root, executables, report)
    check_kubernetes(root, executables, args.k8s_version, report)
    check_access(root, report)
    check_dashboards(root, report)
    if report.problems:
        print(f"{len(report.problems)} problem(s) found in the deployment files.")
        return 1
    print("All deployment checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
