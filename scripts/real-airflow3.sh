#!/usr/bin/env bash
# A real Apache Airflow 3 for astrodash's client tests through `/api/v2` (tests/real_airflow3.rs);
# the sibling of real-airflow.sh (Airflow 2), and able to run beside it: its own directory, its
# own free ports (API server, worker log server, which Airflow 2's also wants at 8793).
#
#   scripts/real-airflow3.sh start   install (once), migrate, start api-server + scheduler +
#                                    dag-processor, wait until healthy, print the variables
#   scripts/real-airflow3.sh stop    stop them
#   scripts/real-airflow3.sh env     print the variables again
#
# Everything lives in $REAL_AIRFLOW3_DIR (default: $CARGO_TARGET_DIR/real-airflow3, or
# target/real-airflow3): the venv is reused if present, the Airflow home (SQLite, LocalExecutor)
# is made anew on each start. Auth is Airflow 3's simple auth manager: one admin user whose
# password is set here; the tests exchange it for a JWT at `POST /auth/token` and send that as
# `Bearer`, as they would Houston's token through the platform.
set -euo pipefail

AIRFLOW_VERSION="${AIRFLOW3_VERSION:-3.1.8}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${REAL_AIRFLOW3_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/real-airflow3}"
VENV="$DIR/venv-$AIRFLOW_VERSION"
HOME_DIR="$DIR/home"
ENV_FILE="$DIR/env"
USER_NAME="admin"
PASSWORD="admin-$(date +%s)"
PROCESSES="api-server scheduler dag-processor"

say() { echo "real-airflow3: $*" >&2; }

install() {
    if [ -f "$VENV/.installed" ]; then
        say "reusing $VENV"
        return
    fi
    rm -rf "$VENV"
    mkdir -p "$DIR"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        say "python3 -m venv failed: installing python3-venv"
        rm -rf "$VENV"
        (command -v sudo >/dev/null && SUDO=sudo || SUDO=""
         $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv >/dev/null)
        python3 -m venv "$VENV"
    fi
    local py
    py="$("$VENV/bin/python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    local constraints="https://raw.githubusercontent.com/apache/airflow/constraints-$AIRFLOW_VERSION/constraints-$py.txt"
    say "installing apache-airflow==$AIRFLOW_VERSION (Python $py)"
    "$VENV/bin/pip" install -q --upgrade pip >/dev/null
    # Airflow's own constraints when GitHub answers; the plain pin otherwise.
    if ! "$VENV/bin/pip" install -q "apache-airflow==$AIRFLOW_VERSION" --constraint "$constraints" 2>/dev/null; then
        say "constraints unreachable: installing without them"
        "$VENV/bin/pip" install -q "apache-airflow==$AIRFLOW_VERSION"
    fi
    touch "$VENV/.installed"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

airflow_env() {
    export PATH="$VENV/bin:$PATH"
    export AIRFLOW_HOME="$HOME_DIR"
    export AIRFLOW__CORE__LOAD_EXAMPLES=True
    export AIRFLOW__CORE__EXECUTOR=LocalExecutor
    export AIRFLOW__CORE__PARALLELISM=4
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$USER_NAME:admin"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$HOME_DIR/passwords.json"
    export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
    # Every process signs and checks the same JWTs (the API's and the tasks' execution API).
    export AIRFLOW__API_AUTH__JWT_SECRET="astrodash-real-airflow3-$RANDOM$RANDOM"
    export AIRFLOW__API__SECRET_KEY="astrodash-real-airflow3-$RANDOM$RANDOM"
    export AIRFLOW__API__HOST=127.0.0.1
    export AIRFLOW__API__WORKERS=1
    export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=2
    export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=600
    export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL=600
    # INFO: a task's own log lines (what the log view shows) are written at INFO; below it a
    # task's log file stays empty.
    export AIRFLOW__LOGGING__LOGGING_LEVEL=INFO
    export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
}

stop() {
    for name in $PROCESSES; do
        local pidfile="$DIR/$name.pid"
        if [ -f "$pidfile" ]; then
            local pid
            pid="$(cat "$pidfile")"
            # Each was started as its own process group (setsid): end the group.
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
    say "stopped"
}

start() {
    local t0=$SECONDS
    install
    say "installed in $((SECONDS - t0)) s"
    stop >/dev/null 2>&1 || true
    rm -rf "$HOME_DIR"
    mkdir -p "$HOME_DIR"
    airflow_env
    local port
    port="$(free_port)"
    export AIRFLOW__API__PORT="$port"
    export AIRFLOW__API__BASE_URL="http://127.0.0.1:$port"
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$port/execution/"
    # Not 8793/8794: Airflow 2's log server (real-airflow.sh) may be running too.
    AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$(free_port)"
    AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT="$(free_port)"
    export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT
    printf '{"%s": "%s"}\n' "$USER_NAME" "$PASSWORD" >"$HOME_DIR/passwords.json"
    "$VENV/bin/airflow" db migrate >"$DIR/migrate.log" 2>&1
    # The example DAGs into the database now, rather than when the DAG processor gets to them.
    "$VENV/bin/airflow" dags reserialize >"$DIR/reserialize.log" 2>&1
    for name in $PROCESSES; do
        setsid "$VENV/bin/airflow" "$name" >"$DIR/$name.log" 2>&1 &
        echo $! >"$DIR/$name.pid"
    done
    local url="http://127.0.0.1:$port" health=""
    say "waiting for $url"
    for _ in $(seq 1 240); do
        health="$(curl -fsS "$url/api/v2/monitor/health" 2>/dev/null || true)"
        if echo "$health" | python3 -c 'import json, sys; h = json.load(sys.stdin); sys.exit(h["scheduler"]["status"] != "healthy" or h["dag_processor"]["status"] != "healthy")' 2>/dev/null; then
            {
                echo "export ASTRODASH_REAL_AIRFLOW3_URL=$url"
                echo "export ASTRODASH_REAL_AIRFLOW3_USER=$USER_NAME"
                echo "export ASTRODASH_REAL_AIRFLOW3_PASSWORD=$PASSWORD"
            } >"$ENV_FILE"
            say "healthy after $((SECONDS - t0)) s"
            cat "$ENV_FILE"
            return 0
        fi
        sleep 1
    done
    say "Airflow 3 did not become healthy (last health: ${health:-none}); see $DIR/*.log"
    for name in $PROCESSES; do tail -n 20 "$DIR/$name.log" >&2 || true; done
    stop
    return 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) cat "$ENV_FILE" ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
