#!/usr/bin/env bash
# Portal's catalog next to a real Backstage catalog backend, measured from outside as a user's
# client sees them (issue 16): the same data set, the same Node.js load generator in its own
# process, one server after the other in the same sitting, and the ratios printed side by side.
#
#   bench/catalog-vs-backstage.sh               # both, N=10000
#   N=100000 bench/catalog-vs-backstage.sh portal
#   bench/catalog-vs-backstage.sh backstage
#
# Backstage: ../shared/backstage-peer (@backstage/plugin-catalog-backend 4.0.0 on PostgreSQL),
# copied to target/backstage-peer and `npm ci`-ed once (PEER_DIR= points at an installed copy),
# started with BENCH=1 (no periodic re-processing while measuring).
# Portal: the sample app started as README says (`./mvnw -pl sample-app -am spring-boot:run`, the
# Scaffolder and the in-JVM engine on), on its own database portal_perf, with the same
# re-processing switch as the peer (portal.catalog.refresh.interval=24h) and the web UI's
# Server-Timing header on. Both: load.mjs registers the root Location of N/100 files of 100
# entities through POST /locations, waits until all are visible and related, runs VACUUM ANALYZE,
# measures, and measures once more warm (SKIP_INGEST=1). Then, for Portal, ui-pages.mjs measures the
# catalog list page of the web UI, and load.mjs runs twice through floor-proxy.mjs in front of
# Portal: the method's floor (what client and loopback cost; the best ratio any server could show). compare.mjs prints the issue's table from the result files.
#
# Environment: N (10000), PORT (8089), OUT (target/bench), PEER_DIR, DATA_DIR (/tmp/catalog-bench-data),
# PORTAL_JVM_ARGS (the sample app's JVM flags instead of its pom's sample.jvm-arguments),
# PORTAL_ROOT (the checkout whose sample app runs, default this one: a worktree of another commit
# measures that commit with this script), BACKSTAGE_PASS1/BACKSTAGE_WARM (result files of an
# earlier Backstage run of the same sitting, for `portal` alone).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-both}
N=${N:-10000}
PORT=${PORT:-8089}
OUT=${OUT:-$ROOT/target/bench}
DATA_DIR=${DATA_DIR:-/tmp/catalog-bench-data}
PEER_DIR=${PEER_DIR:-$ROOT/target/backstage-peer}
RUN_ID=${RUN_ID:-l${N}-bench}
STAMP=$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$OUT" "$DATA_DIR"

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Runs load.mjs; prints the path of the result file it wrote.
run_load() {
  local name=$1; shift
  local stdout="$OUT/$STAMP-$name.md"
  (cd "$PEER_DIR" && env "$@" N="$N" RUN_ID="$RUN_ID" DATA_DIR="$DATA_DIR" node load.mjs) > "$stdout"
  local result
  result=$(sed -n 's/^results: //p' "$stdout")
  cp "$result" "$OUT/$STAMP-$name.json"
  node -e '
    const fs = require("fs"); const f = process.argv[1]; const r = JSON.parse(fs.readFileSync(f));
    r.loadavgBefore = process.argv[2]; r.loadavgAfter = process.argv[3]; fs.writeFileSync(f, JSON.stringify(r, null, 2));
  ' "$OUT/$STAMP-$name.json" "$LOAD_BEFORE" "$(loadavg)"
  cat "$stdout" >&2
  echo "$OUT/$STAMP-$name.json"
}

peer_install() {
  if [ ! -d "$PEER_DIR/node_modules" ]; then
    log "installing the Backstage peer into $PEER_DIR (npm ci, a few minutes)"
    mkdir -p "$PEER_DIR"
    cp -r "$ROOT/../shared/backstage-peer/." "$PEER_DIR/"
    chmod -R u+w "$PEER_DIR"
    (cd "$PEER_DIR" && npm ci --no-audit --no-fund >/dev/null)
  fi
  psql -q -h 127.0.0.1 -U postgres -tc "select 1 from pg_roles where rolname = 'backstage'" | grep -q 1 \
    || psql -q -h 127.0.0.1 -U postgres -c "create user backstage with password 'backstage' createdb"
}

