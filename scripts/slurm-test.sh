#!/usr/bin/env bash
# A real single-node Slurm cluster on localhost: installs Debian's Slurm and
# munge if needed, starts munged, slurmctld and slurmd, submits jeugdstroom's
# job array (4 shards of the default scenario) and its dependent merge job,
# waits until every job and array task is COMPLETED, checks that the merged
# result equals an unsharded local run byte for byte, and stops the daemons
# it started (by PID). Needs root. Usage: scripts/slurm-test.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/release/jeugdstroom"
[ -x "$bin" ] || cargo build --release --quiet

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
fi

work=$(mktemp -d /tmp/jeugdstroom-slurm.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# munge: a key and the daemon.
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  sleep 1
  pids+=("$(cat /run/munge/munged.pid)")
fi
munge -n | unmunge >/dev/null

# Slurm configuration: written before any Slurm command runs (else it looks
# the configuration up in DNS); the node line comes from `slurmd -C`.
mkdir -p /etc/slurm "$work/state" "$work/spool"
host=$(hostname -s)
write_conf() {
  cat > /etc/slurm/slurm.conf <<CONF
# written by jeugdstroom scripts/slurm-test.sh
ClusterName=jeugdstroom
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
EnforcePartLimits=ALL
MailProg=/bin/true
MinJobAge=3600
ReturnToService=2
$1
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}
write_conf "NodeName=$host NodeAddr=127.0.0.1 CPUs=1 State=UNKNOWN"
node=$(slurmd -C | head -n 1)
write_conf "$node NodeAddr=127.0.0.1 State=UNKNOWN"

slurmctld
for _ in $(seq 50); do [ -s "$work/slurmctld.pid" ] && break; sleep 0.2; done
pids+=("$(cat "$work/slurmctld.pid")")
slurmd
for _ in $(seq 50); do [ -s "$work/slurmd.pid" ] && break; sleep 0.2; done
pids+=("$(cat "$work/slurmd.pid")")
for _ in $(seq 150); do
  state=$(scontrol -o show node "$host" 2>/dev/null | grep -o 'State=[A-Z+_]*' || true)
  case "$state" in State=IDLE*) break ;; esac
  sleep 0.2
done
echo "slurm node: $state"

# The tool's own scripts, submitted for real.
out="$work/results"
"$bin" slurm --scenario scenarios/amsterdam-duo.toml --shards 4 --replications 8 --seed 4 \
  --cpus-per-task 1 --mem 1G --time 00:20:00 --out "$out" >/dev/null
ids=$("$out/slurm/submit.sh")
echo "$ids"
array=$(echo "$ids" | sed -E 's/array job ([0-9]+).*/\1/')
merge=$(echo "$ids" | sed -E 's/.*merge job ([0-9]+).*/\1/')
deadline=$(( $(date +%s) + 900 ))
while :; do
  states=$( { scontrol -o show job "$array"; scontrol -o show job "$merge"; } 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr '\n' ' ' || true)
  if echo "$states" | grep -qE 'FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED'; then
    echo "a job did not complete: $states" >&2; cat "$out"/slurm/*.log >&2 || true; exit 1
  fi
  total=$(echo "$states" | { grep -oE '[0-9]+ JobState' || true; } | awk '{s+=$1} END {print s+0}')
  done_=$(echo "$states" | { grep -oE '[0-9]+ JobState=COMPLETED' || true; } | awk '{s+=$1} END {print s+0}')
  [ "$total" = 5 ] && [ "$done_" = 5 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out: $states" >&2; exit 1; }
  sleep 1
done
echo "all 4 array tasks and the merge job COMPLETED"

"$bin" run scenarios/amsterdam-duo.toml --replications 8 --seed 4 --quiet --out "$work/local" >/dev/null
for f in summary.csv feasibility.csv replications.csv providers.csv municipalities.csv; do
  cmp "$out/merged/$f" "$work/local/$f"
done
echo "merged Slurm result equals the unsharded local run byte for byte"
echo "slurm test wall time: $(( $(date +%s) - started )) s"
