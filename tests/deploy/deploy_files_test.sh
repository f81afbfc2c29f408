#!/usr/bin/env bash
# Checks deploy/ without Docker or Kubernetes (neither is available here):
# the manifests parse and agree with each other and with the binaries' flags
# (check_manifests.py), and the systemd unit's ExecStart, with its paths and
# ports moved into a scratch folder, starts a server that answers a health
# check over TLS, re-reads its tenant limits on SIGHUP (the unit's
# ExecReload) and stops cleanly on SIGTERM.
#   deploy_files_test.sh PROJECT_DIR POLLINATORD POLLINATOR
set -euo pipefail
project=$1 pollinatord=$2 pollinator=$3
work=$(mktemp -d -t pollinator-deploy-test.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "deploy_files_test: $*" >&2; [ -f "$work/server.log" ] && cat "$work/server.log" >&2; exit 1; }

"$pollinatord" --helpfull >"$work/server_flags.txt" 2>&1 || true
"$pollinator" --help >"$work/cli_flags.txt" 2>&1 || true
# Debian's interpreter, with python3-yaml.
/usr/bin/python3 "$project/tests/deploy/check_manifests.py" "$project/deploy" \
  "$work/server_flags.txt" "$work/cli_flags.txt" || fail "the manifests disagree (above)"

# The unit's command line, run for real.
exec_start=$(sed -n 's/^ExecStart=//p' "$project/deploy/pollinatord.service")
[ -n "$exec_start" ] || fail "no ExecStart in pollinatord.service"
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
grpc_port=$(free_port)
http_port=$(free_port)
mkdir -p "$work/etc/keys" "$work/etc/tls" "$work/data"
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$work/etc/keys/operator.key"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/etc/tls/tls.key" -out "$work/etc/tls/tls.crt" >"$work/openssl.log" 2>&1 || fail "openssl: $(cat "$work/openssl.log")"
# The sample flag file, moved: its paths under the scratch folder, its ports
# free ones on loopback.
sed -e "s|/var/lib/pollinator|$work/data|; s|/etc/pollinator|$work/etc|g" \
    -e "s|0.0.0.0:50051|127.0.0.1:$grpc_port|; s|0.0.0.0:8080|127.0.0.1:$http_port|" \
    "$project/deploy/pollinatord.flags" >"$work/etc/pollinatord.flags"
cp "$project/deploy/tenant_limits.txt" "$work/etc/tenant_limits.txt"
command=${exec_start//\/usr\/local\/bin\/pollinatord/$pollinatord}
command=${command//\/etc\/pollinator/$work/etc}
# shellcheck disable=SC2086 # the command line is split as systemd splits it
$command >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
# 127.0.0.1, not localhost: the name resolver (c-ares) leaks under
# LeakSanitizer; the certificate names both.
for _ in $(seq 1 150); do
  if "$pollinator" --server="127.0.0.1:$grpc_port" --tls_ca_file="$work/etc/tls/tls.crt" --timeout=1s health \
      >/dev/null 2>&1; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || fail "the unit's command exited"
  sleep 0.2
done
"$pollinator" --server="127.0.0.1:$grpc_port" --tls_ca_file="$work/etc/tls/tls.crt" --timeout=2s health \
  || fail "no health answer over TLS on the unit's port"
# Plaintext is refused: the flag file turns TLS on.
if "$pollinator" --server="127.0.0.1:$grpc_port" --timeout=2s health >/dev/null 2>&1; then
  fail "the server answered plaintext"
fi
grep -q "tenant limits: 2 tenants with their own" "$work/server.log" || fail "the sample tenant limits were not read"
# The unit's ExecReload, with $MAINPID as systemd fills it in.
reload=$(sed -n 's/^ExecReload=//p' "$project/deploy/pollinatord.service")
[ -n "$reload" ] || fail "no ExecReload in pollinatord.service"
echo "trial-cohort max_profiles=50" >"$work/etc/tenant_limits.txt"
# shellcheck disable=SC2086 # split as systemd splits it
${reload//\$MAINPID/$server_pid}
for _ in $(seq 1 50); do grep -q "tenant limits re-read: 1 tenants" "$work/server.log" && break; sleep 0.1; done
grep -q "tenant limits re-read: 1 tenants" "$work/server.log" || fail "ExecReload did not re-read the tenant limits"
kill -0 "$server_pid" 2>/dev/null || fail "the server exited on ExecReload"
kill -TERM "$server_pid"
for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$server_pid" 2>/dev/null && fail "still running 10 s after SIGTERM"
wait "$server_pid" || fail "exited with status $? after SIGTERM"
server_pid=
grep -q "stopped cleanly" "$work/server.log" || fail "no clean stop in the log"
echo "deploy_files_test: manifests consistent; the unit's command served TLS, reloaded its tenant limits and stopped cleanly"
