#!/usr/bin/env bash
# The Slurm path of docs/scale-out.md, run for real: Debian's slurm-wlm and munge (installed if missing), a one-node
# cluster started on this machine (munged, slurmctld and slurmd as plain background processes, on their own socket,
# ports and state folder), then predict-array.sh and merge.sh exactly as the document prints them (they are cut out
# of it, so the two cannot drift apart) over 3 array tasks. One task's rnn process is killed with SIGKILL mid-run; the
# script requeues the task through Slurm and it resumes from its last committed chunk; the merge job, held by
# afterok on the array, must then write byte for byte the output and errors file of a single unsharded run.
# Prints one line: "PASS slurm: ...", "FAIL slurm: why" or "SKIP slurm: why" (where a cluster cannot be started:
# not root, no apt-get to install Slurm); exits non-zero only on FAIL. Every daemon and job it started is stopped on
# the way out, whatever happened.
# Usage: tests/Slurm/run.sh <rnn.dll> <Rnn.Bench.dll>
set -uo pipefail
rnn_dll=$(realpath "$1") bench_dll=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
doc="$root/docs/scale-out.md"
started=$SECONDS

say() { printf '%s\n' "$*" >&2; }
skip() { echo "SKIP slurm: $1"; exit 0; }

[ "$(uname -s)" = Linux ] || skip "needs Linux"
# slurmd has to start job processes as the submitting user, which only root can do.
[ "$(id -u)" -eq 0 ] || skip "needs root to run slurmd"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || skip "Slurm (slurmctld, slurmd, sbatch) and munged are not installed and there is no apt-get to install them"
  say "==> installing slurm-wlm and munge"
  apt_log=$(mktemp)
  if ! { timeout 90 env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         timeout 150 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >"$apt_log" 2>&1; then
    skip "apt-get install slurm-wlm munge failed: $(tail -n 1 "$apt_log"; rm -f "$apt_log")"
  fi
  rm -f "$apt_log"
fi

# Everything after the installation: about 45 s on 2 cores.
deadline=$((SECONDS + 300))
work=$(mktemp -d /tmp/rnnnative-slurm.XXXXXX)
data="$work/shared" conf="$work/slurm.conf" m="$work/munge"
ctld_pid='' slurmd_pid='' array='' merge='' result=''
# Slurm's clients and daemons find this cluster through SLURM_CONF; it is set per command, never exported, so that
# the sweep below can tell this cluster's processes (which inherit it) from the script's own.
sl() { SLURM_CONF="$conf" "$@"; }

stop_pid() { # <pid>: TERM, up to 10 s, then KILL
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}

teardown() {
  trap - EXIT INT TERM
  if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
    [ -n "$array$merge" ] && timeout 10 env SLURM_CONF="$conf" scancel $array $merge 2>/dev/null
    local i
    for i in $(seq 50); do
      [ -z "$(timeout 5 env SLURM_CONF="$conf" squeue -h -t R,CG -o %A 2>/dev/null)" ] && break; sleep 0.2
    done
  fi
  stop_pid "$slurmd_pid"; stop_pid "$ctld_pid"
  [ -f "$m/munged.pid" ] && stop_pid "$(cat "$m/munged.pid")"
  # Anything still alive that this cluster started (a job's processes, a slurmstepd) carries its SLURM_CONF.
  local p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf" && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  rm -rf "$work"
}
trap teardown EXIT
trap 'result="FAIL slurm: interrupted after $((SECONDS - started)) s"; echo "$result"; exit 1' INT TERM

fail() {
  echo "FAIL slurm: $1"
  local f
  for f in "$work"/slurmctld.log "$work"/slurmctld.out "$work"/slurmd.log "$work"/slurmd.out; do [ -s "$f" ] && { say "--- ${f##*/} (end)"; tail -n 15 "$f" >&2; }; done
  for f in "$work"/submit/logs/*.log; do [ -f "$f" ] && { say "--- ${f##*/} (end)"; tail -n 8 "$f" >&2; }; done
  exit 1
}

# Waits up to <seconds>, and never past the test's deadline, for <command...> to succeed.
wait_for() { # <seconds> <command...>
  local until=$((SECONDS + $1)); shift
  [ $until -le $deadline ] || until=$deadline
  until "$@"; do [ $SECONDS -lt $until ] || return 1; sleep 0.2; done
}

free_port() { # a TCP port nothing on this machine listens on or talks through
  local port
  for port in $(shuf -i 20000-29999 -n 50); do
    grep -qi ":$(printf '%04X' "$port") " /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$port"; return; }
  done
  return 1
}

