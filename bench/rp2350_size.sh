#!/bin/sh
# Size figures of the RP2350 image: arm-none-eabi-size's own table, then flash and RAM use
# against the flash map (firmware region 256 KB, SRAM 512 KB + 8 KB stack banks).
# Usage: rp2350_size.sh IMAGE.elf
set -eu
elf=$1
arm-none-eabi-size "$elf"
arm-none-eabi-size -A "$elf" | awk -v name="$(basename "$elf" .elf)" '
  $1 == ".text" || $1 == ".ARM.exidx" { flash += $2 }
  $1 == ".data" { flash += $2; ram += $2 }
  $1 == ".bss"  { ram += $2 }
  $1 == ".stack" { stack = $2 }
  END { printf "%s: flash %d B (%.1f%% of the 262144-byte firmware region), RAM %d B static of 524288, stack %d B\n",
               name, flash, 100 * flash / 262144, ram, stack, stack }'
