#!/bin/sh
# Checks the generic RP2350 image's boot requirements straight from its .bin and .elf (there is no
# emulator for this chip): SP in SRAM, reset vector in the image with the Thumb bit, a self-linked
# IMAGE_DEF (Arm, Secure, RP2350 EXE) in the first 4 KB, and the info block / flash map.
# Usage: check_bin.sh IMAGE.bin IMAGE.elf
set -eu
bin=$1 elf=$2
fail() { echo "check_bin: $bin: $*" >&2; exit 1; }
word() { od -An -tx4 -j "$1" -N4 "$bin" | tr -d ' '; }   # little-endian u32 at a byte offset
hex() { printf '%d' "0x$1"; }

size=$(wc -c < "$bin")
[ "$size" -gt 512 ] || fail "only $size bytes"
sp=$(hex "$(word 0)"); pc=$(hex "$(word 4)")
[ "$sp" -gt $((0x20000000)) ] && [ "$sp" -le $((0x20082000)) ] || fail "initial SP $(word 0) not in SRAM"
[ $((pc & 1)) -eq 1 ] || fail "reset vector $(word 4) lacks the Thumb bit"
[ $((pc & ~1)) -ge $((0x10000000)) ] && [ $((pc & ~1)) -lt $((0x10000000 + size)) ] ||
  fail "reset vector $(word 4) is outside the image"
entry=$(arm-none-eabi-nm "$elf" | awk '$3 == "rp2350_reset_handler" { print $1 }')
[ "$(printf '%08x' $((pc & ~1)))" = "$entry" ] || fail "reset vector is not rp2350_reset_handler"

# The first block marker in the first 4 KB, word-aligned, and the IMAGE_DEF it must be.
off=0 found=
while [ $off -lt 4096 ] && [ $off -lt "$size" ]; do
  if [ "$(word $off)" = ffffded3 ]; then found=$off; break; fi
  off=$((off + 4))
done
[ -n "$found" ] || fail "no picobin block start (0xFFFFDED3) in the first 4 KB"
[ "$(word $((found + 4)))" = 10210142 ] || fail "first item is $(word $((found + 4))), not IMAGE_TYPE Arm/Secure/RP2350 EXE (0x10210142)"
[ "$(word $((found + 8)))" = 000001ff ] || fail "LAST item is $(word $((found + 8))), not 0x000001FF"
[ "$(word $((found + 12)))" = 00000000 ] || fail "link word $(word $((found + 12))) does not close the loop on itself"
[ "$(word $((found + 16)))" = ab123579 ] || fail "no block end marker"

# The info block: target RP2350, config region past the image end and clear of the last sector.
info=$(od -An -tx4 -w4 -v "$bin" | tr -d ' ' | grep -n -m1 '^4c54534b$' | cut -d: -f1)
[ -n "$info" ] || fail "no firmware info block"
i=$(( (info - 1) * 4 ))
[ "$(word $((i + 4)))" = 4f464e49 ] || fail "info block magic1"
[ "$(word $((i + 12)))" = 00000002 ] || fail "info block target is not FW_TARGET_RP2350"
base=$(hex "$(word $((i + 20)))"); cfg=$(hex "$(word $((i + 24)))"); end=$(hex "$(word $((i + 32)))")
[ "$base" -eq $((0x10000000)) ] || fail "flash_base"
[ "$end" -eq $((0x10000000 + size)) ] || fail "image_end $(word $((i + 32))) is not the end of the .bin"
[ "$cfg" -ge "$end" ] && [ $((cfg % 4096)) -eq 0 ] || fail "config region overlaps the image or is not sector-aligned"
echo "check_bin: $bin: SP $(word 0), reset $(word 4), IMAGE_DEF at +0x$(printf %x "$found"), config at $(word $((i + 24))), $size bytes: ok"
