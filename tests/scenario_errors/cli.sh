#!/usr/bin/env bash
# Command-line behaviour of kestrel test and kestrel sim: exit statuses (0/1/2), the last line
# `N passed, N failed`, the diff on failure, and clear refusals of bad usage.
set -uo pipefail
k=${1:?usage: cli.sh KESTREL}
d=$(dirname "$0")/cli
kb=keyboards/test4x10/keyboard.json
km=keyboards/test4x10/keymap.json
fail=0 n=0
check() { # name, expected status, actual status, output, substring...
  local name=$1 want=$2 got=$3 out=$4; shift 4
  n=$((n + 1))
  if [ "$got" != "$want" ]; then
    echo "FAIL $name: exit $got, expected $want"; echo "$out" | sed 's/^/    /'; fail=$((fail + 1)); return
  fi
  for s in "$@"; do
    if ! grep -qF -- "$s" <<<"$out"; then
      echo "FAIL $name: output lacks '$s'"; echo "$out" | sed 's/^/    /'; fail=$((fail + 1)); return
    fi
  done
}
out=$("$k" test "$d/passes.scn" 2>&1); check "test pass" 0 $? "$out" "PASS $d/passes.scn"
[ "$(tail -n 1 <<<"$out")" = "1 passed, 0 failed" ] || { echo "FAIL test pass: last line '$(tail -n 1 <<<"$out")'"; fail=$((fail + 1)); }
out=$("$k" test "$d/passes.scn" "$d/fails.scn" 2>&1); check "test fail" 1 $? "$out" \
  "FAIL $d/fails.scn" "-0 kbd B" "+0 kbd A" "+++ actual (host)"
[ "$(tail -n 1 <<<"$out")" = "1 passed, 1 failed" ] || { echo "FAIL test fail: last line '$(tail -n 1 <<<"$out")'"; fail=$((fail + 1)); }
out=$("$k" test --trace "$d/fails.scn" 2>&1); check "test --trace" 1 $? "$out" "trace (host engine)"
out=$("$k" test 2>&1); check "test no files" 2 $? "$out" "no scenario files"
out=$("$k" test "$d/nonexistent.scn" 2>&1); check "test missing file" 2 $? "$out" "no such file"
out=$("$k" test --frob "$d/passes.scn" 2>&1); check "test bad option" 2 $? "$out" "unknown option '--frob'"
out=$("$k" test --target z80 "$d/passes.scn" 2>&1); check "test unknown target" 2 $? "$out" "unknown target 'z80'"
out=$("$k" test --target host "$d/passes.scn" 2>&1); check "test host target" 0 $? "$out" "PASS"
out=$("$k" test --help 2>&1); check "test --help" 0 $? "$out" "usage: kestrel test"
out=$("$k" sim --help 2>&1); check "sim --help" 0 $? "$out" "usage: kestrel sim"
out=$("$k" sim --keyboard "$kb" 2>&1 </dev/null); check "sim no keymap" 2 $? "$out" "--keyboard and --keymap are required"
out=$(printf 'tap 0,0\n' | "$k" sim --keyboard "$kb" --keymap "$km" 2>/dev/null); check "sim stdin" 0 $? "$out" "0 kbd Q" "1 kbd -"
out=$(printf 'tap 0,0\n' | "$k" sim --keyboard "$kb" --keymap "$km" - 2>/dev/null); check "sim stdin dash" 0 $? "$out" "0 kbd Q"
out=$("$k" sim --keyboard "$kb" --keymap "$km" "$d/events_bad.txt" 2>&1); check "sim bad script" 2 $? "$out" \
  "$d/events_bad.txt:3:1: error: 'layer' is not allowed in an event script"
out=$(printf 'press 9,0\n' | "$k" sim --keyboard "$kb" --keymap "$km" 2>&1); check "sim outside matrix" 2 $? "$out" \
  "<stdin>" "outside the keyboard's 4x10 matrix"
out=$(printf 'config tapping.term 100\npress 1,3\nwait 150\nrelease 1,3\n' | "$k" sim --keyboard "$kb" --keymap "$km" 2>/dev/null)
check "sim config line" 0 $? "$out" "100 kbd LSFT" "150 kbd -"
out=$(printf 'config tapping.trem 100\n' | "$k" sim --keyboard "$kb" --keymap "$km" 2>&1); check "sim bad config" 2 $? "$out" "unknown field 'tapping.trem'"
out=$(printf 'press 1,3\nwait 300\nrelease 1,3\n' | "$k" sim --keyboard "$kb" --keymap "$km" --trace 2>/dev/null)
check "sim --trace" 0 $? "$out" "0 trace tap-hold pressed key=1,3 (LSFT_T(KC_F))" "200 trace hold key=1,3 (LSFT_T(KC_F)) (term expired)" "200 kbd LSFT"
out=$(printf 'tap 0,5\ntap 1,1\n' | "$k" sim --keyboard "$kb" --keymap "$km" --text 2>/dev/null); check "sim --text" 0 $? "$out" "text: ys"
echo "cli: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
