#!/usr/bin/env bash
# The local AWS of the tests: moto in server mode (from PyPI), in a git-ignored .venv at the
# repository's root.
#
#   scripts/aws-emulator.sh setup   create .venv and install the pinned moto (quick when done)
#   scripts/aws-emulator.sh start   start moto on 127.0.0.1 on a free port, in the background;
#                                   prints AWS_ENDPOINT_URL=http://127.0.0.1:PORT
#   scripts/aws-emulator.sh stop    stop the server `start` started
#
# `start` runs moto's server through tests/emulator/fgl_moto.py, which makes ECS deployments
# progress on DescribeServices and fail on demand (FGL_TEST_FAIL, FGL_MOTO_ROLLOUT_STEPS).
#
# The version is pinned so that an emulator release cannot change the tests' results unseen;
# bump it deliberately.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
MOTO_VERSION="5.2.5"
venv="$root/.venv"
state="$venv/moto-server"
pid_file="$state/moto.pid"
log_file="$state/moto.log"

die() {
    echo "error: $*" >&2
    exit 1
}

need_python() {
    command -v python3 >/dev/null ||
        die "python3 is missing: the local AWS (moto) needs Python 3 with venv (apt-get install python3 python3-venv)"
}

installed_version() {
    "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true
}

setup() {
    if [ -x "$venv/bin/moto_server" ] && [ "$(installed_version)" = "$MOTO_VERSION" ]; then
        return 0
    fi
    need_python
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" ||
            die "python3 -m venv failed: install Python's venv module (apt-get install python3-venv)"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" ||
        die "could not install moto[server]==$MOTO_VERSION from PyPI into $venv"
    [ -x "$venv/bin/moto_server" ] || die "moto installed but $venv/bin/moto_server is missing"
    echo "moto $MOTO_VERSION installed in $venv"
}

# A port nothing listens on: bind port 0 and let the kernel choose.
free_port() {
    "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    [ -x "$venv/bin/moto_server" ] || die "moto is not installed: run scripts/aws-emulator.sh setup"
    if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        die "moto is already running (pid $(cat "$pid_file")): run scripts/aws-emulator.sh stop first"
    fi
    mkdir -p "$state"
    local port
    port=$(free_port)
    # ACM issues a requested certificate after MOTO_ACM_VALIDATION_WAIT seconds (60 by
    # default; AWS takes about as long once the validation record resolves).
    MOTO_ACM_VALIDATION_WAIT="${MOTO_ACM_VALIDATION_WAIT:-5}" \
        MOTO_IAM_LOAD_MANAGED_POLICIES=true \
        "$venv/bin/python" "$root/tests/emulator/fgl_moto.py" -H 127.0.0.1 -p "$port" >"$log_file" 2>&1 &
    local pid=$!
    echo "$pid" >"$pid_file"
    local url="http://127.0.0.1:$port"
    # moto answers its dashboard's health path once it serves requests.
    for _ in $(seq 1 100); do
        if "$venv/bin/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
            "$url/moto-api/" >/dev/null 2>&1; then
            echo "$port" >"$state/moto.port"
            echo "AWS_ENDPOINT_URL=$url"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$pid_file"
            die "moto exited on start; its log ($log_file):"$'\n'"$(cat "$log_file")"
        fi
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    die "moto did not answer on $url within 10 s; its log: $log_file"
}

stop() {
    if [ ! -f "$pid_file" ]; then
        echo "moto is not running"
        return 0
    fi
    local pid
    pid=$(cat "$pid_file")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        # Wait for it to release the port before reporting it stopped.
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
    fi
    rm -f "$pid_file" "$state/moto.port"
    echo "moto stopped"
}

case "${1:-}" in
    setup) setup ;;
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: scripts/aws-emulator.sh setup|start|stop" >&2
        exit 2
        ;;
esac
