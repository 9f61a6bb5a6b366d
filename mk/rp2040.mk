# RP2040: the generic firmware image and its emulator harness (rp2040js under Node).
#
#   build/fw/rp2040/kestrel-rp2040.{elf,bin,uf2}   generic image (no keyboard; fallback config)
#   make rp2040-test                                 emulator tests (tests/rp2040/)
#   make rp2040-bench                                cycle counts and sizes from the emulator

RP2040_CC      := arm-none-eabi-gcc
RP2040_OBJCOPY := arm-none-eabi-objcopy
RP2040_SIZE    := arm-none-eabi-size
RP2040_OUT     := $(BUILD)/fw/rp2040
RP2040_OBJDIR  := $(BUILD)/rp2040
RP2040_ELF     := $(RP2040_OUT)/kestrel-rp2040.elf
RP2040_BIN     := $(RP2040_OUT)/kestrel-rp2040.bin
RP2040_UF2     := $(RP2040_OUT)/kestrel-rp2040.uf2

RP2040_BUILD_ID := $(shell git describe --always --dirty 2>/dev/null | cut -c1-23 || echo unknown)
# -O2: the scan and report paths are what the keyboard spends its cycles on; the image is far
# below its 255 KB budget either way.
RP2040_CFLAGS := -mcpu=cortex-m0plus -mthumb $(CSTD) $(WARN) -O2 -g -ffunction-sections \
                 -fdata-sections -fno-common -ffreestanding -flto $(INC) \
                 -DKESTREL_BUILD_ID='"$(RP2040_BUILD_ID)"'
RP2040_LDFLAGS := -mcpu=cortex-m0plus -mthumb -O2 -flto -nostartfiles --specs=nano.specs \
                  -Wl,--gc-sections -Wl,--no-warn-rwx-segments -T hal/rp2040/rp2040.ld