bench_backstage() {
  peer_install
  (cd "$PEER_DIR" && ./stop.sh >/dev/null && ./reset-db.sh >/dev/null && BENCH=1 ./start.sh) >&2
  local pid; pid=$(cat "$PEER_DIR/backend.pid")
  LOAD_BEFORE=$(loadavg)
  local register=api
  if [ "$N" -gt 10000 ]; then
    # Past ~65,000 entities under one Location, Backstage 4.0.0 cannot process the root: it reads
    # every target of a Location in the same pass and asks PostgreSQL about all emitted refs in one
    # statement ("bind message has 34465 parameter formats but 0 parameters": more than 65,535
    # bind parameters). So its N/100 files are registered one by one through POST /locations, as
    # soon as load.mjs has written them (its clock starts right after), each a Location of 100.
    register=none
    local dir="$DATA_DIR/$RUN_ID"
    (
      until [ "$(find "$dir" -name 'chunk-*.yaml' -newer "$PEER_DIR/backend.pid" 2>/dev/null | wc -l)" -ge $((N / 100)) ]; do sleep 0.2; done
      for f in "$dir"/chunk-*.yaml; do
        curl -sf -o /dev/null -H 'Content-Type: application/json' -X POST "http://127.0.0.1:7007/api/catalog/locations" \
          -d "{\"type\":\"file\",\"target\":\"$f\"}" || log "POST /locations $f failed"
      done
      log "registered $((N / 100)) files with Backstage"
    ) &
  fi
  BS1=$(run_load backstage-pass1 SERVER_PID="$pid" REGISTER=$register \
    PRE_MEASURE_CMD="PGPASSWORD=backstage psql -q -h 127.0.0.1 -U backstage -d backstage_plugin_catalog -c 'vacuum analyze'")
  LOAD_BEFORE=$(loadavg)
  BS2=$(run_load backstage-warm SERVER_PID="$pid" SKIP_INGEST=1)
  (cd "$PEER_DIR" && ./stop.sh) >&2
}

PORTAL_MVN_PID=
PORTAL_PID=
portal_stop() {
  # only the two processes this script started, by their ids
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null || true
  [ -n "$PORTAL_MVN_PID" ] && kill "$PORTAL_MVN_PID" 2>/dev/null || true
  [ -n "$PORTAL_MVN_PID" ] && wait "$PORTAL_MVN_PID" 2>/dev/null || true
  PORTAL_PID=; PORTAL_MVN_PID=
}
trap portal_stop EXIT

