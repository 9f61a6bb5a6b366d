#!/usr/bin/env bash
# `kestrel build` end to end on synthetic generic firmware (gen_corpus writes fw/<target>/):
# every target and format builds and `kestrel info` accepts the result with the config inside;
# every refusal says why with numbers, exits 2 and leaves no output file. Usage: build.sh BUILD
set -uo pipefail
build=${1:-build}
k=$build/san/kestrel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/san/tests/info/gen_corpus" "$work" >/dev/null || { echo "build: corpus generator failed"; exit 1; }
export KESTREL_FIRMWARE_DIR=$work/fw
km=keyboards/test4x10/keymap.json
sed 's/"RP2040"/"RP2350"/' keyboards/test4x10/keyboard.json >"$work/k2350.json"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL build: $*"; fail=$((fail + 1)); }

# builds: keyboard | output | words `kestrel info` must print
while IFS='|' read -r kb out want; do
  if ! "$k" build --keyboard "$kb" --keymap "$km" -o "$work/$out" >"$work/log" 2>&1; then
    bad "$kb -> $out failed"; sed 's/^/    /' "$work/log"; continue
  fi
  if ! "$k" info "$work/$out" >"$work/info" 2>&1; then
    bad "info rejects $out"; sed 's/^/    /' "$work/info"; continue
  fi
  grep -qF -- "$want" "$work/info" && ok || { bad "$out: info lacks '$want'"; sed 's/^/    /' "$work/info"; }
done <<EOT
builtin:test4x10|a.uf2|config:      "test4x10" by Kestrel, keymap "default": rp2040, 4x10 col2row matrix, 40 keys, 3 layers
builtin:test4x10|a.bin|format:      raw binary, loaded at 0x10000000
builtin:test4x10|a.hex|format:      Intel HEX
$work/k2350.json|b.uf2|block 0 is the RP2350-E10 workaround
$work/k2350.json|b.uf2|IMAGE_DEF at 0x10000110: Secure Arm RP2350 executable
builtin:test4x10_avr|c.hex|within the 28,672 bytes the caterina bootloader leaves
builtin:test4x10_avr|c.bin|target:      atmega32u4
EOT

# refusals: exit 2, the reason, and no file
refuse() { # name | expected words | kestrel build args...
  local name=$1 want=$2; shift 2
  rm -f "$work/out.x"
  "$k" build "$@" >"$work/log" 2>&1
  local rc=$?
  if [ $rc != 2 ]; then bad "$name: exit $rc, expected 2"; sed 's/^/    /' "$work/log"
  elif ! grep -qF -- "$want" "$work/log"; then bad "$name: lacks '$want'"; sed 's/^/    /' "$work/log"
  elif ls "$work"/out.* >/dev/null 2>&1; then bad "$name: left an output file"
  else ok; fi
}
refuse "config too big" "bytes; the atmega32u4 firmware's config region holds 4,096" \
  --keyboard "$work/big-avr.json" --keymap "$work/big-keymap.json" -o "$work/out.hex"
refuse "wrong firmware" "is rp2040 firmware, but the keyboard's processor is atmega32u4" \
  --keyboard builtin:test4x10_avr --keymap $km --firmware "$work/fw/rp2040/kestrel-rp2040.bin" -o "$work/out.hex"
refuse "uf2 for avr" "UF2 is for the RP2040/RP2350; the atmega32u4 takes HEX or BIN" \
  --keyboard builtin:test4x10_avr --keymap $km -o "$work/out.uf2"
refuse "format vs name" "--format bin but the output is named" \
  --keyboard builtin:test4x10 --keymap $km --format bin -o "$work/out.uf2"
refuse "no firmware" "no rp2040 firmware at $work/none" \
  --keyboard builtin:test4x10 --keymap $km --firmware "$work/none" -o "$work/out.uf2"
printf '{"keyboard": "x", "layers": [["KC_ENTR"]]}' >"$work/bad-keymap.json"
refuse "bad keymap" "layer 0 has 1 keycodes, but layout LAYOUT has 40 keys" --keyboard builtin:test4x10 --keymap "$work/bad-keymap.json" -o "$work/out.uf2"
refuse "usage" "needs --keyboard K, --keymap M and -o OUT" --keyboard builtin:test4x10

# a blank config region, for going back to the firmware's safe config
for t in rp2040:uf2 rp2350:uf2 atmega32u4:hex; do
  if "$k" build --blank-config --target "${t%:*}" -o "$work/blank.${t#*:}" >"$work/log" 2>&1 &&
     "$k" info "$work/blank.${t#*:}" >"$work/info" 2>&1 &&
     grep -qF "the firmware will use its built-in safe config" "$work/info"; then ok
  else bad "--blank-config for ${t%:*}"; sed 's/^/    /' "$work/log" "$work/info"; fi
done
refuse "blank with a keymap" "--blank-config takes -o OUT and --target or --firmware, no keymap" \
  --blank-config --target rp2040 --keymap $km -o "$work/out.uf2"
refuse "blank, bad target" "--target 'stm32': use rp2040, rp2350 or atmega32u4" --blank-config --target stm32 -o "$work/out.uf2"

# an existing output survives a failed build untouched
echo keep >"$work/keep.uf2"
"$k" build --keyboard builtin:test4x10 --keymap "$work/bad-keymap.json" -o "$work/keep.uf2" >/dev/null 2>&1
[ "$(cat "$work/keep.uf2")" = keep ] && ok || bad "a failed build changed the existing output"

# the real generic images, when this tree has built them: sound, and a keymap joins each one
for fw in "$build"/fw/rp2040/kestrel-rp2040.bin "$build"/fw/rp2350/kestrel-rp2350.bin \
          "$build"/fw/atmega32u4/kestrel-atmega32u4.bin "$build"/fw/atmega32u4/kestrel-atmega32u4-8mhz.hex; do
  [ -f "$fw" ] || continue
  case "$fw" in
    *rp2040*) kb=builtin:test4x10 out=real.uf2 ;;
    *rp2350*) kb=$work/k2350.json out=real.uf2 ;;
    *) kb=builtin:test4x10_avr out=real.hex ;;
  esac
  if ! "$k" info "$fw" >"$work/info" 2>&1; then bad "kestrel info rejects $fw"; sed 's/^/    /' "$work/info"; continue; fi
  if "$k" build --keyboard "$kb" --keymap "$km" --firmware "$fw" -o "$work/$out" >"$work/log" 2>&1 &&
     "$k" info "$work/$out" >"$work/info" 2>&1 && grep -qF 'result:      OK' "$work/info" &&
     grep -qF 'keymap "default"' "$work/info"; then ok
  else bad "building on $fw"; sed 's/^/    /' "$work/log" "$work/info"; fi
done

echo "build: $pass passed, $fail failed"
[ "$fail" = 0 ]
