#!/usr/bin/env bash
# `kestrel flash` end to end without hardware:
#  1. the command lines --dry-run prints for each bootloader, exactly;
#  2. those same command lines run against the real Debian tools (avrdude, dfu-programmer,
#     teensy_loader_cli), which must accept them and stop only for want of a device;
#  3. the UF2 path for real against a directory standing in for the boot ROM drive, with a
#     simulated ROM that takes the file and "reboots" (removes the drive);
#  4. the AVR path for real with stand-in tools on PATH that record their argv.
# Usage: tests/flash/run.sh BUILD_DIR
set -uo pipefail
build=${1:-build}
k=$(cd "$build/san" && pwd)/kestrel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/c"
"$build/san/tests/info/gen_corpus" "$work/c" || { echo "flash: corpus generator failed"; exit 1; }
export KESTREL_FIRMWARE_DIR=$work/c/fw
unset KESTREL_TEST_USB KESTREL_TEST_TTY
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL flash: $*"; fail=$((fail + 1)); }
show() { sed 's/^/    /' "$@" | head -40; }

hex=$work/c/avr.hex
# ---- 1. dry-run command lines ----
dry() { # name | expected "$ " lines (\n-separated) | args...
  local name=$1 want=$2; shift 2
  "$k" flash --dry-run "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  grep '^\$ ' "$work/out" >"$work/got"
  printf '%b\n' "$want" >"$work/want"
  if [ $rc != 0 ]; then bad "$name: exit $rc"; show "$work/err"
  elif ! cmp -s "$work/got" "$work/want"; then bad "$name: commands differ"; diff "$work/want" "$work/got" | sed 's/^/    /'
  else ok; fi
}
dfuv=$(dfu-programmer --version 2>&1 | sed -n 's/.*dfu-programmer \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
force=""
[ -n "$dfuv" ] && [ "${dfuv% *}" = 0 ] && [ "${dfuv#* }" -lt 7 ] || force=" --force"
[ -z "$dfuv" ] && force=""
port=$work/no-such-port
dry caterina "\$ avrdude -p atmega32u4 -c avr109 -P $port -U flash:w:$hex:i" --port "$port" "$hex"
dry caterina-backup "\$ avrdude -p atmega32u4 -c avr109 -P $port -D -U flash:r:$work/old.hex:i -U flash:w:$hex:i" \
  --port "$port" --backup "$work/old.hex" "$hex"
dry atmel-dfu "\$ dfu-programmer atmega32u4 erase$force\n\$ dfu-programmer atmega32u4 flash$force $hex\n\$ dfu-programmer atmega32u4 reset" \
  --bootloader atmel-dfu "$hex"
dry dfu-backup "\$ dfu-programmer atmega32u4 dump > $work/old.bin\n\$ dfu-programmer atmega32u4 erase$force\n\$ dfu-programmer atmega32u4 flash$force $hex\n\$ dfu-programmer atmega32u4 reset" \
  --bootloader qmk-dfu --backup "$work/old.bin" "$hex"
dry halfkay "\$ teensy_loader_cli --mcu=atmega32u4 -w -v $hex" --bootloader halfkay "$hex"
# the bootloader named in the image's config (caterina) is used when nothing says otherwise
"$k" flash --dry-run "$hex" >"$work/out" 2>&1 && grep -qF -- "-P '<PORT>' -U flash:w:$hex:i" "$work/out" && ok || { bad "default bootloader from the config"; show "$work/out"; }
# --keyboard builds first, into a temporary HEX the commands name
"$k" flash --dry-run --keyboard builtin:test4x10_avr --keymap keyboards/test4x10/keymap.json --bootloader halfkay >"$work/out" 2>"$work/err"
tmp=$(sed -n 's/^\$ teensy_loader_cli --mcu=atmega32u4 -w -v \(.*\)$/\1/p' "$work/out")
if [ -n "$tmp" ] && "$k" info "$tmp" 2>/dev/null | grep -qF 'config:      "test4x10_avr"'; then ok; rm -f "$tmp"; else bad "flash --keyboard dry run"; show "$work/out" "$work/err"; fi
# refusals before anything runs
refuse() { # name | exit | words | args...
  local name=$1 want=$2 words=$3; shift 3
  "$k" flash "$@" >"$work/out" 2>&1
  local rc=$?
  if [ $rc != "$want" ]; then bad "$name: exit $rc, expected $want"; show "$work/out"
  elif ! grep -qF -- "$words" "$work/out"; then bad "$name: lacks '$words'"; show "$work/out"
  else ok; fi
}
refuse halfkay-backup 2 "HalfKay (Teensy) cannot read flash back, so no backup is possible" --dry-run --bootloader halfkay --backup "$work/b.hex" "$hex"
refuse uf2-backup 2 "drive cannot read flash back, so no backup is possible this way" --backup "$work/b.bin" "$work/c/rp2040.uf2"
refuse broken 2 "uf2-bad-magic0.uf2: block 2 (offset 0x400): bad magicStart0 0x0A324656" --dry-run "$work/c/uf2-bad-magic0.uf2"
refuse no-boot 1 "not flashing $work/c/rp2040-boot2-crc.uf2: boot2: CRC" --dry-run "$work/c/rp2040-boot2-crc.uf2"
refuse too-big 1 "past the 28,672 bytes the caterina bootloader leaves" --dry-run --port /dev/null "$work/c/avr-too-big.hex"
refuse uf2-to-avr 2 "--bootloader halfkay does not fit" --dry-run --bootloader halfkay "$work/c/rp2040.uf2"
refuse usage 2 "give an IMAGE, or --keyboard K and --keymap M" --dry-run

# ---- 2. the same command lines against the real tools (no device attached) ----
# Never run them where a bootloader is actually plugged in: they would write to it.
present=""
for d in /sys/bus/usb/devices/*; do
  [ -f "$d/idVendor" ] || continue
  id="$(cat "$d/idVendor"):$(cat "$d/idProduct")"
  case "$id" in 03eb:2ff*|03eb:2fe*|1b4f:920*|2341:003[67]|2a03:003[67]|1ffb:0101|239a:000[cde]|1209:2302|16c0:0478) present=$id ;; esac
done
if [ -n "$present" ]; then
  echo "flash: a bootloader ($present) is plugged in: not running the real tools against it"
else
  check_tool() { # name | words the tool must print (device missing) | dry-run args...
    local name=$1 words=$2; shift 2
    "$k" flash --dry-run "$@" 2>/dev/null | sed -n 's/^\$ //p' >"$work/cmds"
    [ -s "$work/cmds" ] || { bad "$name: no commands"; return; }
    while IFS= read -r line; do
      ( cd "$work" && timeout 3 bash -c "$line" ) >"$work/tool.out" 2>&1
      if grep -qiE 'usage:|unknown option|invalid option|unrecognized|not found in config|AVR Part .* not found|must be specified' "$work/tool.out"; then
        bad "$name: the tool rejects '$line'"; show "$work/tool.out"
      elif ! grep -qF -- "$words" "$work/tool.out"; then
        bad "$name: '$line' did not stop for want of a device"; show "$work/tool.out"
      else ok; fi
    done <"$work/cmds"
  }
  command -v avrdude >/dev/null && check_tool avrdude "cannot open port $port" --port "$port" --backup "$work/old.hex" "$hex" || bad "avrdude missing"
  command -v dfu-programmer >/dev/null && check_tool dfu-programmer "no device present" --bootloader atmel-dfu --backup "$work/old.bin" "$hex" || bad "dfu-programmer missing"
  command -v teensy_loader_cli >/dev/null && check_tool teensy_loader_cli "Waiting for Teensy device" --bootloader halfkay "$hex" || bad "teensy_loader_cli missing"
fi

# ---- 3. UF2 drives ----
make_drive() { # dir chip
  mkdir -p "$1"
  if [ "$2" = 2040 ]; then printf 'UF2 Bootloader v3.0\r\nModel: Raspberry Pi RP2\r\nBoard-ID: RPI-RP2\r\n' >"$1/INFO_UF2.TXT"
  else printf 'UF2 Bootloader v1.0\nModel: Raspberry Pi RP2350\nBoard-ID: RP2350\n' >"$1/INFO_UF2.TXT"; fi
  echo '<html></html>' >"$1/INDEX.HTM"
}
# The ROM: reads numBlocks from the file as it arrives (block 1 when block 0 is the RP2350-E10
# block, which is not counted), and once every block is there keeps a copy (what the chip got)
# and vanishes (reboots).
u32() { od -An -tu4 -j "$2" -N4 "$1" 2>/dev/null | tr -d ' '; }
rom() { # dir
  local f=$1/KESTREL.UF2 want=""
  for _ in $(seq 1 400); do
    if [ -z "$want" ] && [ -f "$f" ] && [ "$(stat -c %s "$f")" -ge 1024 ]; then
      if [ "$(u32 "$f" 28)" = 3834380119 ]; then want=$(( ($(u32 "$f" 536) + 1) * 512 )); else want=$(( $(u32 "$f" 24) * 512 )); fi
    fi
    if [ -n "$want" ] && [ "$(stat -c %s "$f")" -ge "$want" ]; then
      cp "$f" "$work/received.uf2"; rm -rf "$1"; return 0
    fi
    sleep 0.05
  done
}
uf2=$work/c/rp2040.uf2
rm -f "$work/received.uf2"; make_drive "$work/RPI-RP2" 2040
rom "$work/RPI-RP2" & rp=$!
"$k" flash --drive "$work/RPI-RP2" --timeout 5 "$uf2" >"$work/out" 2>&1; rc=$?
wait $rp
if [ $rc = 0 ] && grep -qF "Done: the boot ROM took all 64 blocks" "$work/out" && cmp -s "$uf2" "$work/received.uf2"; then ok
else bad "UF2 copy to a drive (exit $rc)"; show "$work/out"; fi

# an RP2350 image, converted from BIN, found through the mount table
sed 's/"RP2040"/"RP2350"/' keyboards/test4x10/keyboard.json >"$work/k2350.json"
"$k" build --keyboard "$work/k2350.json" --keymap keyboards/test4x10/keymap.json -o "$work/p2.bin" >/dev/null 2>&1
rm -f "$work/received.uf2"; make_drive "$work/m/RP2350" 2350
printf '/dev/sdz1 %s vfat rw,nosuid 0 0\n' "$work/m/RP2350" >"$work/mounts"
rom "$work/m/RP2350" & rp=$!
"$k" flash --mounts "$work/mounts" --timeout 5 "$work/p2.bin" >"$work/out" 2>&1; rc=$?
wait $rp
if [ $rc = 0 ] && "$k" info "$work/received.uf2" >"$work/info" 2>&1 &&
   grep -qF "block 0 is the RP2350-E10 workaround" "$work/info" &&
   grep -qF 'config:      "test4x10" by Kestrel, keymap "default": rp2350' "$work/info"; then ok
else bad "BIN -> UF2 via the mount table (exit $rc)"; show "$work/out"; fi

# the wrong chip's drive: refused, nothing written
make_drive "$work/wrong" 2350
"$k" flash --drive "$work/wrong" --timeout 2 "$uf2" >"$work/out" 2>&1; rc=$?
if [ $rc = 1 ] && grep -qF "which would ignore it; nothing was written" "$work/out" && [ ! -e "$work/wrong/KESTREL.UF2" ]; then ok
else bad "wrong-family drive (exit $rc)"; show "$work/out"; fi
printf '/dev/sdy1 %s vfat rw 0 0\n' "$work/wrong" >"$work/mounts2"
"$k" flash --mounts "$work/mounts2" --timeout 2 "$uf2" >"$work/out" 2>&1; rc=$?
if [ $rc = 1 ] && grep -qF "is an RP2350 boot ROM" "$work/out" && [ ! -e "$work/wrong/KESTREL.UF2" ]; then ok
else bad "wrong-family drive in the mount table (exit $rc)"; show "$work/out"; fi

# no drive: the instructions, a countdown, then a clear failure
"$k" flash --mounts /dev/null --timeout 1 "$uf2" >"$work/out" 2>&1; rc=$?
if [ $rc = 1 ] && grep -qF "Hold the BOOTSEL button" "$work/out" && grep -qF "waiting:" "$work/out" && grep -qF "no rp2040 boot ROM drive appeared within 1 s; nothing was written" "$work/out"; then ok
else bad "no drive (exit $rc)"; show "$work/out"; fi

# ---- 4. AVR bootloaders with stand-in tools ----
mkdir -p "$work/bin"
for t in avrdude dfu-programmer teensy_loader_cli; do
  cat >"$work/bin/$t" <<EOF
#!/usr/bin/env bash
if [ "\${1:-}" = --version ]; then echo "dfu-programmer 0.6.1"; exit 0; fi
echo "\$(basename "\$0") \$*" >>"$work/calls"
echo "[stand-in \$(basename "\$0")]" >&2
case "\$*" in *dump*) printf '\x0c\x94\x56\x00\xff\xff' ;; esac
exit \${FAKE_RC:-0}
EOF
  chmod +x "$work/bin/$t"
done
real() { # name | exit | expected calls (\n-separated) | words | env... -- args...
  local name=$1 want=$2 calls=$3 words=$4; shift 4
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  rm -f "$work/calls"; touch "$work/calls"
  env PATH="$work/bin:$PATH" "${envs[@]}" "$k" flash --timeout 1 "$@" >"$work/out" 2>&1
  local rc=$?
  printf '%b' "$calls" >"$work/want"; [ -n "$calls" ] && echo >>"$work/want"
  if [ $rc != "$want" ]; then bad "$name: exit $rc, expected $want"; show "$work/out"
  elif ! cmp -s "$work/calls" "$work/want"; then bad "$name: tools ran differently"; diff "$work/want" "$work/calls" | sed 's/^/    /'
  elif ! grep -qF -- "$words" "$work/out"; then bad "$name: lacks '$words'"; show "$work/out"
  else ok; fi
}
real caterina 0 "avrdude -p atmega32u4 -c avr109 -P /dev/ttyFAKE0 -U flash:w:$hex:i" "Done, verified by reading it back" \
  KESTREL_TEST_USB=1B4F:9205 KESTREL_TEST_TTY=/dev/ttyFAKE0 -- "$hex"
real atmel-dfu 0 "dfu-programmer atmega32u4 erase\ndfu-programmer atmega32u4 flash $hex\ndfu-programmer atmega32u4 reset" "Found Atmel DFU (ATmega32U4) (03EB:2FF4)" \
  KESTREL_TEST_USB=03EB:2FF4 -- "$hex"
real dfu-backup 0 "dfu-programmer atmega32u4 dump\ndfu-programmer atmega32u4 erase\ndfu-programmer atmega32u4 flash $hex\ndfu-programmer atmega32u4 reset" "Backup of the previous firmware: $work/bk.hex" \
  KESTREL_TEST_USB=03EB:2FF4 -- --backup "$work/bk.hex" "$hex"
grep -qF ':060000000C945600FFFF' "$work/bk.hex" && ok || { bad "the DFU dump was not saved as HEX"; show "$work/bk.hex"; }
real halfkay 0 "teensy_loader_cli --mcu=atmega32u4 -w -v $hex" "HalfKay cannot read flash back to verify" \
  KESTREL_TEST_USB=16C0:0478 -- "$hex"
# the Teensy's bootloader is 512 bytes: an image too big for Caterina fits it
real halfkay-big 0 "teensy_loader_cli --mcu=atmega32u4 -w -v $work/c/avr-too-big.hex" "Done" \
  KESTREL_TEST_USB=16C0:0478 -- "$work/c/avr-too-big.hex"
real tool-fails 1 "avrdude -p atmega32u4 -c avr109 -P /dev/ttyFAKE0 -U flash:w:$hex:i" "Recovery: the bootloader is in a protected section" \
  KESTREL_TEST_USB=1B4F:9205 KESTREL_TEST_TTY=/dev/ttyFAKE0 FAKE_RC=1 -- "$hex"
real backup-fails 1 "dfu-programmer atmega32u4 dump" "Nothing was written: the backup could not be read" \
  KESTREL_TEST_USB=03EB:2FF4 FAKE_RC=1 -- --backup "$work/bk2.bin" "$hex"
real other-chip 1 "" "found STM32 DFU (0483:DF11) for the stm32; this image is for the atmega32u4; nothing was written" \
  KESTREL_TEST_USB=0483:DF11 -- "$hex"
real atmega16u4 1 "" "found Atmel DFU (ATmega16U4) (03EB:2FF3) for the atmega16u4" \
  KESTREL_TEST_USB=03EB:2FF3 -- "$hex"
real none 1 "" "no caterina bootloader appeared within 1 s; nothing was written" \
  KESTREL_TEST_USB= -- "$hex"
grep -qF "short the RST and GND pins twice" "$work/out" && ok || { bad "no instructions for Caterina"; show "$work/out"; }
real no-tool 1 "" "teensy_loader_cli is not installed (Debian: apt install teensy-loader-cli)" \
  KESTREL_TEST_USB=16C0:0478 PATH=/nonexistent -- "$hex"

echo "flash: $pass passed, $fail failed"
[ "$fail" = 0 ]
