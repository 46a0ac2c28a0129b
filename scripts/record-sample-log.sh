#!/usr/bin/env bash
# Records samples/audit.log with the real auditd of this machine: Debian's bind9 (named)
# answering a query loop on 127.0.0.1 under a hardened ruleset (upstream's STIG example
# rules for 3.0.9 plus samples/noise-recording.rules).
#
# What it changes, and puts back:
#   - starts auditd (which enables auditing) with a private config writing to a temp dir;
#   - loads the rules with `auditctl -R`, and raises the backlog limit for the run;
#   - afterwards stops auditd, deletes every rule (`auditctl -D`), disables auditing
#     (`auditctl -e 0`; never -e 2), restores the backlog limit and wait time, and checks
#     that `auditctl -s` shows enabled 0 and `auditctl -l` shows no rules.
# It refuses to run when auditd is already running, auditing is enabled or rules are
# loaded, so the state it restores is the state it found.
#
# The whole run holds /tmp/auditd-tools-audit.lock, like every test that touches auditctl.
#
# Usage: sudo scripts/record-sample-log.sh [--seconds N] [--out FILE]
set -euo pipefail

lock=/tmp/auditd-tools-audit.lock
if [ "${AUDITD_TOOLS_LOCK_HELD:-}" != 1 ]; then
  exec env AUDITD_TOOLS_LOCK_HELD=1 flock "$lock" "$0" "$@"
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=25
out="$repo/samples/audit.log"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--out FILE]" >&2; exit 2 ;;
  esac
done

die() { echo "record-sample-log: $*" >&2; exit 1; }

stig="$repo/../shared/corpus/rules/audit-userspace-3.0.9/30-stig.rules"
layer="$repo/samples/noise-recording.rules"

[ "$(id -u)" = 0 ] || die "must run as root (auditd and auditctl need it)"
python=$(command -v /usr/bin/python3 || command -v python3 || true)
[ -n "$python" ] || die "python3 is not installed"
for tool in auditd auditctl named dig node; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -r "$stig" ] || die "missing $stig"

# --- the state we start from ----------------------------------------------------------

if pgrep -x auditd >/dev/null; then die "auditd is already running; stop it first"; fi

status_value() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }

saved_status=$(auditctl -s)
saved_rules=$(auditctl -l)
echo "audit state before the recording:"
echo "$saved_status" | sed 's/^/  /'
echo "  rules: $saved_rules"

[ "$(status_value enabled)" = 0 ] || die "auditing is enabled (enabled $(status_value enabled))"
[ "$(status_value pid)" = 0 ] || die "an audit daemon is registered (pid $(status_value pid))"
[ "$saved_rules" = "No rules" ] || die "rules are loaded; this script only restores an empty list"
saved_backlog=$(status_value backlog_limit)
saved_wait=$(status_value backlog_wait_time)

work=$(mktemp -d /tmp/record-sample-log.XXXXXX)
chmod 755 "$work"
auditd_pid=
named_pid=
loop_pid=

restore() {
  set +e
  [ -n "$loop_pid" ] && kill "$loop_pid" 2>/dev/null
  [ -n "$named_pid" ] && kill "$named_pid" 2>/dev/null && wait "$named_pid" 2>/dev/null
  if [ -n "$auditd_pid" ]; then
    kill -TERM "$auditd_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$auditd_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  auditctl -D >/dev/null
  auditctl -e 0 >/dev/null
  auditctl -b "$saved_backlog" >/dev/null
  auditctl --backlog_wait_time "$saved_wait" >/dev/null

  local ok=1
  [ "$(status_value enabled)" = 0 ] || ok=0
  [ "$(status_value pid)" = 0 ] || ok=0
  [ "$(auditctl -l)" = "No rules" ] || ok=0
  echo "audit state after the recording:"
  auditctl -s | sed 's/^/  /'
  echo "  rules: $(auditctl -l)"
  if [ "$ok" != 1 ]; then
    echo "record-sample-log: the audit state was NOT restored; check auditctl -s / -l" >&2
    exit 1
  fi
  rm -rf "$work"
}
trap restore EXIT
# An interrupt or kill ends the script through exit, so the EXIT trap restores the state.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- a private auditd ------------------------------------------------------------------

