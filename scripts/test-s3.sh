#!/usr/bin/env bash
# A throw-away S3 server for the tests: a one-node Ceph cluster (1 monitor, 1
# in-memory OSD, no auth) with the RADOS Gateway on 127.0.0.1, from Debian's
# packages (ceph-mon ceph-osd radosgw ceph-common; scripts/setup.sh installs them).
#   scripts/test-s3.sh start DIR   starts it; writes DIR/env (S3_ENDPOINT, keys) and then DIR/ready
#   scripts/test-s3.sh stop DIR    stops every daemon it started and removes DIR
# Memory: ~0.9 GB while running; start: ~15 s.
set -Eeuo pipefail
# Which step failed goes to stderr, with what the ceph tool said (the daemons' own logs are in DIR/log).
# -E: without it the trap does not fire inside start().
trap 'echo "test-s3: failed at line $LINENO: $BASH_COMMAND" >&2; tail -n 5 "$DIR/log/ceph.out" >&2 || true' ERR
command=$1
DIR=$(mkdir -p "$2" && cd "$2" && pwd)

stop() {
  local pidfile
  for pidfile in "$DIR"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  # Daemons whose pid file was never written (a start that failed half-way) go too.
  pkill -f -- "-c $DIR/ceph.conf" 2>/dev/null || true
  rm -rf "$DIR"
}

# A port below the kernel's range for outgoing connections (one in that range can be
# taken by a client socket between this check and the daemon's bind), not in use now.
free_port() {
  local port first_ephemeral
  first_ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    port=$((10000 + RANDOM % (first_ephemeral - 10000)))
    if command -v ss >/dev/null; then
      [ -z "$(ss -Htan "( sport = :$port )")" ] && { echo "$port"; return; }
    elif ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# A ceph client or daemon's first command can go out before it knows the cluster's fsid
# (the monitor logs "handle_command on fsid 00000000-…", the tool says "problem getting
# command descriptions from mon", a daemon exits); it was not carried out, so it is run again.
again() {
  local tries=1
  until "$@"; do
    [ "$tries" -lt 5 ] || { echo "test-s3: $* failed 5 times; see $DIR/log" >&2; return 1; }
    tries=$((tries + 1))
    sleep 1
  done
}

ceph_cmd() {
  again timeout 90 ceph -c "$DIR/ceph.conf" "$@" >>"$DIR/log/ceph.out" 2>&1
}

start() {
  for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool; do
    command -v "$tool" >/dev/null || { echo "test-s3: $tool is missing; install ceph-mon ceph-osd radosgw ceph-common" >&2; exit 1; }
  done
  rm -rf "$DIR"/{run,log,mon.a,osd.0,rgw.a} "$DIR"/env "$DIR"/ready
  mkdir -p "$DIR"/{run,log,mon.a,osd.0,rgw.a}
  cd "$DIR"
  local fsid mon_port rgw_port
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(free_port)
  rgw_port=$(free_port)
  while [ "$rgw_port" = "$mon_port" ]; do rgw_port=$(free_port); done
  # `mon host` without a v1: prefix and `ms bind ipv6 = false` are both required, or it does not start.
  cat > ceph.conf <<CONF
[global]
fsid = $fsid
mon host = 127.0.0.1:$mon_port
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr2 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
osd objectstore = memstore
memstore device bytes = 4294967296
osd crush chooseleaf type = 0
osd op num shards = 1
osd op num threads per shard = 1
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
[mon.a]
mon data = $DIR/mon.a
[osd.0]
osd data = $DIR/osd.0
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $DIR/rgw.a
CONF
  local c=(-c "$DIR/ceph.conf")
  ceph-authtool --create-keyring mon.keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --addv a "[v1:127.0.0.1:$mon_port]" --fsid "$fsid" monmap >/dev/null
  ceph-mon "${c[@]}" --mkfs -i a --monmap monmap --keyring mon.keyring >log/mkfs.out 2>&1
  ceph-mon "${c[@]}" -i a </dev/null >log/mon.out 2>&1
  ceph_cmd osd create
  ceph-osd "${c[@]}" -i 0 --mkfs </dev/null >log/osd-mkfs.out 2>&1
  ceph_cmd osd crush add-bucket node1 host
  ceph_cmd osd crush move node1 root=default
  ceph_cmd osd crush add osd.0 1.0 host=node1
  again ceph-osd "${c[@]}" -i 0 </dev/null >>log/osd.out 2>&1
  again radosgw "${c[@]}" -n client.rgw.a </dev/null >>log/rgw.out 2>&1
  local up=
  for _ in $(seq 90); do
    if curl -s -o /dev/null "http://127.0.0.1:$rgw_port/"; then up=1; break; fi
    sleep 1
  done
  [ -n "$up" ] || { echo "test-s3: the gateway did not answer within 90 s; see $DIR/log" >&2; exit 1; }
  local secret
  secret=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  local tries=0
  until timeout 60 radosgw-admin "${c[@]}" user create --uid=stockroom-test --display-name=stockroom-test \
    --access-key=stockroom-test --secret-key="$secret" >>log/ceph.out 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 5 ] || { echo "test-s3: the gateway user was not created in 5 tries; see $DIR/log/ceph.out" >&2; exit 1; }
    # A create that went through but whose answer was lost leaves a user with another secret.
    timeout 60 radosgw-admin "${c[@]}" user rm --uid=stockroom-test >>log/ceph.out 2>&1 || true
    sleep 1
  done
  cat > env <<ENV
S3_ENDPOINT=http://127.0.0.1:$rgw_port
S3_ACCESS_KEY=stockroom-test
S3_SECRET_KEY=$secret
S3_REGION=us-east-1
ENV
  touch ready
  echo "test-s3: S3 at http://127.0.0.1:$rgw_port" >&2
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
