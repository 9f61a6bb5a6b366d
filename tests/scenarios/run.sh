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
# On an emulated chip, a scenario whose keyboard (a builtin one, keyboards/NAME) is made for
# another chip cannot run there: it is left out and named, unless it only expects a config error
# (those are checked before any firmware runs).
target=""; prev=""
for a in "$@"; do [ "$prev" = "--target" ] && target=$a; prev=$a; done
files=("$here"); other=()
if [ -n "$target" ] && [ "$target" != host ]; then
  files=()
  root=$(cd "$here/../.." && pwd)
  while IFS= read -r f; do
    kb=$(sed -n 's/^keyboard builtin:\([A-Za-z0-9_]*\).*/\1/p' "$f" | head -n 1)
    if [ -n "$kb" ] && ! grep -q '^expect-error' "$f" &&
       ! grep -qi "\"processor\": *\"$target\"" "$root/keyboards/$kb/keyboard.json"; then
      other+=("${f#"$here"/}")
    else
      files+=("$f")
    fi
  done < <(find "$here" -name '*.scn' | LC_ALL=C sort)
fi
"$kestrel" test --quiet "$@" "${files[@]}" >"$out" 2>&1
rc=$?
[ ${#other[@]} -gt 0 ] && echo "scenarios: not run on $target, their keyboard is for another chip: ${other[*]}"
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
