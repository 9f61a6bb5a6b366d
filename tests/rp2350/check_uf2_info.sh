#!/bin/sh
# The example Pico 2 keyboard's UF2 (made by `kestrel build`, as a user does) passes every check
# `kestrel info` makes of an RP2350 image, and corrupted copies fail them.
# Usage: check_uf2_info.sh KESTREL UF2 ELF TMPDIR
set -eu
kestrel=$1 uf2=$2 elf=$3 tmp=$4
mkdir -p "$tmp"
fail() { echo "check_uf2_info: $*" >&2; exit 1; }

out=$("$kestrel" info "$uf2") || fail "$uf2: kestrel info exited $?:
$out"
for want in \
  'block 0 is the RP2350-E10 workaround (RP2XXX_ABSOLUTE at 0x10FFFF00' \
  'family:      0xE48BFF59 RP2350_ARM_S' \
  'target:      rp2350' \
  'ok    every block family-tagged, numbered, 256-byte aligned, in range' \
  'ok    block loop from 0x10000110 closes' \
  'ok    IMAGE_DEF at 0x10000110: Secure Arm RP2350 executable (flags 0x1021)' \
  'initial SP 0x20082000 in SRAM' \
  '(Thumb) inside the image' \
  'OK' ; do
  printf '%s\n' "$out" | grep -qF -- "$want" || fail "$uf2: kestrel info lacks '$want':
$out"
done
printf '%s\n' "$out" | grep -q 'CRC 0x[0-9A-F]* OK' || fail "$uf2: config CRC not reported OK"
printf '%s\n' "$out" | grep -q '^result: *OK' || fail "$uf2: result is not OK"

# The RP2350-E10 block read directly (not through kestrel's UF2 code): flags family + extension
# tags, target 0x10FFFF00, 256 bytes, block 0 of 2, family RP2XXX_ABSOLUTE, data 0xEF, then the
# "ignore block" tag 0x9957E304 right after the 256 data bytes.
w() { od -An -tx4 -j "$1" -N4 "$uf2" | tr -d ' '; }
[ "$(w 8)$(w 12)$(w 16)$(w 20)$(w 24)$(w 28)" = 0000a000""10ffff00""00000100""00000000""00000002""e48bff57 ] ||
  fail "$uf2: block 0 is not the E10 block (header $(w 8) $(w 12) $(w 16) $(w 20) $(w 24) $(w 28))"
[ "$(od -An -tx1 -v -j 32 -N 256 "$uf2" | tr -d ' \n' | tr -d 'ef')" = "" ] || fail "$uf2: E10 data is not all 0xEF"
[ "$(w $((32 + 256)))" = 9957e304 ] || fail "$uf2: E10 block lacks the ignore tag"
[ "$(w 512)" = 0a324655 ] && [ "$(w $((512 + 28)))" = e48bff59 ] || fail "$uf2: block 1 is not RP2350_ARM_S"

# A UF2 block holds 256 bytes of flash; block 0 is the E10 block, so flash address A is in block
# 1 + (A - 0x10000000) / 256, at byte 32 + A % 256 of it.
at() { echo $(( (1 + ($1 - 0x10000000) / 256) * 512 + 32 + $1 % 256 )); }
def=0x$(arm-none-eabi-nm "$elf" | awk '$3 == "rp2350_image_def" { print $1 }')
n=0
corrupt() { # name, file offset, bytes (printf escapes), text kestrel info must print
  cp "$uf2" "$tmp/bad.uf2"
  printf "$3" | dd of="$tmp/bad.uf2" bs=1 seek="$2" conv=notrunc status=none
  if bad=$("$kestrel" info "$tmp/bad.uf2" 2>&1); then fail "corruption '$1' passed kestrel info"; fi
  printf '%s\n' "$bad" | grep -qF -- "$4" || fail "corruption '$1': kestrel info did not say '$4':
$bad"
  n=$((n + 1))
}
corrupt "IMAGE_DEF for the RP2040"  $(at $((def + 7))) '\000' 'ERROR'
corrupt "Non-secure IMAGE_DEF"      $(at $((def + 6))) '\021' 'ERROR'
corrupt "SP outside SRAM"           $(at 0x10000003) '\060' 'SP'
lo=$(od -An -tu1 -j "$(at 0x10000004)" -N1 "$uf2" | tr -d ' ')
corrupt "reset vector without Thumb" $(at 0x10000004) "\\$(printf %03o $((lo & 0xFE)))" 'reset vector'
corrupt "UF2 block out of range"    $((512 * 5 + 20)) '\143\143' 'is not below numBlocks'
echo "check_uf2_info: $uf2: kestrel info checks pass; $n corruptions rejected"
