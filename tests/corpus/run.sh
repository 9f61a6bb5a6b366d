#!/bin/sh
# Checks the real QMK keyboards and keymaps of tests/corpus/qmk against qmk-expect.txt: those
# marked ok must pass `kestrel check`, the others must fail with the message given.
# Usage: tests/corpus/run.sh path/to/kestrel
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/qmk" || exit 2
pass=0
fail=0
while read -r kb km want; do
    case "$kb" in '' | '#'*) continue ;; esac
    if [ "$km" = "-" ]; then
        out=$("$bin" check --keyboard "$kb" 2>&1)
    else
        out=$("$bin" check --keyboard "$kb" "$km" 2>&1)
    fi
    rc=$?
    ok=1
    case "$want" in
    ok) [ "$rc" -eq 0 ] || ok=0 ;;
    error:*)
        text=${want#error:}
        [ "$rc" -eq 2 ] || ok=0
        case "$out" in *"$text"*) ;; *) ok=0 ;; esac
        ;;
    *) echo "bad expectation line: $kb $km $want"; ok=0 ;;
    esac
    if [ "$ok" = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $kb $km (exit $rc, want $want)"
        echo "$out" | sed 's/^/    | /'
    fi
done < ../qmk-expect.txt
echo "QMK corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