# --- the scripts, cut out of the document: the ```sh block whose first comment line names them
extract() { # <name>
  awk -v name="$1" '
    /^```/ { if (inside) { if (found) exit; inside = 0; body = "" } else if ($0 == "```sh") inside = 1; next }
    inside { body = body $0 "\n"; if (index($0, "# " name " ") == 1) found = 1 }
    END { if (found) printf "%s", body }' "$doc"
}
mkdir -p "$work/submit/logs" "$work/bin" "$data/input" "$data/output" "$m"
cd "$work/submit"
extract predict-array.sh >predict-array.sh
extract merge.sh >merge.sh
[ -s predict-array.sh ] && [ -s merge.sh ] || fail "no predict-array.sh or merge.sh block in docs/scale-out.md"

# --- the rnn the build produced, under the name the scripts call; a model and records
printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$rnn_dll" >"$work/bin/rnn"
chmod +x "$work/bin/rnn"
export PATH="$work/bin:$PATH"
dotnet "$bench_dll" --write-predict-workload "$work/workload" --records 1 >"$work/workload.log" 2>&1 || fail "Rnn.Bench --write-predict-workload: $(tail -n 1 "$work/workload.log")"
mv "$work/workload/model.safetensors" "$data/model.safetensors"
# 9,000 short records (3,000 a shard, 10 chunks of --window 300 each: long enough to be killed mid-run), and a
# second file with a malformed record and a token outside the vocabulary, so that errors are merged too.
awk -v n=9000 'BEGIN { srand(11); for (i = 0; i < n; i++) { len = 1 + int(rand() * 24); s = "";
  for (t = 0; t < len; t++) s = s (t ? "," : "") (1 + int(rand() * 9999)); printf "{\"id\":%d,\"tokens\":[%s]}\n", i, s } }' >"$data/input/a.jsonl"
printf '%s\n' '{"id":"bad-json","tokens":[1,2,' '{"id":"bad-token","tokens":[10000]}' '{"id":"ok","tokens":[5,6,7]}' >"$data/input/b.jsonl"

# --- the cluster: munged, slurmctld and slurmd on this machine
chmod 755 "$m"
mungekey --create --keyfile="$m/munge.key" >/dev/null 2>&1 || create-munge-key -f >/dev/null 2>&1 || fail "cannot create a munge key"
# --force: munged refuses to run as root without it.
munged --force --socket="$m/munge.socket" --key-file="$m/munge.key" --pid-file="$m/munged.pid" \
  --log-file="$m/munged.log" --seed-file="$m/munged.seed" || fail "munged did not start: $(tail -n 2 "$m/munged.log")"
wait_for 10 sh -c "munge -S '$m/munge.socket' -n | unmunge -S '$m/munge.socket' >/dev/null 2>&1" || fail "munge does not answer on its socket"

node=$(hostname -s)
# The node as slurmd sees it (CPUs, sockets, cores, memory); a node configured above that would be drained.
node_line=$(slurmd -C 2>/dev/null | head -n 1)
case "$node_line" in "NodeName=$node "*) ;; *) node_line="NodeName=$node CPUs=$(nproc) RealMemory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024))" ;; esac
ctld_port=$(free_port) && slurmd_port=$(free_port) && [ "$ctld_port" != "$slurmd_port" ] || fail "no free TCP ports"
cat >"$conf" <<EOF
ClusterName=rnnpredict
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$m/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
# No cgroups: processes are tracked through /proc, tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MinJobAge=600
KillWait=5
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
mkdir -p "$work/state" "$work/spool"
SLURM_CONF="$conf" slurmctld -D -f "$conf" >"$work/slurmctld.out" 2>&1 &
ctld_pid=$!
wait_for 30 sh -c "SLURM_CONF='$conf' scontrol ping 2>/dev/null | grep -q 'is UP'" || fail "slurmctld did not come up: $(tail -n 2 "$work/slurmctld.out" "$work/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
SLURM_CONF="$conf" slurmd -D -f "$conf" >"$work/slurmd.out" 2>&1 &
slurmd_pid=$!
node_idle() { [ "$(sl sinfo -h -n "$node" -o %t 2>/dev/null)" = idle ]; }
wait_for 30 node_idle || fail "node $node is not idle: $(sl sinfo -h -n "$node" -o '%t %E' 2>&1) $(tail -n 2 "$work/slurmd.out" 2>/dev/null | tr '\n' ' ')"
say "==> one-node Slurm cluster up ($(slurmd -V)) in $((SECONDS - started)) s"

# --- submit as the document says (its one-go line), for 3 shards under this test's data folder
shards=3
array=$(sl sbatch --parsable --array=0-$((shards - 1)) --export=ALL,SHARDS=$shards,DATA="$data" predict-array.sh --window 300 2>&1) \
  && [[ "$array" =~ ^[0-9]+$ ]] || fail "sbatch predict-array.sh: $array"
merge=$(sl sbatch --parsable --dependency=afterok:"$array" --export=ALL,DATA="$data" merge.sh 2>&1) \
  && [[ "$merge" =~ ^[0-9]+$ ]] || fail "sbatch merge.sh: $merge"

