#!/usr/bin/env bash
# The background task worker the settings ask for (make worker, make run): an RQ worker when
# TASKS_BACKEND=rq (tasks on Redis, docs/adr/0002), else the database queue's db_worker.
set -euo pipefail
PYTHON="${PYTHON:-.venv/bin/python}"
if [ "${TASKS_BACKEND:-db}" = "rq" ]; then
  exec "$PYTHON" manage.py rqworker default --job-class django_tasks_rq.Job "$@"
fi
exec "$PYTHON" manage.py db_worker --backend background "$@"
