#!/usr/bin/env bash
# Proves parallel = "future" on a real scheduler: starts a one-node Slurm
# cluster on this machine (munged, slurmctld and slurmd, started by hand, no
# systemd needed), runs tools/test-slurm.R, which fits under
# future.batchtools::batchtools_slurm and compares with the sequential
# results, then stops the cluster and removes its files, also on failure.
#
# Run as root on Debian (12 or later). Installs slurm-wlm, munge and
# r-cran-future.batchtools when they are missing. The package itself must
# be installed where Rscript finds it (`make install`, or set R_LIBS: the
# jobs inherit the environment). Every file of the cluster (configuration,
# munge key and socket, state, logs) lives in one temporary directory and
# the daemons listen on their own ports, so nothing in /etc is changed and
# a Slurm or munge already running on the machine is left alone.
#
# Last line: "slurm test: PASS" or "slurm test: FAIL (reason)"; the exit
# status is non-zero on failure.
#   BETANMF_SLURM_PORT  slurmctld port (default 6917; slurmd uses the next)
#   BETANMF_SLURM_KEEP  if set, keep the temporary directory (for debugging)
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)

fail() {
  echo "slurm test: FAIL ($*)"
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "must run as root: it installs packages and starts daemons"

# --- packages ----------------------------------------------------------
packages="slurm-wlm munge r-cran-future.batchtools"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing$missing"
  # Without systemd, a package's maintainer scripts must not try to start
  # the daemons (they have no configuration yet): policy-rc.d says no.
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq &&
    apt-get install -y -qq --no-install-recommends $missing > /dev/null
  status=$?
  [ -n "$own_policy" ] && rm -f "$policy"
  [ "$status" -eq 0 ] || fail "apt-get install$missing failed"
fi
for cmd in munged slurmctld slurmd sinfo sbatch scancel Rscript; do
  command -v "$cmd" > /dev/null || fail "$cmd not found after installing$packages"
done

# --- cluster files -----------------------------------------------------
# Stops the daemons whose pid files are in directory $1 (only processes
# that are still munged, slurmctld or slurmd), then waits for them.
stop_daemons() {
  pids=""
  for d in slurmd slurmctld munged; do
    pidfile="$1/$d.pid"
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = "$d" ] && pids="$pids $pid"
  done
  for pid in $pids; do kill "$pid" 2> /dev/null; done
  alive=""
  for _ in $(seq 50); do
    alive=""
    for pid in $pids; do kill -0 "$pid" 2> /dev/null && alive="$alive $pid"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for pid in $alive; do kill -9 "$pid" 2> /dev/null; done
}

# a cluster left running by an earlier run that was killed (no trap ran)
# would hold the ports
for old in /tmp/betanmf-slurm.*; do
  [ -d "$old" ] || continue
  stop_daemons "$old"
  [ -n "${BETANMF_SLURM_KEEP:-}" ] || rm -rf "$old"
done

dir=$(mktemp -d /tmp/betanmf-slurm.XXXXXX) || fail "mktemp failed"
chmod 755 "$dir"   # munged wants its socket directory reachable
mkdir -p "$dir/state" "$dir/spool" "$dir/work"
export SLURM_CONF="$dir/slurm.conf"

stop_cluster() {
  # jobs left over (after a failure) are cancelled before slurmd stops
  if scancel --partition=test > /dev/null 2>&1; then
    for _ in $(seq 20); do
      [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
      sleep 0.25
    done
  fi
  stop_daemons "$dir"
  if [ -n "${BETANMF_SLURM_KEEP:-}" ]; then
    echo "kept $dir"
  else
    rm -rf "$dir"
  fi
}
trap stop_cluster EXIT
trap 'echo "slurm test: FAIL (interrupted)"; exit 130' INT TERM

show_logs() {
  for f in "$dir"/*.log; do
    [ -f "$f" ] || continue
    echo "--- $(basename "$f") (last lines)"
    tail -n 15 "$f"
  done
}

# munge: a fresh key and a private socket
dd if=/dev/urandom of="$dir/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge.key"
munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" \
  --seed-file="$dir/munged.seed" ||
  { show_logs; fail "munged did not start"; }

# slurm: this host, 2 CPUs, nearly all its memory; no cgroups (they are
# not available in most containers): processes tracked through /proc.
host=$(hostname -s 2> /dev/null || cut -d. -f1 /proc/sys/kernel/hostname)
port=${BETANMF_SLURM_PORT:-6917}
mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
cat > "$SLURM_CONF" <<EOF
ClusterName=betanmftest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=30 State=UP
EOF

slurmctld -i || { show_logs; fail "slurmctld did not start"; }
slurmd -N "$host" || { show_logs; fail "slurmd did not start"; }

idle=""
for _ in $(seq 60); do
  state=$(sinfo -h -N -n "$host" -o '%T' 2> /dev/null)
  # "idle" alone: a trailing "*" would mean that slurmd does not respond
  [ "$state" = idle ] && { idle=1; break; }
  sleep 0.5
done
[ -n "$idle" ] || { sinfo -N 2>&1; show_logs; fail "node $host not idle after 30 s (state: ${state:-none})"; }
echo "Slurm node $host idle after $(( $(date +%s) - started )) s"

# --- the R test ----------------------------------------------------------
# The jobs run as root in $dir/work and inherit this environment (R_LIBS).
# batchtools lists the jobs with `squeue --user=$USER`: an unset USER (as in
# many containers) matches no job, and running jobs are taken for lost.
export USER=${USER:-$(id -un)}
(cd "$dir/work" && Rscript "$repo/tools/test-slurm.R" "$repo/inst/templates/slurm.tmpl")
status=$?
if [ "$status" -ne 0 ]; then
  show_logs
  for f in "$dir"/work/.future/*/*/logs/*.log; do
    [ -f "$f" ] && { echo "--- job log $f"; tail -n 20 "$f"; }
  done
  fail "tools/test-slurm.R failed (exit $status)"
fi
echo "slurm test: PASS ($(( $(date +%s) - started )) s)"