chunks() { # <manifest>: committed chunks so far: those the manifest lists and those its run's journal holds since
  local n=0 m=0 journal="${1%.manifest.json}.parts/journal.jsonl"
  [ -f "$1" ] && n=$(grep -c '"records":' "$1" 2>/dev/null)
  [ -f "$journal" ] && m=$(grep -c '"records":' "$journal" 2>/dev/null)
  echo $((${n:-0} + ${m:-0}))
}
field() { sl scontrol show job "$1" 2>/dev/null | grep -o "$2=[^ ]*" | head -n 1 | cut -d= -f2; }

# --- kill one task's rnn process once it has committed 2 of its 10 chunks
victim='' victim_task='' victim_pid='' at_kill=0
until [ -n "$victim" ]; do
  [ $SECONDS -lt $deadline ] || fail "no task could be killed mid-run: $(sl squeue -h -j "$array" -o '%i %T' | tr '\n' ' ')"
  while read -r job task; do
    out="$data/output/scores-$task.jsonl"
    [ "$(chunks "$out.manifest.json")" -ge 2 ] && [ ! -e "$out" ] || continue
    for pid in $(sl scontrol listpids "$job" 2>/dev/null | awk 'NR > 1 { print $1 }'); do
      tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$rnn_dll predict" || continue
      kill -KILL "$pid" && victim=$job victim_task=$task victim_pid=$pid && break
    done
    [ -n "$victim" ] && break
  done < <(sl squeue -h -j "$array" -t R -o '%A %K' 2>/dev/null)
  sleep 0.05
done
wait_for 20 sh -c "[ ! -e /proc/$victim_pid ]" || fail "the killed rnn process (pid $victim_pid) is still there"
at_kill=$(chunks "$data/output/scores-$victim_task.jsonl.manifest.json")
say "==> killed task $victim_task (job $victim, rnn pid $victim_pid) after $at_kill committed chunk(s)"

# The script requeues the killed task; Slurm holds a requeued job for two minutes before it may start again, which
# this test does not wait out.
requeued() { [ "$(field "$victim" JobState)" = PENDING ] && [ "$(field "$victim" Restarts)" -ge 1 ]; }
wait_for 60 requeued || fail "task $victim_task was not requeued: state $(field "$victim" JobState), restarts $(field "$victim" Restarts), exit $(field "$victim" ExitCode)"
sl scontrol update JobId="$victim" StartTime=now || fail "scontrol update StartTime=now for the requeued task"

merge_done() { case "$(field "$merge" JobState)" in COMPLETED | FAILED | CANCELLED | TIMEOUT | OUT_OF_MEMORY | NODE_FAIL) return 0 ;; esac; return 1; }
wait_for 150 merge_done || fail "the merge job did not finish: $(field "$merge" JobState) ($(field "$merge" Reason)); tasks: $(sl squeue -h -j "$array" -o '%i %T %r' | tr '\n' ' ')"
[ "$(field "$merge" JobState)" = COMPLETED ] || fail "the merge job ended $(field "$merge" JobState), exit $(field "$merge" ExitCode)"
for task in $(seq 0 $((shards - 1))); do
  [ "$(field "${array}_$task" JobState)" = COMPLETED ] || fail "task $task ended $(field "${array}_$task" JobState)"
done
log="$work/submit/logs/predict-${array}_$victim_task.log"
grep -q "resuming $data/output/scores-$victim_task.jsonl after $at_kill committed chunk(s)" "$log" \
  || fail "task $victim_task's second run did not resume after $at_kill chunks: $(grep -m1 resuming "$log")"

# --- a single unsharded run of the same command, outside Slurm
single="$work/single"
mkdir -p "$single"
rnn predict --model "$data/model.safetensors" --kind classifier --input "$data/input/*.jsonl" --output "$single/scores.jsonl" \
  --workers 2 --threads 1 --window 300 --quiet || fail "the single run failed"
cmp "$data/output/scores.jsonl" "$single/scores.jsonl" >&2 || fail "the merged output differs from the single run's"
cmp "$data/output/scores.jsonl.errors.jsonl" "$single/scores.jsonl.errors.jsonl" >&2 || fail "the merged errors file differs from the single run's"
records=$(wc -l <"$single/scores.jsonl") errors=$(wc -l <"$single/scores.jsonl.errors.jsonl")
[ "$records" -eq 9001 ] && [ "$errors" -eq 2 ] || fail "expected 9001 outputs and 2 errors, got $records and $errors"

echo "PASS slurm: docs/scale-out.md's array ($shards tasks) and merge job on a one-node $(slurmd -V | tr -d '\n'); task $victim_task killed (SIGKILL) after $at_kill chunks, requeued, resumed; merged output and errors equal a single run's byte for byte ($records outputs, $errors errors) in $((SECONDS - started)) s"
