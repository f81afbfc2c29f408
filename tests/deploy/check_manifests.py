"""Checks deploy/'s files against each other and against the binaries' flags.

Usage: check_manifests.py DEPLOY_DIR SERVER_FLAGS_FILE CLI_FLAGS_FILE
The flags files hold `pollinatord --helpfull` and `pollinator --help`.
Prints one line per problem and exits 1 if there is any.
"""
import re
import sys

import yaml

deploy, server_help, cli_help = sys.argv[1:4]
server_flags = set(re.findall(r"--([a-z_0-9]+)", open(server_help).read()))
cli_flags = set(re.findall(r"--([a-z_0-9]+)", open(cli_help).read()))
problems = []


def check_flags(where, args, known):
    for arg in args:
        match = re.match(r"--([a-z_0-9]+)(=|$)", arg)
        if match and match.group(1) not in known:
            problems.append(f"{where}: unknown flag --{match.group(1)}")


def flag_value(args, name):
    for arg in args:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return None


def port_of(address):
    return int(address.rsplit(":", 1)[1])


# The sample flag file.
flag_file = [line.strip() for line in open(f"{deploy}/pollinatord.flags")
             if line.strip() and not line.startswith("#")]
check_flags("pollinatord.flags", flag_file, server_flags)
for required in ("listen", "http_listen", "data_dir", "admin_key_file"):
    if flag_value(flag_file, required) is None:
        problems.append(f"pollinatord.flags: no --{required}")

# The systemd unit.
unit = open(f"{deploy}/pollinatord.service").read()
exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M)
if not exec_start:
    problems.append("pollinatord.service: no ExecStart")
else:
    check_flags("pollinatord.service ExecStart", exec_start.group(1).split()[1:], server_flags)
for key in ("TimeoutStopSec", "StateDirectory", "Restart"):
    if not re.search(rf"^{key}=", unit, re.M):
        problems.append(f"pollinatord.service: no {key}")

# The Dockerfile.
dockerfile = open(f"{deploy}/Dockerfile").read()
if len(re.findall(r"^FROM debian:12", dockerfile, re.M)) < 2:
    problems.append("Dockerfile: not a multi-stage build on debian:12")
cmd = re.search(r'^CMD \[(.*)\]$', dockerfile, re.M)
check_flags("Dockerfile CMD", [a.strip().strip('"') for a in cmd.group(1).split(",")] if cmd else [],
            server_flags)
exposed = {int(p) for p in re.findall(r"^EXPOSE (.*)$", dockerfile, re.M)[0].split()}
for name in ("listen", "http_listen"):
    if port_of(flag_value(flag_file, name)) not in exposed:
        problems.append(f"Dockerfile: EXPOSE lacks the --{name} port")

# The Kubernetes manifests.
documents = [d for d in yaml.safe_load_all(open(f"{deploy}/kubernetes/pollinator.yaml")) if d]
kinds = {d["kind"]: d for d in documents if d.get("kind") != "Secret"}
secrets = {d["metadata"]["name"]: d for d in documents if d.get("kind") == "Secret"}
for kind in ("StatefulSet", "Service"):
    if kind not in kinds:
        problems.append(f"pollinator.yaml: no {kind}")
if "StatefulSet" in kinds and "Service" in kinds:
    stateful_set, service = kinds["StatefulSet"], kinds["Service"]
    spec = stateful_set["spec"]
    if spec["serviceName"] != service["metadata"]["name"]:
        problems.append("pollinator.yaml: serviceName is not the Service")
    if spec["selector"]["matchLabels"] != spec["template"]["metadata"]["labels"]:
        problems.append("pollinator.yaml: the selector does not match the pod labels")
    if service["spec"]["selector"] != spec["template"]["metadata"]["labels"]:
        problems.append("pollinator.yaml: the Service selects other pods")
    if not spec.get("volumeClaimTemplates"):
        problems.append("pollinator.yaml: no persistent volume claim")
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    check_flags("pollinator.yaml args", container["args"], server_flags)
    flagfile = flag_value(container["args"], "flagfile")
    config = secrets.get("pollinator-config", {}).get("stringData", {}).get("pollinatord.flags", "")
    config_flags = [line.strip() for line in config.splitlines() if line.strip()]
    check_flags("pollinator.yaml config Secret", config_flags, server_flags)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    if ports.get("grpc") != port_of(flag_value(config_flags, "listen") or ":0"):
        problems.append("pollinator.yaml: containerPort grpc is not the --listen port")
    if ports.get("https") != port_of(flag_value(config_flags, "http_listen") or ":0"):
        problems.append("pollinator.yaml: containerPort https is not the --http_listen port")
    for service_port in service["spec"]["ports"]:
        if service_port["targetPort"] not in ports:
            problems.append(f"pollinator.yaml: Service targets unknown port {service_port['targetPort']}")
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    for name, path in mounts.items():
        if name != "data" and name not in volumes:
            problems.append(f"pollinator.yaml: mount {name} has no volume")
    if flagfile and not flagfile.startswith(mounts.get("config", "?")):
        problems.append("pollinator.yaml: --flagfile is not in the config mount")
    if flag_value(config_flags, "data_dir") != mounts.get("data"):
        problems.append("pollinator.yaml: --data_dir is not the data volume")
    limits_file = flag_value(config_flags, "tenant_limits_file")
    config_files = secrets.get("pollinator-config", {}).get("stringData", {})
    if limits_file and limits_file.rsplit("/", 1)[-1] not in config_files:
        problems.append("pollinator.yaml: --tenant_limits_file is not a file of the config Secret")
    for flag, mount in (("admin_key_file", "keys"), ("tls_cert_file", "tls"), ("tls_key_file", "tls"),
                        ("tenant_limits_file", "config")):
        value = flag_value(config_flags, flag)
        if value and not value.startswith(mounts.get(mount, "?")):
            problems.append(f"pollinator.yaml: --{flag} is not in the {mount} mount")
    for volume in volumes.values():
        secret = volume.get("secret", {}).get("secretName")
        if secret and secret not in secrets and secret != "pollinator-tls":
            problems.append(f"pollinator.yaml: volume uses undefined Secret {secret}")
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        command = container.get(probe, {}).get("exec", {}).get("command")
        if not command:
            problems.append(f"pollinator.yaml: no {probe}")
            continue
        check_flags(f"pollinator.yaml {probe}", command[1:], cli_flags)
        if "health" not in command:
            problems.append(f"pollinator.yaml: {probe} is not a health check")
        server = flag_value(command, "server")
        if server is None or port_of(server) != ports.get("grpc"):
            problems.append(f"pollinator.yaml: {probe} checks another port")

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
