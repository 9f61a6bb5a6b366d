#!/usr/bin/env bash
# Flash and RAM use of the ATmega32U4 generic image(s), against what Caterina / Atmel DFU leave
# (28,672 bytes of flash below 0x7000, config region included) and the chip's 2,560 bytes of SRAM.
set -euo pipefail
for elf in "$@"; do
  avr-size -A "$elf" | awk -v name="$(basename "$elf" .elf)" -v cfg="$(( ${AVR_CFG_ADDR:-0x6000} ))" '
    /^\.text/ {t=$2} /^\.data/ {d=$2} /^\.bss/ {b=$2} /^\.noinit/ {n=$2}
    END {
      flash = t + d; ram = d + b + n
      printf "%s: flash %d B code+data (%.1f%% of 28672; code limit %d before the %d-byte config region), RAM %d B static of 2560 (%d B left for the stack)\n",
             name, flash, flash * 100 / 28672, cfg, 28672 - cfg, ram, 2560 - ram
    }'
done
