#!/usr/bin/env bash
# How close the emulated ATmega32U4 runs to the scenario suite's ±2 ms (SPEC §5): runs the suite
# on the chip, pairs each passing scenario's report times with its expected ones, and prints the
# latest report (emulated - expected) over all passing scenarios, the ten latest scenarios, the
# deepest stack over the suite and the failures.
#   usage: bench/avr-margin.sh KESTREL [SCENARIO_DIR]
#   env:   AVR_MARGIN_LIST=FILE (every passing scenario's lateness), AVR_MARGIN_KEEP=DIR (below)
set -uo pipefail
kestrel=${1:?usage: avr-margin.sh KESTREL [SCENARIO_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$root/tests/scenarios}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
KESTREL_AVR_TIMES="$tmp/times" "$kestrel" test --quiet --target atmega32u4 "$dir" >"$tmp/out" 2>&1
sed -n 's/^FAIL //p' "$tmp/out" | sort >"$tmp/fail"
# Expected times per scenario, in order ('-' for a line without a time); then pair by index.
awk -v failfile="$tmp/fail" '
  BEGIN { while ((getline l < failfile) > 0) failed[l] = 1 }
  FNR == 1 && FILENAME != ARGV[ARGC - 1] { }
  /^# sp / { sp = strtonum_hex($3); if (!minsp || sp < minsp) minsp = sp; next }
  /^# / { name = substr($0, 3); n[name] = 0; next }
  { t[name, n[name]++] = $1 }
  function strtonum_hex(h,   v, i, c) { v = 0; h = tolower(h); sub(/^0x/, "", h)
    for (i = 1; i <= length(h); i++) { c = index("0123456789abcdef", substr(h, i, 1)) - 1; v = v * 16 + c }
    return v }
  END {
    printf "%d\n", minsp > "'"$tmp/sp"'"
    worst = -1e9
    for (s in n) {
      if (s in failed) continue
      k = 0; inexp = 0; late = -1e9
      while ((getline l < s) > 0) {
        sub(/#.*/, "", l)
        if (l ~ /^[ \t]*expect[ \t]*$/) { inexp = 1; continue }
        if (l ~ /^[ \t]*end[ \t]*$/) { inexp = 0; continue }
        if (!inexp || l ~ /^[ \t]*$/) continue
        split(l, f, " ")
        if (f[1] ~ /^[0-9]+$/ && k < n[s]) { d = t[s, k] - f[1]; if (d > late) late = d }
        k++
      }
      close(s)
      if (late > -1e9) { printf "%.3f %s\n", late, s > "/dev/stderr"; if (late > worst) worst = late }
    }
    printf "%.3f\n", worst
  }' "$tmp/times" 2>"$tmp/late" >"$tmp/worst"
nfail=$(wc -l <"$tmp/fail")
late15=$(awk '$1 > 1.5' "$tmp/late" | wc -l)
echo "atmega32u4 scenario margin: $(tail -n 1 "$tmp/out"); latest report of a passing scenario $(cat "$tmp/worst") ms late (limit 2 ms); $late15 passing scenarios later than 1.5 ms"
sp=$(cat "$tmp/sp"); [ "$sp" -gt 0 ] && printf '  deepest stack over the suite: SP 0x%04x (%d bytes below the top of RAM, 0x0AFF)\n' "$sp" $((0x0AFF - sp))
# The suite runs each scenario on the image `kestrel test` picks for it; the free space is counted
# against the image with the most static RAM (.data + .bss from 0x0100), the least room of all.
fwdir=$(dirname "$kestrel")/fw/atmega32u4
worst_ram=0; worst_img=
for elf in "$fwdir"/kestrel-atmega32u4*.elf; do
  case $elf in *-8mhz.elf) continue ;; esac
  [ -f "$elf" ] || continue
  r=$(avr-size -A "$elf" | awk '/^\.data/ {d=$2} /^\.bss/ {b=$2} /^\.noinit/ {n=$2} END {print d + b + n}')
  [ "$r" -gt "$worst_ram" ] && { worst_ram=$r; worst_img=$(basename "$elf" .elf); }
done
[ "$sp" -gt 0 ] && [ "$worst_ram" -gt 0 ] &&
  printf '  free between it and the static RAM of %s (%d B, the most of the images): %d bytes\n' \
         "$worst_img" "$worst_ram" $((sp - 0x0100 - worst_ram))
echo "  latest ten:"; sort -rn "$tmp/late" | head -n 10 | sed "s|$dir/||; s/^/    /"
[ -n "${AVR_MARGIN_LIST:-}" ] && sort -rn "$tmp/late" | sed "s|$dir/||" >"$AVR_MARGIN_LIST"
# AVR_MARGIN_KEEP=DIR: the run's test output and every report line, scenario paths made relative
# (two checkouts' copies diff clean when the emulation does not depend on where it runs).
if [ -n "${AVR_MARGIN_KEEP:-}" ]; then
  mkdir -p "$AVR_MARGIN_KEEP"
  sed "s|$dir/||g" "$tmp/out" >"$AVR_MARGIN_KEEP/test.out"
  sed "s|$dir/||g" "$tmp/times" >"$AVR_MARGIN_KEEP/reports.txt"
fi
[ "$nfail" -gt 0 ] && { echo "  failing:"; sed "s|$dir/||; s/^/    /" "$tmp/fail"; }
exit 0
