#!/usr/bin/env bash
# Runs every scenario with the given kestrel binary. Scenarios listed in KNOWN_FAILURES (an open
# engine bug each, with its reason) may fail without failing the suite; any other failure, any
# scenario that does not parse or load, does. The full `kestrel test` output is shown on failure.
set -uo pipefail
kestrel=${1:?usage: run.sh KESTREL [TEST-OPTIONS...]}
shift
# Extra `kestrel test` options, e.g. --target rp2040 (the same suite on an emulated chip).
here=$(dirname "$0")
known="$here/KNOWN_FAILURES"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$kestrel" test --quiet "$@" "$here" >"$out" 2>&1
rc=$?
summary=$(tail -n 1 "$out")
if [ $rc -eq 2 ]; then
  cat "$out"
  echo "scenarios: bad input (exit 2)"
  exit 1
fi
mapfile -t failed < <(sed -n 's/^FAIL //p' "$out")
mapfile -t allowed < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$known" 2>/dev/null)
unexpected=()
for f in "${failed[@]}"; do
  rel=${f#"$here"/}
  ok=0
  for a in "${allowed[@]}"; do [ "$a" = "$rel" ] && ok=1; done
  [ $ok -eq 1 ] || unexpected+=("$rel")
done
for a in "${allowed[@]}"; do
  seen=0
  for f in "${failed[@]}"; do [ "${f#"$here"/}" = "$a" ] && seen=1; done
  [ $seen -eq 1 ] || echo "scenarios: note: $a now passes; remove it from $known"
done
if [ ${#unexpected[@]} -gt 0 ]; then
  cat "$out"
  echo "scenarios: unexpected failures: ${unexpected[*]}"
  exit 1
fi
echo "scenarios: $summary (${#failed[@]} known engine bugs, see $known)"
