#!/usr/bin/env bash
# Engine cost per key event: the benchmark workload (bench/engine_bench.c) under callgrind, minus
# the same program's run that skips the engine calls. Prints one line, then a second for the same
# workload with eight combos defined (BENCH_COMBOS=1).
set -euo pipefail
bin="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run() { # $1 = out file; prints total instructions
  valgrind --tool=callgrind --callgrind-out-file="$1" "$bin" >"$1.stdout" 2>"$1.log" || {
    cat "$1.log" "$1.stdout" >&2; exit 1; }
  awk '/^(summary|totals):/ {print $2; exit}' "$1"
}
full=$(run "$tmp/full")
base=$(BENCH_BASELINE=1 run "$tmp/base")
line=$(cat "$tmp/full.stdout")
events=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' <<<"$line")
ticks=$(sed -n 's/.*ticks=\([0-9]*\).*/\1/p' <<<"$line")
words=$(sed -n 's/.*words=\([0-9]*\).*/\1/p' <<<"$line")
ms=$(sed -n 's/.*ms=\([0-9]*\).*/\1/p' <<<"$line")
awk -v f="$full" -v b="$base" -v e="$events" -v t="$ticks" -v w="$words" -v ms="$ms" 'BEGIN {
  printf "engine: %d instructions/event (%d key events + %d timer ticks, workload: %d words of generated English at %.0f wpm, 4 layers, home-row mod-taps with permissive + chordal hold + flow tap; callgrind, x86-64 -O2)\n",
         (f - b) / e, e, t, w, w / (ms / 60000.0)
}'
combos=$(BENCH_COMBOS=1 run "$tmp/combos")
cticks=$(sed -n 's/.*ticks=\([0-9]*\).*/\1/p' "$tmp/combos.stdout")
awk -v f="$combos" -v b="$base" -v e="$events" -v t="$cticks" 'BEGIN {
  printf "engine with 8 combos: %d instructions/event (same workload and keys, %d timer ticks; every press of a combo key is held back until the combo completes or cannot)\n",
         (f - b) / e, t
}'
