#!/usr/bin/env bash
# The steps of podbench's GitHub Action (action.yml at the repository root), in one script
# that the action runs and that podbench's own test suite runs against the embedded emulator
# (test/action/action-script.test.ts), so the action is tested, not only written.
#
#   podbench-check.sh setup           install and build podbench beside this script (once)
#   podbench-check.sh find-baseline   the newest run of this repository holding the baseline artifact
#   podbench-check.sh check           run the scenario, check thresholds, compare with the baseline
#   podbench-check.sh verdict         fail the job when the check did not pass
#
# Settings come from the environment (action.yml maps its inputs to them):
#   PODBENCH_SCENARIO          scenario file (required by check)
#   PODBENCH_ENDPOINT_ID       Runpod endpoint id; empty: the embedded emulator
#   RUNPOD_API_KEY             the key, from a secret; podbench reads it from the environment only
#   PODBENCH_BASELINE          baseline file in the repository; used when it exists
#   PODBENCH_BASELINE_DIR      where a downloaded baseline artifact was put (its JSON file is used
#                              when PODBENCH_BASELINE names no existing file)
#   PODBENCH_SAVE_BASELINE     write the new baseline here when every check passed
#   PODBENCH_REPEAT            runs per check (default 1)
#   PODBENCH_OUT               the run folder (default podbench-report)
#   PODBENCH_ARGS              more `podbench run` arguments, split on spaces
#   PODBENCH_ARTIFACT          find-baseline: the artifact's name
#   PODBENCH_BASELINE_BRANCH   find-baseline: only runs of this branch (default: any)
#   PODBENCH_EXIT_CODE         verdict: the check's exit code
#   PODBENCH_BIN               podbench's bin/podbench.js (setup exports it)
# and GitHub's own: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STEP_SUMMARY, GITHUB_REPOSITORY.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

output() { # name=value into the step's outputs (or stdout outside Actions)
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; else echo "output: $1"; fi
}

summary() { # a line into the job summary
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then echo "$1" >>"$GITHUB_STEP_SUMMARY"; fi
}

setup() {
  # A checkout that is already built (a cache, or podbench's own tests) is not built again.
  if [ ! -f "$root/dist/src/cli.js" ] || [ ! -d "$root/node_modules" ]; then
    (cd "$root" && npm ci --no-audit --no-fund) # npm ci runs `prepare`, which builds dist/
  fi
  local bin="$root/bin/podbench.js"
  if [ -n "${GITHUB_ENV:-}" ]; then echo "PODBENCH_BIN=$bin" >>"$GITHUB_ENV"; fi
  output "bin=$bin"
  node "$bin" --version
}

find_baseline() {
  local name="${PODBENCH_ARTIFACT:?name the baseline artifact}"
  local filter='.artifacts[] | select(.expired | not)'
  if [ -n "${PODBENCH_BASELINE_BRANCH:-}" ]; then
    filter="$filter | select(.workflow_run.head_branch == \"$PODBENCH_BASELINE_BRANCH\")"
  fi
  local id
  id="$(gh api "repos/${GITHUB_REPOSITORY:?}/actions/artifacts?name=${name}&per_page=30" --jq "$filter | .workflow_run.id" | head -n 1 || true)"
  if [ -z "$id" ]; then
    echo "podbench: no unexpired artifact \"$name\" yet: this check runs without a baseline"
    output "run-id="
    return 0
  fi
  echo "podbench: baseline artifact \"$name\" of run $id"
  output "run-id=$id"
}

check() {
  local bin="${PODBENCH_BIN:-$root/bin/podbench.js}"
  local scenario="${PODBENCH_SCENARIO:?name the scenario file}"
  local out="${PODBENCH_OUT:-podbench-report}"
  local repeat="${PODBENCH_REPEAT:-1}"
  local args=(run "$scenario" --out "$out" --quiet --junit "$out.junit.xml")
  if [ -n "${PODBENCH_ENDPOINT_ID:-}" ]; then args+=(--endpoint-id "$PODBENCH_ENDPOINT_ID"); fi
  if [ "$repeat" != 1 ]; then args+=(--repeat "$repeat"); fi
  local baseline=""
  if [ -n "${PODBENCH_BASELINE:-}" ] && [ -f "$PODBENCH_BASELINE" ]; then
    baseline="$PODBENCH_BASELINE"
  elif [ -n "${PODBENCH_BASELINE_DIR:-}" ] && [ -d "$PODBENCH_BASELINE_DIR" ]; then
    # The downloaded artifact: the one JSON file save-baseline uploaded.
    baseline="$(find "$PODBENCH_BASELINE_DIR" -maxdepth 1 -name '*.json' | sort | head -n 1)"
  fi
  if [ -n "$baseline" ]; then
    args+=(--baseline "$baseline")
  else
    echo "podbench: no baseline yet: thresholds only"
    summary "podbench: no baseline to compare with yet (thresholds only)."
  fi
  if [ -n "${PODBENCH_SAVE_BASELINE:-}" ]; then
    mkdir -p "$(dirname "$PODBENCH_SAVE_BASELINE")"
    args+=(--save-baseline "$PODBENCH_SAVE_BASELINE")
  fi
  if [ -n "${PODBENCH_ARGS:-}" ]; then
    local extra
    read -r -a extra <<<"$PODBENCH_ARGS"
    args+=("${extra[@]}")
  fi
  local status=0
  # podbench appends its Markdown verdict to $GITHUB_STEP_SUMMARY itself.
  node "$bin" "${args[@]}" || status=$?
  case $status in
    0 | 1) ;;
    2) summary "### ❌ podbench could not check: bad scenario, flag or baseline (exit 2); the step log says which" ;;
    *) summary "### ❌ podbench: the run did not complete (exit $status); the step log says why" ;;
  esac
  output "exit-code=$status"
  output "report-dir=$out"
  output "junit=$out.junit.xml"
  output "baseline=$baseline"
  # The job fails in the verdict step, after the reports are uploaded.
  return 0
}

verdict() {
  local status="${PODBENCH_EXIT_CODE:?the exit code of the check step}"
  case $status in
    0) echo "podbench: every check passed" ;;
    1) echo "::error title=podbench::a threshold failed or a metric regressed: see the job summary" ;;
    2) echo "::error title=podbench::bad scenario, flag or baseline (exit 2): see the check step's log" ;;
    *) echo "::error title=podbench::the run did not complete (exit $status): see the check step's log" ;;
  esac
  return "$status"
}

case "${1:-}" in
  setup) setup ;;
  find-baseline) find_baseline ;;
  check) check ;;
  verdict) verdict ;;
  *)
    echo "usage: $0 setup|find-baseline|check|verdict" >&2
    exit 2
    ;;
esac
