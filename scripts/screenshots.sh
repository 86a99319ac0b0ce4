#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary on demo data:
# astrodash demo in tmux → capture-pane with colours → HTML (scripts/ansi_to_html.py) → PNG
# (headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

# The first `convert` on the PATH that is ImageMagick's (a machine may have a stand-in).
imagemagick() {
  local c
  for c in $(type -ap convert); do
    if "$c" -version 2>/dev/null | grep -q ImageMagick; then echo "$c"; return 0; fi
  done
  return 1
}

need=()
command -v tmux >/dev/null || need+=(tmux)
command -v chromium >/dev/null || need+=(chromium)
imagemagick >/dev/null || need+=(imagemagick)
command -v python3 >/dev/null || need+=(python3)
fc-list 2>/dev/null | grep -q DejaVuSansMono || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

convert="$(imagemagick)"

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/astrodash"
out="$PWD/screenshots"
work="$(mktemp -d)"
sock="astrodash-shots-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

cols=140 rows=38
tmux -L "$sock" new-session -d -s shot -x "$cols" -y "$rows" \
  "env -u DISPLAY -u WAYLAND_DISPLAY -u SSH_CONNECTION -u SSH_TTY TERM=xterm-256color HOME=$work $bin demo"

# Waits until the pane shows $1 (the app has drawn that screen with data).
wait_for() {
  for _ in $(seq 1 100); do
    if tmux -L "$sock" capture-pane -p -t shot | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "screen never showed: $1" >&2
  tmux -L "$sock" capture-pane -p -t shot >&2
  exit 1
}
keys() { tmux -L "$sock" send-keys -t shot "$@"; sleep 0.4; }

# Captures the pane and renders it to screenshots/$1.png.
shoot() {
  local name=$1
  sleep 0.3
  tmux -L "$sock" capture-pane -e -p -t shot > "$work/$name.ansi"
  python3 scripts/ansi_to_html.py < "$work/$name.ansi" > "$work/$name.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chrome" --hide-scrollbars --window-size=1300,900 \
    --screenshot="$work/$name-raw.png" "file://$work/$name.html" >/dev/null 2>&1
  "$convert" "$work/$name-raw.png" -trim +repage -bordercolor black -border 10 "$out/$name.png"
  echo "wrote screenshots/$name.png"
}

wait_for "Data Platform"
shoot account

keys "/" ; keys -l "Data Platform"; keys Enter; keys Enter
wait_for "Service Accounts"
wait_for "HEALTHY"
shoot workspace

keys 2
wait_for "Users ("
shoot workspace-users

keys 1; keys Enter
wait_for "scheduler"
shoot deployment

keys o
wait_for "airflow"
shoot open-airflow
keys Escape

keys 2
sleep 0.5
shoot deployment-variables

keys 5
wait_for "Scheduler heartbeat"
shoot logs

keys 6
wait_for "Quota"
sleep 1.5
shoot metrics

# Inside the deployment's Airflow: its DAGs with their last runs.
keys 7
wait_for "DAGs ("
wait_for "active"
sleep 1
shoot dags

keys 1
wait_for "scheduler"
keys d
wait_for "YAML, secrets masked"
shoot describe
keys Escape

keys y
wait_for "Copy from"
shoot copy-menu
keys Escape

keys "?"
sleep 0.3
shoot help
keys Escape

# Back on the workspace's deployments: the new-deployment form.
keys Escape
wait_for "Deployments ("
keys n
wait_for "Executor"
shoot new-deployment
keys Escape
sleep 0.3
# A form with nothing typed closes at once; one with input asks first.
tmux -L "$sock" capture-pane -p -t shot | grep -q "Discard" && keys y

# The command palette, then every deployment of every workspace, worst first.
keys ":"
keys -l "dep rev"
sleep 0.4
shoot palette
keys Escape
keys Escape
wait_for "Workspaces ("
keys a
wait_for "All deployments ("
wait_for "UNHEALTHY"
shoot all-deployments

# The failing runs of every deployment; Enter on the newest, then its failed task's log.
keys ":"
keys -l "dags"
keys Enter
wait_for "Failing and long-running DAG runs ("
wait_for "failed"
sleep 1
shoot fleet-dags
keys g
keys Enter
wait_for "Task instances ("
keys "/"
keys -l "failed"
keys Enter
keys Enter
wait_for "Task failed"
sleep 0.5
shoot task-log
keys q
