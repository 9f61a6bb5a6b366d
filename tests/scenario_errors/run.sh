#!/usr/bin/env bash
# Scenario files that must be rejected: `kestrel test FILE` exits 2 and prints
# FILE:LINE:COL: error: ... with the substring from the file's first line
# (`# expect: LINE:COL: substring`; `# expect: LINE:` checks the line only).
set -uo pipefail
kestrel=${1:?usage: run.sh KESTREL}
here=$(dirname "$0")
fail=0 n=0
for f in "$here"/*.scn; do
  n=$((n + 1))
  spec=$(sed -n '1s/^# expect: //p' "$f")
  if [ -z "$spec" ]; then echo "FAIL $f: no '# expect:' line"; fail=$((fail + 1)); continue; fi
  err=$("$kestrel" test "$f" 2>&1 >/dev/null)
  rc=$?
  if [ $rc -ne 2 ]; then
    echo "FAIL $f: exit $rc, expected 2"; echo "$err" | sed 's/^/    /'; fail=$((fail + 1)); continue
  fi
  loc=${spec%%: *}
  msg=${spec#*: }
  [ "$loc" = "$spec" ] && { loc=${spec%:}; msg=""; }
  if ! grep -qF -- "$f:$loc" <<<"$err" || ! grep -qF -- "$msg" <<<"$err"; then
    echo "FAIL $f: expected '$f:$loc' and '$msg' in:"; echo "$err" | sed 's/^/    /'
    fail=$((fail + 1))
  fi
done
echo "scenario errors: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
