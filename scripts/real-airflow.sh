#!/usr/bin/env bash
# A real Apache Airflow for astrodash's client tests (tests/real_airflow.rs).
#
#   scripts/real-airflow.sh start   install (once), migrate, start webserver + scheduler, wait
#                                   until healthy, print the variables the tests read
#   scripts/real-airflow.sh stop    stop both
#   scripts/real-airflow.sh env     print the variables again
#
# Everything lives in $REAL_AIRFLOW_DIR (default: $CARGO_TARGET_DIR/real-airflow, or
# target/real-airflow): the venv is reused if present, the Airflow home (SQLite) is made anew on
# each start. The webserver answers the REST API with basic auth (an admin user) and serves the
# example DAGs; the port is a free one.
set -euo pipefail

AIRFLOW_VERSION="${AIRFLOW_VERSION:-2.10.5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${REAL_AIRFLOW_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/real-airflow}"
VENV="$DIR/venv-$AIRFLOW_VERSION"
HOME_DIR="$DIR/home"
ENV_FILE="$DIR/env"
USER_NAME="admin"
PASSWORD="admin-$(date +%s)"

say() { echo "real-airflow: $*" >&2; }

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
    # Airflow's own constraints pin its dependencies to the versions it was released with.
    if ! "$VENV/bin/pip" install -q "apache-airflow==$AIRFLOW_VERSION" --constraint "$constraints"; then
        # Without them (GitHub unreachable), pin what newer releases broke: gunicorn ≥ 24
        # makes the webserver's monitor give up on its master after 120 s; universal-pathlib
        # ≥ 0.3 fails an example DAG's import.
        say "constraints unreachable: installing with the known pins"
        "$VENV/bin/pip" install -q "apache-airflow==$AIRFLOW_VERSION" \
            "gunicorn==23.0.0" "universal-pathlib==0.2.6" "marshmallow>=3.18,<4"
    fi
    # Only a finished install is reused.
    touch "$VENV/.installed"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

airflow_env() {
    # The executor starts each task as `airflow tasks run …`, found on PATH.
    export PATH="$VENV/bin:$PATH"
    export AIRFLOW_HOME="$HOME_DIR"
    export AIRFLOW__CORE__LOAD_EXAMPLES=True
    export AIRFLOW__CORE__EXECUTOR=SequentialExecutor
    export AIRFLOW__API__AUTH_BACKENDS=airflow.api.auth.backend.basic_auth
    export AIRFLOW__WEBSERVER__WORKERS=1
    export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1
    export AIRFLOW__WEBSERVER__EXPOSE_CONFIG=False
    export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=2
    export AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL=600
    export AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL=600
    export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
    # INFO: a task's own log lines (what the log view shows) are written at INFO.
    export AIRFLOW__LOGGING__LOGGING_LEVEL=INFO
    export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
}

stop() {
    for name in webserver scheduler; do
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
    export AIRFLOW__WEBSERVER__WEB_SERVER_PORT="$port"
    export AIRFLOW__WEBSERVER__BASE_URL="http://127.0.0.1:$port"
    "$VENV/bin/airflow" db migrate >"$DIR/migrate.log" 2>&1
    "$VENV/bin/airflow" users create --role Admin --username "$USER_NAME" --password "$PASSWORD" \
        --firstname Ada --lastname Admin --email admin@example.com >"$DIR/users.log" 2>&1
    # The example DAGs into the database now, rather than when the scheduler gets to them.
    "$VENV/bin/airflow" dags reserialize >"$DIR/reserialize.log" 2>&1
    setsid "$VENV/bin/airflow" scheduler >"$DIR/scheduler.log" 2>&1 &
    echo $! >"$DIR/scheduler.pid"
    setsid "$VENV/bin/airflow" webserver >"$DIR/webserver.log" 2>&1 &
    echo $! >"$DIR/webserver.pid"
    local url="http://127.0.0.1:$port" health=""
    say "waiting for $url"
    for _ in $(seq 1 180); do
        health="$(curl -fsS -u "$USER_NAME:$PASSWORD" "$url/api/v1/health" 2>/dev/null || true)"
        if echo "$health" | python3 -c 'import json, sys; sys.exit(json.load(sys.stdin)["scheduler"]["status"] != "healthy")' 2>/dev/null; then
            {
                echo "export ASTRODASH_REAL_AIRFLOW_URL=$url"
                echo "export ASTRODASH_REAL_AIRFLOW_USER=$USER_NAME"
                echo "export ASTRODASH_REAL_AIRFLOW_PASSWORD=$PASSWORD"
            } >"$ENV_FILE"
            say "healthy after $((SECONDS - t0)) s"
            cat "$ENV_FILE"
            return 0
        fi
        sleep 1
    done
    say "Airflow did not become healthy (last /health: ${health:-none}); see $DIR/*.log"
    tail -n 20 "$DIR/webserver.log" "$DIR/scheduler.log" >&2 || true
    stop
    return 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) cat "$ENV_FILE" ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
