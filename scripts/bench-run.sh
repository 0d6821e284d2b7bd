#!/bin/sh
# Whole-run wall time of `netconform run`, passing and failing (README,
# "Measurements"): the same run under the config's own profile and under a
# profile that silently drops the first datagram of every IPv4 UDP flow in
# the SUT (what a stack with the first-datagram bug does). The failing run's
# extra time is what lost datagrams cost: one receive window per datagram
# number and case (never one per socket; the extra window that tells late
# from lost ends when the socket's next datagram arrives), the windows of
# checks in parallel processes overlapping.
#
#   sudo scripts/bench-run.sh [runs] [extra `netconform run` flags...]
#   sudo scripts/bench-run.sh 5                    # the default run
#   sudo scripts/bench-run.sh 5 --labels sockets   # the sockets suite only
#
# Runs alternate (passing, failing, passing...) so that a machine whose load
# changes meanwhile weighs on both alike; it prints every time, the median
# and the least of each, and the ratio of the medians. Needs root, iptables
# with the hashlimit match and the NFQUEUE target. Nothing of the host is
# touched: the profile's rule lives in each lab's own namespace, like every
# profile command, and goes with it.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
[ $# -gt 0 ] && shift
GO=${GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
make -s build GO="$GO"

tmp=$(mktemp -d /tmp/netconform-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
# The shipped configuration plus one profile. hashlimit with a burst of 1 per
# (source, source port, destination, destination port) matches exactly the
# first packet of every flow (a fresh socket is a fresh flow); NFQUEUE to a
# queue no program listens on drops it after sendto() has returned success,
# so the loss is silent, like the seed's. It sits in the mangle table, before
# the filter table where cfil.userspace-filter puts its own queue rule, so
# that check loses its first datagrams too. IPv4 only: the IPv4-mapped and
# AF_INET cases are what the first-datagram checks send.
awk '
  { print }
  /^profiles:/ {
    print "  drop-first-datagram:"
    print "    description: benchmark only - drops the first IPv4 UDP datagram of every flow, silently"
    print "    commands:"
    print "      - iptables -t mangle -I OUTPUT -p udp -m hashlimit --hashlimit-name ncfirst --hashlimit-mode srcip,srcport,dstip,dstport --hashlimit-upto 1/hour --hashlimit-burst 1 -j NFQUEUE --queue-num 4242"
  }' ginkgo.yaml > "$tmp/ginkgo.yaml"

# One timed run: its wall time in seconds on stdout. Stock Linux fails the
# RFC 8028 checks, so a run exits 1 either way: only exit 2 (no run) stops.
timed() {
  out=$1
  shift
  t0=$(date +%s.%N)
  rc=0
  ./bin/netconform run --config "$tmp/ginkgo.yaml" --out "$tmp/$out" "$@" >"$tmp/$out.log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" -ge 2 ]; then
    echo "bench-run: netconform run exited $rc:" >&2
    tail -5 "$tmp/$out.log" >&2
    exit 1
  fi
  echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }'
}

: >"$tmp/passing"
: >"$tmp/failing"
i=1
while [ "$i" -le "$runs" ]; do
  p=$(timed pass "$@")
  f=$(timed fail --profile drop-first-datagram "$@")
  echo "run $i: passing $p s, failing $f s"
  echo "$p" >>"$tmp/passing"
  echo "$f" >>"$tmp/failing"
  i=$((i + 1))
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
least() { sort -n "$1" | head -1; }
mp=$(median "$tmp/passing")
mf=$(median "$tmp/failing")
echo "passing: median $mp s, least $(least "$tmp/passing") s over $runs runs"
echo "failing: median $mf s, least $(least "$tmp/failing") s over $runs runs"
echo "$mf $mp" | awk '{ printf "failing / passing (medians): %.2f\n", $1 / $2 }'
# The closing lines of the last runs, so a reader sees what each run found.
for r in pass fail; do
  echo "last $r run: $(grep -h 'selected checks ran' "$tmp/$r.log" || tail -1 "$tmp/$r.log")"
done