mkdir -p "$work/audit/plugins.d" "$work/log"
sed -e "s|^log_file *=.*|log_file = $work/log/audit.log|" \
    -e "s|^plugin_dir *=.*|plugin_dir = $work/audit/plugins.d|" \
    -e "s|^max_log_file *=.*|max_log_file = 64|" \
    -e "s|^max_log_file_action *=.*|max_log_file_action = IGNORE|" \
    -e "s|^name_format *=.*|name_format = HOSTNAME|" \
    -e "s|^log_group *=.*|log_group = root|" \
    /etc/audit/auditd.conf > "$work/audit/auditd.conf"
chmod 640 "$work/audit/auditd.conf"

auditd -n -c "$work/audit" &
auditd_pid=$!
for _ in $(seq 50); do [ "$(status_value pid)" = "$auditd_pid" ] && break; sleep 0.1; done
[ "$(status_value pid)" = "$auditd_pid" ] || die "auditd did not register with the kernel"

# --- the hardened ruleset --------------------------------------------------------------

# The kernel refuses a dir= rule whose directory does not exist (ENOENT), and auditctl
# stops at the first failed line, so rules for directories this host lacks are left out.
{
  echo "-D"
  echo "-b 8192"
  grep -v '^#' "$stig" "$layer" --no-filename | grep -v '^$' | while IFS= read -r rule; do
    dir=$(printf '%s\n' "$rule" | sed -n 's/.*-F dir=\([^ ]*\).*/\1/p')
    if [ -n "$dir" ] && [ ! -d "$dir" ]; then
      echo "skipping (no $dir on this host): $rule" >&2
      continue
    fi
    printf '%s\n' "$rule"
  done
} > "$work/hardened.rules"
chmod 600 "$work/hardened.rules"
auditctl -R "$work/hardened.rules" >/dev/null
echo "loaded $(auditctl -l | wc -l) rules"

# --- the busy daemon -------------------------------------------------------------------

mkdir -p "$work/named"
chown bind:bind "$work/named"
cat > "$work/named/named.conf" <<EOF
options {
  directory "$work/named";
  pid-file "$work/named/named.pid";
  listen-on port 53 { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
};
zone "localhost" { type master; file "/etc/bind/db.local"; };
zone "127.in-addr.arpa" { type master; file "/etc/bind/db.127"; };
EOF
named -f -u bind -c "$work/named/named.conf" &
named_pid=$!
for _ in $(seq 50); do dig @127.0.0.1 +short +time=1 +tries=1 localhost A >/dev/null && break
  sleep 0.2; done

# The load: a resolver client on a connected UDP socket at about 120 questions a second,
# and a health check that runs dig once a second, the way monitoring scripts do.
"$python" "$repo/scripts/dns-query-loop.py" "$seconds" 120 > "$work/queries-sent" &
loop_pid=$!
checks=0
end=$((SECONDS + seconds))
while [ $SECONDS -lt $end ]; do
  dig @127.0.0.1 +short +tries=1 +time=1 localhost A >/dev/null || true
  checks=$((checks + 1))
  sleep 1
done
wait "$loop_pid"
loop_pid=
read -r sent answered < "$work/queries-sent"
echo "sent $sent queries ($answered answered) and ran $checks dig health checks in $seconds s"

# --- stop, restore, neutralise ---------------------------------------------------------

kill "$named_pid"; wait "$named_pid" 2>/dev/null || true
named_pid=
kill -TERM "$auditd_pid"; wait "$auditd_pid" 2>/dev/null || true
auditd_pid=

mkdir -p "$(dirname "$out")"
node "$repo/scripts/neutralise-audit-log.mjs" "$work/log/audit.log" "$out" \
  --host sample-host --alias "$(hostname)" --alias "$(hostname -f 2>/dev/null || hostname)"
echo "wrote $out ($(wc -c < "$out") bytes, $(wc -l < "$out") records)"
