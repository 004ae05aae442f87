# Sourced by ./stockroom: installs what a fresh machine lacks, and nothing twice.
PNPM_VERSION=12.4.2

log() { printf '== %s\n' "$*" >&2; }

need_root_for_apt() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "Stockroom needs the Debian packages: $*. Install them (sudo apt-get install -y $*) and run again." >&2
    exit 1
  fi
}

apt_install() {
  need_root_for_apt "$@"
  log "installing $* (apt)"
  if [ -z "${STOCKROOM_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    export STOCKROOM_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

setup_workspace() {
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 20 ]; then
    echo "Stockroom needs Node.js 20.19 or newer (found $(node -v 2>/dev/null || echo none))." >&2
    exit 1
  fi
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION"
    npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
  fi
  local stamp=node_modules/.stockroom-install
  local lock_hash
  lock_hash=$(sha256sum pnpm-lock.yaml package.json */package.json 2>/dev/null | sha256sum | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
    log "installing dependencies"
    pnpm install --frozen-lockfile --reporter=silent
    echo "$lock_hash" > "$stamp"
  fi
  if [ ! -f prisma/generated/client.ts ] || [ prisma/schema.prisma -nt prisma/generated/client.ts ]; then
    log "generating the database client"
    pnpm --silent generate >/dev/null
  fi
  if [ -f bridge-server/dashboard/package.json ] || [ -f bridge-server/dashboard/vite.config.ts ]; then
    if [ ! -f bridge-server/dashboard/dist/index.html ] || [ -n "$(find bridge-server/dashboard/src -newer bridge-server/dashboard/dist/index.html -print -quit 2>/dev/null)" ]; then
      log "building the admin dashboard"
      pnpm --silent --filter @stockroom/bridge-server run build:dashboard >/dev/null
    fi
  fi
}

# `start` runs the server from one pre-built file (bridge-server/scripts/build-server.ts
# says why), rebuilt whenever a source file is newer than it.
build_server() {
  local bundle=bridge-server/dist/main.mjs
  if [ ! -f "$bundle" ] || [ -n "$(find bridge-server/src shared-types/src prisma/src prisma/generated \
      bridge-server/scripts/build-server.ts pnpm-lock.yaml -newer "$bundle" -print -quit 2>/dev/null)" ]; then
    log "building the server"
    node_modules/.bin/tsx bridge-server/scripts/build-server.ts >/dev/null
  fi
}

# Tools the tests drive for real: ffmpeg/ffprobe for media, Chromium for every UI.
setup_test_tools() {
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  # A real S3 server for the blob store tests: Ceph's RADOS Gateway (scripts/test-s3.sh).
  command -v radosgw >/dev/null 2>&1 || missing+=(ceph-mon ceph-osd radosgw ceph-common)
  # scripts/test-s3.sh asks the gateway over HTTP with curl.
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # PgBouncer in front of the test PostgreSQL (bridge-server/test/scale/pgbouncer.test.ts).
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  # `docker-compose config` checks deploy/compose.yaml without a Docker daemon.
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

# Starts the test S3 server in the background; the tests wait for it (TEST_S3_DIR).
start_test_s3() {
  export TEST_S3_DIR="$PWD/.tmp/s3-test-$$"
  mkdir -p "$TEST_S3_DIR"
  # One more try from scratch: on a loaded machine a monitor's first answer can be late.
  ( scripts/test-s3.sh start "$TEST_S3_DIR" 2>"$TEST_S3_DIR.log" \
      || { scripts/test-s3.sh stop "$TEST_S3_DIR"; mkdir -p "$TEST_S3_DIR"; scripts/test-s3.sh start "$TEST_S3_DIR" 2>>"$TEST_S3_DIR.log"; } \
      || cp "$TEST_S3_DIR.log" "$TEST_S3_DIR/failed" ) &
  TEST_S3_PID=$!
}

stop_test_s3() {
  wait "$TEST_S3_PID" 2>/dev/null || true
  scripts/test-s3.sh stop "$TEST_S3_DIR" || true
  rm -f "$TEST_S3_DIR.log"
}
