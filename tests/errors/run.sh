#!/bin/sh
# The error corpus: every folder here is one broken keyboard/keymap. `kestrel check` must reject
# it (exit status 2) and print every line of the folder's `expect` file (substrings, usually
# "file:line:col: error: message"). A folder without keyboard.json uses builtin:test4x10.
# Usage: tests/errors/run.sh path/to/kestrel
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")" || exit 2
pass=0
fail=0
for c in */; do
    c=${c%/}
    [ -f "$c/expect" ] || continue
    kb=builtin:test4x10
    [ -f "$c/keyboard.json" ] && kb=keyboard.json
    km=
    [ -f "$c/keymap.json" ] && km=keymap.json
    out=$(cd "$c" && "$bin" check --keyboard "$kb" $km 2>&1)
    rc=$?
    ok=1
    if [ "$rc" -ne 2 ]; then
        echo "FAIL $c: exit status $rc, expected 2"
        ok=0
    fi
    while IFS= read -r line || [ -n "$line" ]; do
        [ -z "$line" ] && continue
        case "$out" in
        *"$line"*) ;;
        *) echo "FAIL $c: missing: $line"; ok=0 ;;
        esac
    done < "$c/expect"
    if [ "$ok" = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "$out" | sed 's/^/    | /'
    fi
done
echo "error corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -ge 40 ]