RP2040_SRC := $(filter-out hal/rp2040/boot2_pad.c,$(wildcard hal/rp2040/*.c)) \
              $(wildcard hal/rp2/*.c) $(wildcard core/*.c) $(wildcard usb/*.c) $(wildcard fw/*.c)
# The keyboard's drive (mk/drive.mk): its sources and defines.
RP2040_SRC    += $(DRIVE_FW_SRC)
RP2040_CFLAGS += $(DRIVE_FW_CFLAGS)
RP2040_OBJ := $(patsubst %.c,$(RP2040_OBJDIR)/%.o,$(RP2040_SRC)) $(RP2040_OBJDIR)/boot2_blob.o
# The drive's defines change what usb/, fw/ and config/ compile to: rebuild when they change.
RP2040_DRIVE_STAMP := $(RP2040_OBJDIR)/drive_flags.txt
$(shell mkdir -p $(RP2040_OBJDIR) && (echo '$(DRIVE_FW_CFLAGS)' | cmp -s - $(RP2040_DRIVE_STAMP) || \
        echo '$(DRIVE_FW_CFLAGS)' > $(RP2040_DRIVE_STAMP)))
$(filter-out $(RP2040_OBJDIR)/boot2_blob.o,$(RP2040_OBJ)): $(RP2040_DRIVE_STAMP)

# The build id is compiled into the info block; rebuild it when `git describe` changes.
RP2040_ID_STAMP := $(RP2040_OBJDIR)/build_id.txt
$(shell mkdir -p $(RP2040_OBJDIR) && (echo '$(RP2040_BUILD_ID)' | cmp -s - $(RP2040_ID_STAMP) || \
        echo '$(RP2040_BUILD_ID)' > $(RP2040_ID_STAMP)))
$(RP2040_OBJDIR)/hal/rp2040/hal_rp2040.o: $(RP2040_ID_STAMP)

$(RP2040_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(RP2040_CC) $(RP2040_CFLAGS) -MMD -MP -c $< -o $@

# boot2: assembled and linked on its own at its run address, padded and CRC'd on the host.
$(RP2040_OBJDIR)/boot2.elf: hal/rp2040/boot2.S
	@mkdir -p $(dir $@)
	$(RP2040_CC) -mcpu=cortex-m0plus -mthumb -nostdlib -Wl,--section-start=.boot2=0x20041F00 \
	  -Wl,-e,rp2040_boot2 -Wl,--no-warn-rwx-segments $< -o $@
$(RP2040_OBJDIR)/boot2.raw: $(RP2040_OBJDIR)/boot2.elf
	$(RP2040_OBJCOPY) -O binary -j .boot2 $< $@
$(RP2040_OBJDIR)/boot2_pad: hal/rp2040/boot2_pad.c
	$(HOSTCC) $(HOST_CFLAGS) $< -o $@
$(RP2040_OBJDIR)/boot2.bin: $(RP2040_OBJDIR)/boot2.raw $(RP2040_OBJDIR)/boot2_pad
	$(RP2040_OBJDIR)/boot2_pad $< $@
$(RP2040_OBJDIR)/boot2_blob.o: hal/rp2040/boot2_blob.S $(RP2040_OBJDIR)/boot2.bin
	$(RP2040_CC) -mcpu=cortex-m0plus -mthumb -DBOOT2_BIN='"$(RP2040_OBJDIR)/boot2.bin"' -c $< -o $@

$(RP2040_ELF): $(RP2040_OBJ) hal/rp2040/rp2040.ld
	@mkdir -p $(dir $@)
	$(RP2040_CC) $(RP2040_LDFLAGS) $(RP2040_OBJ) -o $@ -Wl,-Map,$(RP2040_OUT)/kestrel-rp2040.map

$(RP2040_BIN): $(RP2040_ELF)
	$(RP2040_OBJCOPY) -O binary $< $@

$(RP2040_UF2): $(RP2040_BIN) emu/rp2040/harness.mjs
	node emu/rp2040/harness.mjs uf2 $< $@

.PHONY: rp2040 rp2040-test rp2040-bench
rp2040: $(RP2040_ELF) $(RP2040_BIN)
ALL_TARGETS += $(RP2040_ELF) $(RP2040_BIN)

# Emulator tests: an image for keyboards/test4x10 made by `kestrel build` (the path users take),
# booted in rp2040js: enumeration, class and malformed requests, wake-up, QK_BOOT, pcap + tshark.
RP2040_TEST_DIR := $(BUILD)/rp2040-test
RP2040_TEST_UF2 := $(RP2040_TEST_DIR)/test4x10.uf2
$(RP2040_TEST_UF2): $(BUILD)/kestrel $(RP2040_BIN) keyboards/test4x10/keyboard.json keyboards/test4x10/keymap.json
	@mkdir -p $(dir $@)
	$(BUILD)/kestrel build --keyboard keyboards/test4x10/keyboard.json \
	  --keymap keyboards/test4x10/keymap.json --firmware $(RP2040_BIN) -o $@

rp2040-test: $(RP2040_TEST_UF2)
	node tests/rp2040/usb_test.mjs $< keyboards/test4x10/keyboard.json $(RP2040_TEST_DIR)/usb-session.pcap
	node tests/rp2040/matrix_test.mjs $(BUILD)/kestrel $(RP2040_BIN) $(RP2040_TEST_DIR)/matrix
	node tests/rp2040/rom_test.mjs $(RP2040_ELF) $(RP2040_BIN)
TEST_TARGETS += rp2040-test

# The whole scenario suite on the emulated RP2040 (the same files as the host run; engine bugs
# listed in tests/scenarios/KNOWN_FAILURES may fail here too). One Node process serves all jobs.
rp2040-scenarios: $(BUILD)/kestrel $(RP2040_BIN)
	@start=$$(date +%s); tests/scenarios/run.sh $(BUILD)/kestrel --target rp2040; rc=$$?; \
	 echo "rp2040 scenarios: $$(( $$(date +%s) - start )) s on the emulator"; exit $$rc
TEST_TARGETS += rp2040-scenarios
.PHONY: rp2040-scenarios

# `make demo`: the example keyboard's image built the way a user does it, then the same firmware
# and config booted in the emulator, typing a sentence through the matrix pins.
RP2040_DEMO_DIR := $(BUILD)/rp2040-demo
rp2040-demo: $(BUILD)/kestrel $(RP2040_BIN)
	@mkdir -p $(RP2040_DEMO_DIR)
	@echo "== RP2040: kestrel build for keyboards/test4x10 (no compiler involved)"
	@$(BUILD)/kestrel build --keyboard keyboards/test4x10/keyboard.json \
	  --keymap keyboards/test4x10/keymap.json --firmware $(RP2040_BIN) \
	  -o $(RP2040_DEMO_DIR)/test4x10.uf2 2>/dev/null
	@echo "== RP2040: the firmware in rp2040js; the harness presses keys on the matrix pins"
	@echo "   (tests/rp2040/demo_hello.events) and prints what the USB host received:"
	@$(BUILD)/kestrel emulate --keyboard keyboards/test4x10/keyboard.json \
	  --keymap keyboards/test4x10/keymap.json --text tests/rp2040/demo_hello.events 2>/dev/null
DEMO_TARGETS += rp2040-demo

# `make bench`: cycle counts from the emulator, and the image's size.
rp2040-bench: $(BUILD)/kestrel $(RP2040_BIN)
	@node bench/rp2040_bench.mjs $(BUILD)/kestrel $(RP2040_BIN) $(BUILD)/rp2040-bench
	@echo "rp2040: image size (arm-none-eabi-size; text = flash code+rodata, data = RAM code/data copied from flash, bss = RAM):"
	@$(RP2040_SIZE) $(RP2040_ELF) | sed 's/^/  /'
	@echo "rp2040: flash used $$(stat -c %s $(RP2040_BIN)) bytes of 262,144 before the config region"
BENCH_TARGETS += rp2040-bench
.PHONY: rp2040-demo rp2040-bench

# The USB stack under libFuzzer (fake device controller, ASan + UBSan): every SETUP answered
# exactly once, IN stages within wLength, no out-of-bounds access. Smoke run in make test.
FUZZ_USB_BIN := $(BUILD)/fuzz/fuzz_usb
$(FUZZ_USB_BIN): tests/rp2040/fuzz_usb.c $(wildcard usb/*.c usb/*.h) core/cfg.c core/cfg.h
	@mkdir -p $(dir $@)
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer -DUSB_MSC=1 $(INC) tests/rp2040/fuzz_usb.c $(wildcard usb/*.c) core/cfg.c -o $@
rp2040-fuzz-usb-smoke: $(FUZZ_USB_BIN)
	@rm -rf $(BUILD)/fuzz/smoke-usb && mkdir -p $(BUILD)/fuzz/smoke-usb
	@$(FUZZ_USB_BIN) -runs=200000 -seed=1 -max_len=2048 $(BUILD)/fuzz/smoke-usb \
	  tests/rp2040/fuzz_usb_seeds 2>$(BUILD)/fuzz/smoke-usb.log || { tail -40 $(BUILD)/fuzz/smoke-usb.log; exit 1; }
	@echo "rp2040-fuzz-usb-smoke: 200000 runs, no crash"
TEST_TARGETS += rp2040-fuzz-usb-smoke
.PHONY: rp2040-fuzz-usb-smoke
