#!/usr/bin/env bash
# The ATmega32U4 firmware's speed in simavr, in CPU cycles at 16 MHz: one 4x10 matrix scan with no
# key down (hal_probe 0 -> 1), one key event in the engine (probe 3 -> 4), and press-to-report
# latency (the press -> the report handed to the USB controller, SPEC §8; the harness closes the
# key at the firmware's next scan, as a real press lands at some point between two scans). The
# presses are spread over the firmware's 1 ms clock and its scan loop: press k lands at
# 20 + 20k + f(k) ms with f(k) = (k * 0.379) mod 1, so mean and max cover every phase rather than one.
#   usage: bench/avr-latency.sh KESTREL HARNESS
set -euo pipefail
kestrel=${1:?}; harness=${2:?}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap "rm -rf $tmp" EXIT
keys='"KC_A","KC_B","KC_C"'; for i in $(seq 4 40); do keys="$keys,\"KC_NO\""; done
printf '{"keyboard":"b","keymap":"b","layout":"LAYOUT","layers":[[%s]]}\n' "$keys" >"$tmp/km.json"
sed 's/"debounce": *[0-9]*/"debounce": 0/' "$root/keyboards/test4x10_avr/keyboard.json" >"$tmp/kb.json"
"$kestrel" build --keyboard "$tmp/kb.json" --keymap "$tmp/km.json" -o "$tmp/b.hex" >/dev/null
npress=40
phase() { awk -v k="$1" 'BEGIN { f = k * 0.379; printf "%.3f", f - int(f) }'; }
ev="wait 20"; prev=0
for k in $(seq 0 $((npress - 1))); do
  f=$(phase "$k")
  # from the previous release (at 20k + prev + 7) to this press (at 20 + 20k + f)
  [ "$k" -eq 0 ] && gap=$f || gap=$(awk -v a="$f" -v b="$prev" 'BEGIN { printf "%.3f", 13 + a - b }')
  ev="$ev\nwait $gap\npress 0 $((k % 3))\nwait 7\nrelease 0 $((k % 3))"; prev=$f
done
ev="$ev\nwait 20"
printf "$ev\n" | "$harness" -v --probes "$tmp/b.hex" >"$tmp/out" 2>"$tmp/err"
awk -v evfile="$tmp/out" '
  /t0 at cycle/ { for (i = 1; i <= NF; i++) if ($i == "cycle") t0 = $(i + 1) }
  $1 == "probe" { p = $2; c = $3
    if (p == 0) s0 = c
    if (p == 1 && s0) { d = c - s0; if (!seen3) { sn++; ssum += d; if (d > smax) smax = d } s0 = 0; seen3 = 0 }
    if (p == 3) { e0 = c; seen3 = 1 }
    if (p == 4 && e0) { d = c - e0; en++; esum += d; if (d > emax) emax = d; e0 = 0 } }
  END {
    # press times: 20 ms + 20 ms * k + f(k); reports: the lines of evfile with a key down
    n = 0
    while ((getline line < evfile) > 0) {
      split(line, f, " "); if (f[2] != "81" || f[3] == "0000000000000000") continue
      ph = n * 0.379; ph -= int(ph); lat = f[1] - (20 + 20 * n + ph); n++; lsum += lat; if (lat > lmax) lmax = lat; if (n == 1 || lat < lmin) lmin = lat
    }
    printf "atmega32u4 (simavr, 16 MHz): idle 4x10 scan %d cycles (%.0f us); engine key event mean %d, max %d cycles; press-to-report mean %.2f ms, min %.2f, max %.2f ms (%d presses at spread phases)\n",
           ssum / (sn ? sn : 1), ssum / (sn ? sn : 1) / 16, esum / (en ? en : 1), emax, lsum / (n ? n : 1), lmin, lmax, n
  }' "$tmp/err"