bench_portal() {
  local db=portal_perf
  local root="$DATA_DIR/$RUN_ID/catalog-info.yaml"
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $db" >/dev/null
  # Portal accepts User and Group entities only from locations the application configured (README,
  # Security): POST /locations would refuse the data set's 1,200 people and teams. So the root
  # Location is a configured location, empty at start; load.mjs then writes the data set into it
  # and the script asks for its refresh through the API, which registers the 100 files as nested
  # locations that the refresh loop reads (4 workers), as Backstage's processing loop does.
  mkdir -p "$DATA_DIR/$RUN_ID"
  printf 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: %s-root\nspec:\n  type: file\n  targets: []\n' "$RUN_ID" > "$root"
  log "starting the sample app on port $PORT (database $db)"
  local root_dir="${PORTAL_ROOT:-$ROOT}"
  # One Location naming N/100 files: past 10,000 entities that is more than the default limits on
  # nested locations (100 per location, 1,000 per tree); a host raises them the same way.
  local limits=""
  if [ "$N" -gt 10000 ]; then
    limits="--portal.catalog.max-nested-locations=$((N / 100)) --portal.catalog.max-locations-per-registration=$((N / 100 + 1))"
  fi
  # shellcheck disable=SC2086
  (cd "$root_dir" && exec ./mvnw -B -o -q -pl sample-app -am spring-boot:run \
     -Dspring-boot.run.arguments="--server.port=$PORT --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/$db --portal.catalog.refresh.interval=24h --portal.catalog.refresh.poll-interval=1s --portal.catalog.locations[0].type=file --portal.catalog.locations[0].target=$root_dir/sample-app/catalog/all.yaml --portal.catalog.locations[1].type=file --portal.catalog.locations[1].target=$root --portal.ui.server-timing=true $limits" \
      ${PORTAL_JVM_ARGS:+-Dsample.jvm-arguments="$PORTAL_JVM_ARGS"}) > "$OUT/$STAMP-portal.log" 2>&1 &
  PORTAL_MVN_PID=$!
  for i in $(seq 1 240); do
    PORTAL_PID=$(ps -o pid= --ppid "$PORTAL_MVN_PID" 2>/dev/null | tr -d ' ' | head -1 || true)
    if [ -n "$PORTAL_PID" ] && curl -sf -m 2 "http://127.0.0.1:$PORT/api/catalog/entities/by-query?limit=1" >/dev/null; then break; fi
    kill -0 "$PORTAL_MVN_PID" 2>/dev/null || { tail -40 "$OUT/$STAMP-portal.log"; exit 1; }
    sleep 1
  done
  log "sample app up: JVM pid $PORTAL_PID ($(tr '\0' ' ' < /proc/$PORTAL_PID/cmdline | grep -o -- ' -X[^ ]*' | tr -d '\n'))"
  local auth="Basic $(printf alice:demo | base64)"
  LOAD_BEFORE=$(loadavg)
  (
    # as soon as load.mjs has written the data set (it starts its clock right after), ask for the refresh
    until grep -q chunk- "$root" 2>/dev/null; do sleep 0.05; done
    curl -sf -m 600 -u alice:demo -H 'Content-Type: application/json' -X POST "http://127.0.0.1:$PORT/api/catalog/refresh" \
      -d "{\"entityRef\":\"location:default/$RUN_ID-root\"}" >&2 && log "refresh of location:default/$RUN_ID-root asked"
  ) &
  P1=$(run_load portal-pass1 CATALOG_URL="http://127.0.0.1:$PORT/api/catalog" PORTAL_AUTH="$auth" SERVER_PID="$PORTAL_PID" REGISTER=none \
    PRE_MEASURE_CMD="psql -q -h 127.0.0.1 -U postgres -d $db -c 'vacuum analyze'")
  LOAD_BEFORE=$(loadavg)
  P2=$(run_load portal-warm CATALOG_URL="http://127.0.0.1:$PORT/api/catalog" PORTAL_AUTH="$auth" SERVER_PID="$PORTAL_PID" SKIP_INGEST=1)
  BASE="http://127.0.0.1:$PORT" SERVER_PID="$PORTAL_PID" RUN_ID="$RUN_ID" node "$ROOT/bench/ui-pages.mjs" > "$OUT/$STAMP-portal-ui.json"
  cat "$OUT/$STAMP-portal-ui.json" >&2
  bench_floor
  portal_stop
}

# The method's floor: load.mjs through bench/floor-proxy.mjs in front of Portal, twice; the second
# pass is answered from memory for every request (same random names and cursors), so it measures
# the client, the loopback and a server that does nothing but write bytes it holds.
bench_floor() {
  local port=$((PORT + 1))
  UPSTREAM="http://127.0.0.1:$PORT/api/catalog" PORT=$port node "$ROOT/bench/floor-proxy.mjs" >&2 &
  local proxy=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  LOAD_BEFORE=$(loadavg)
  run_load floor-fill CATALOG_URL="http://127.0.0.1:$port/api/catalog" SERVER_PID="$proxy" SKIP_INGEST=1 >/dev/null
  LOAD_BEFORE=$(loadavg)
  FL=$(run_load floor CATALOG_URL="http://127.0.0.1:$port/api/catalog" SERVER_PID="$proxy" SKIP_INGEST=1)
  kill "$proxy" 2>/dev/null || true
  wait "$proxy" 2>/dev/null || true
}

BS1=; BS2=; P1=; P2=; FL=
case "$WHAT" in
  both) bench_backstage; bench_portal ;;
  backstage) bench_backstage ;;
  portal) bench_portal ;;
  *) echo "usage: $0 [both|backstage|portal]"; exit 2 ;;
esac
node "$ROOT/bench/compare.mjs" "${BS1:-${BACKSTAGE_PASS1:-}}" "${BS2:-${BACKSTAGE_WARM:-}}" "${P1:-${PORTAL_PASS1:-}}" "${P2:-${PORTAL_WARM:-}}" "${FL:-}" \
  | tee "$OUT/$STAMP-table.md"
