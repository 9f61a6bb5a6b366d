#!/usr/bin/env bash
# `kestrel info` over the corpus gen_corpus writes: every sound image passes (exit 0) and every
# corruption is rejected (exit 1) with the expected words. Usage: tests/info/run.sh BUILD_DIR
set -uo pipefail
build=${1:-build}
kestrel=$build/san/kestrel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/san/tests/info/gen_corpus" "$work" || { echo "info: corpus generator failed"; exit 1; }
pass=0 fail=0
while IFS='|' read -r file want text; do
  "$kestrel" info "$work/$file" >"$work/out" 2>"$work/err"
  rc=$?
  where=$work/out
  [ "$want" = 1 ] && where=$work/err
  if [ "$rc" != "$want" ]; then
    echo "FAIL info $file: exit $rc, expected $want"; sed 's/^/    /' "$work/err" "$work/out" | head -40
    fail=$((fail + 1))
  elif ! grep -qF -- "$text" "$where"; then
    echo "FAIL info $file: output lacks: $text"; sed 's/^/    /' "$where" | head -40
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done <"$work/expect.txt"
# usage errors are status 2
"$kestrel" info >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL info without a file is not status 2"; fail=$((fail + 1)); }
"$kestrel" info "$work/does-not-exist" >/dev/null 2>&1; [ $? = 2 ] || { echo "FAIL info on a missing file is not status 2"; fail=$((fail + 1)); }
echo "info corpus: $pass passed, $fail failed"
[ "$fail" = 0 ]
