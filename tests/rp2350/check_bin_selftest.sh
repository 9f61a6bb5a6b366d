#!/bin/sh
# Proves check_bin.sh can fail: each corruption of a copy of the image must be rejected.
# Usage: check_bin_selftest.sh IMAGE.bin IMAGE.elf TMPDIR
set -eu
bin=$1 elf=$2 tmp=$3
here=$(dirname "$0")
mkdir -p "$tmp"
def=$(arm-none-eabi-nm "$elf" | awk '$3 == "rp2350_image_def" { print $1 }')
defoff=$(( 0x$def - 0x10000000 ))
n=0
corrupt() { # name, byte offset, replacement bytes (printf escapes)
  cp "$bin" "$tmp/bad.bin"
  printf "$3" | dd of="$tmp/bad.bin" bs=1 seek="$2" conv=notrunc status=none
  if "$here/check_bin.sh" "$tmp/bad.bin" "$elf" 2>/dev/null; then
    echo "check_bin_selftest: corruption '$1' was NOT detected" >&2; exit 1
  fi
  n=$((n + 1))
}
corrupt "SP outside SRAM"        0 '\000\000\000\060'
lo=$(od -An -tu1 -j4 -N1 "$bin" | tr -d ' ')
corrupt "reset without Thumb bit" 4 "\\$(printf %03o $((lo & 0xFE)))"
corrupt "Non-secure image type"   $((defoff + 6)) '\021'
corrupt "RP2040 chip in type"     $((defoff + 7)) '\000'
corrupt "broken loop link"        $((defoff + 12)) '\020'
corrupt "no block marker"         $defoff '\000'
echo "check_bin_selftest: $n corruptions detected"
