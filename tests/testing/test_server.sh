# Sourced (bash) by the tests that drive a real pollinatord from a script,
# tests/clients/run_client_example.sh and tests/console/run_console_test.sh:
#
#   source "$repo/tests/testing/test_server.sh"
#   start_test_server run_console_test "$pollinatord" "$pollinator" http
#   admin=$(create_test_tenant console "console test")
#
# start_test_server starts the server with API keys on (a fresh operator key
# in $work/operator.key), a fresh data folder and free loopback ports, waits
# until it answers health checks, and sets `work` (a scratch folder),
# `address` (gRPC) and, with `http`, `http_address`. With TEST_SERVER_TLS=yes
# it serves TLS only, with a certificate for 127.0.0.1 signed by a CA made
# for the run, whose certificate is $test_server_ca. On exit the server is
# stopped and $work removed. Failures print the server's log and exit 1.

work=$(mktemp -d -t pollinator-test-server.XXXXXX)
server_pid=
# SIGTERM lets the server drain and save; one that is still up after about
# 10 s is killed, so that a hang cannot outlast the test's timeout.
stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
cleanup() {
  if [ -n "$server_pid" ]; then stop_server; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The operator key: 64 hex characters (the server wants at least 32 bytes).
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$work/operator.key"
chmod 600 "$work/operator.key"

# A CA and a server certificate for 127.0.0.1, made fresh (openssl).
make_test_certificates() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 2 \
    -subj "/CN=Pollinator test CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.csr" \
    -subj "/CN=127.0.0.1" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$work/server.ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -out "$work/server.pem" -days 2 -extfile "$work/server.ext" 2>/dev/null
}
test_server_ca=
tls_server_flags=()
tls_cli_flags=()
if [ "${TEST_SERVER_TLS:-}" = yes ]; then
  make_test_certificates
  test_server_ca=$work/ca.pem
  tls_server_flags=(--tls_cert_file="$work/server.pem" --tls_key_file="$work/server.key")
  tls_cli_flags=(--tls_ca_file="$test_server_ca")
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_test_server NAME POLLINATORD POLLINATOR [http]
start_test_server() {
  local name=$1 pollinatord=$2 pollinator=$3 with_http=${4:-}
  test_server_cli=$pollinator
  test_server_name=$name
  # Another process may take a free port before the server binds it, so a
  # server that dies while starting is retried on new ports.
  local attempt ready deadline http_flags
  for attempt in 1 2 3; do
    address="127.0.0.1:$(free_port)"
    http_address=
    http_flags=()
    if [ "$with_http" = http ]; then
      http_address="127.0.0.1:$(free_port)"
      http_flags=(--http_listen="$http_address")
    fi
    rm -rf "$work/data"
    "$pollinatord" --auth=keys --listen="$address" "${http_flags[@]}" "${tls_server_flags[@]}" --data_dir="$work/data" \
      --admin_key_file="$work/operator.key" --ranker_training_interval=0 2>"$work/pollinatord.log" &
    server_pid=$!
    ready=
    deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
      if "$pollinator" --server="$address" "${tls_cli_flags[@]}" --timeout=1s health >/dev/null 2>&1 &&
         { [ -z "$http_address" ] ||
           python3 -c "import urllib.request; urllib.request.urlopen('http://$http_address/v1/health', timeout=1)" \
             2>/dev/null; }; then
        ready=yes
        break
      fi
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.2
    done
    [ -n "$ready" ] && return 0
    echo "$name: pollinatord did not come up on $address ${http_address:+/ $http_address }(attempt $attempt); its log:" >&2
    cat "$work/pollinatord.log" >&2
    stop_server
    server_pid=
  done
  echo "$name: giving up on starting pollinatord" >&2
  exit 1
}

# create_test_tenant NAME LABEL: prints the new tenant's first admin key
# (`tenants create` prints it alone on stdout; its notes on stderr are shown
# only if it fails).
create_test_tenant() {
  local key
  key=$(POLLINATOR_ADMIN_KEY=$(cat "$work/operator.key") "$test_server_cli" --server="$address" "${tls_cli_flags[@]}" \
    tenants create "$1" --label="$2" 2>"$work/tenants.log") || {
    echo "$test_server_name: tenants create failed:" >&2
    cat "$work/tenants.log" >&2
    exit 1
  }
  case "$key" in
    pk_*) ;;
    *) echo "$test_server_name: tenants create printed no key: $key" >&2; exit 1 ;;
  esac
  echo "$key"
}
