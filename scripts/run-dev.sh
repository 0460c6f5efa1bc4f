#!/usr/bin/env bash
# Start the web server, the background task worker and the scheduler together (make run).
# Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are stopped too.
set -uo pipefail
set -m  # each child in its own process group, so a stop reaches runserver's reloader child too

PYTHON="${PYTHON:-.venv/bin/python}"
ADDR="${1:-127.0.0.1:8000}"
pids=()

start() {
  "$@" &
  pids+=("$!")
}

stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null
  echo "stopped server, worker and scheduler"
}
trap stop INT TERM EXIT

start env PYTHON="$PYTHON" scripts/worker.sh  # db_worker, or an RQ worker with TASKS_BACKEND=rq
start "$PYTHON" manage.py run_scheduler
start "$PYTHON" manage.py runserver "$ADDR"
wait -n
