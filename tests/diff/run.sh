#!/bin/sh
# Differential check: the engine of revision REV (default main) and that of the working tree run the
# same random event sequences (tests/diff/engine_diff.c: VARIANTS settings variants, SEQUENCES
# sequences each), with 32-bit and with 16-bit time (the ATmega32U4's); every report and trace
# line must be the same. For changes that must not change behaviour (size work). Host only.
#   tests/diff/run.sh [REV] [VARIANTS] [SEQUENCES]
set -e
REV=${1:-main}
VARIANTS=${2:-64}
SEQUENCES=${3:-400}
TOP=$(git rev-parse --show-toplevel)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/base"
git -C "$TOP" archive "$REV" | tar -x -C "$T/base"
# the driver and its random sequences from the working tree, laid out as in it (it includes
# ../unit/random_events.h by its path from itself), whichever tree's engine it is built with
mkdir "$T/diff" "$T/unit"
cp "$TOP/tests/diff/engine_diff.c" "$T/diff/engine_diff.c"
cp "$TOP/tests/unit/random_events.h" "$T/unit/random_events.h"
# build TREE OUT [CFLAGS]: the driver with TREE's engine and config writer (its headers first)
build() {
    src=$(ls "$1"/core/*.c "$1"/config/*.c | grep -v '/load_fs\.c$')
    ${HOSTCC:-cc} -std=c11 -O1 -w -I"$1" $3 "$T/diff/engine_diff.c" $src -o "$2"
}
for bits in 32 16; do
    f=""
    [ $bits = 16 ] && f="-DENGINE_TIME_BITS=16 -DENGINE_LAYER_BITS=16"
    build "$T/base" "$T/old$bits" "$f"
    build "$TOP" "$T/new$bits" "$f"
    "$T/old$bits" "$VARIANTS" "$SEQUENCES" > "$T/old$bits.txt"
    "$T/new$bits" "$VARIANTS" "$SEQUENCES" > "$T/new$bits.txt"
    if ! cmp -s "$T/old$bits.txt" "$T/new$bits.txt"; then
        echo "engine diff ($bits-bit time): $REV and the working tree differ:"
        diff "$T/old$bits.txt" "$T/new$bits.txt" | head -20
        exit 1
    fi
    echo "engine diff ($bits-bit time): the same $(wc -l < "$T/new$bits.txt") lines as $REV"
done
