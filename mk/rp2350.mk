# RP2350 (Raspberry Pi Pico 2): the generic firmware image build/fw/rp2350/kestrel-rp2350.{elf,bin},
# its host-compiled init-sequence tests, and its size figures.

RP2350_CC      := arm-none-eabi-gcc
RP2350_OBJCOPY := arm-none-eabi-objcopy
RP2350_SIZE    := arm-none-eabi-size
RP2350_OUT     := $(BUILD)/fw/rp2350
RP2350_ELF     := $(RP2350_OUT)/kestrel-rp2350.elf
RP2350_BIN     := $(RP2350_OUT)/kestrel-rp2350.bin
RP2350_LD      := $(RP2350_OUT)/memmap.ld

# -mno-unaligned-access: the M33 allows unaligned loads/stores, but the USB DPRAM hard-faults on
# them (rp2.md §2.6), and the shared device-controller driver must not depend on the compiler
# never choosing one.
RP2350_BUILD_ID := $(shell git describe --always --dirty 2>/dev/null | cut -c1-23 || echo unknown)
# -O2 -flto as the RP2040 build: the shared sources are compiled the same way for both chips.
RP2350_CFLAGS := -mcpu=cortex-m33 -mthumb -mno-unaligned-access $(CSTD) $(WARN) -O2 -g \
                 -ffunction-sections -fdata-sections -fno-common -ffreestanding -flto $(INC) \
                 -DKESTREL_RP2350 -DKESTREL_BUILD_ID='"$(RP2350_BUILD_ID)"'
RP2350_LDFLAGS := -mcpu=cortex-m33 -mthumb -O2 -flto -nostartfiles --specs=nano.specs \
                  -Wl,--gc-sections -Wl,--no-warn-rwx-segments -T $(RP2350_LD)

# The portable firmware and the code both RP2 chips share: the very same files the RP2040 image
# links (mk/rp2040.mk), proven after linking by tests/rp2350/check_shared.sh. Only hal/rp2350/ is
# the RP2350's own.
RP2350_SHARED_SRC := $(wildcard hal/rp2/*.c) $(wildcard core/*.c) $(wildcard usb/*.c) $(wildcard fw/*.c)
# The keyboard's drive (mk/drive.mk): the same sources and defines as the RP2040's, except a
# volume one 4 KB sector shorter (hal/rp2350/memmap.h: clear of the RP2350-E10 sector of a 1 MB
# chip; hal/rp2350/flash_rp2350.c checks the two agree).
RP2350_SHARED_SRC += $(DRIVE_FW_SRC)
RP2350_CFLAGS     += $(DRIVE_FW_CFLAGS) -DFW_DRIVE_VOLUME_SECTORS=1016u
RP2350_HAL_SRC    := $(wildcard hal/rp2350/*.c)
RP2350_SRC        := $(RP2350_HAL_SRC) $(RP2350_SHARED_SRC)
RP2350_OBJ        := $(patsubst %.c,$(RP2350_OUT)/obj/%.o,$(RP2350_SRC))
# The drive's defines change what usb/, fw/ and config/ compile to: rebuild when they change.
RP2350_DRIVE_STAMP := $(RP2350_OUT)/drive_flags.txt
$(shell mkdir -p $(RP2350_OUT) && (echo '$(DRIVE_FW_CFLAGS)' | cmp -s - $(RP2350_DRIVE_STAMP) || \
        echo '$(DRIVE_FW_CFLAGS)' > $(RP2350_DRIVE_STAMP)))
$(RP2350_OBJ): $(RP2350_DRIVE_STAMP)

# The build id is compiled into the info block; rebuild it when `git describe` changes.
RP2350_ID_STAMP := $(RP2350_OUT)/build_id.txt
$(shell mkdir -p $(RP2350_OUT) && (echo '$(RP2350_BUILD_ID)' | cmp -s - $(RP2350_ID_STAMP) || \
        echo '$(RP2350_BUILD_ID)' > $(RP2350_ID_STAMP)))
$(RP2350_OUT)/obj/hal/rp2350/fwinfo.o: $(RP2350_ID_STAMP)

$(RP2350_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(RP2350_CC) $(RP2350_CFLAGS) -MMD -MP -c $< -o $@

$(RP2350_LD): hal/rp2350/memmap.ld.in hal/rp2350/memmap.h
	@mkdir -p $(dir $@)
	$(RP2350_CC) -E -P -x c -I. $< -o $@

$(RP2350_ELF): $(RP2350_OBJ) $(RP2350_LD)
	$(RP2350_CC) $(RP2350_LDFLAGS) $(RP2350_OBJ) -o $@ -Wl,-Map,$(RP2350_OUT)/kestrel-rp2350.map

$(RP2350_BIN): $(RP2350_ELF)
	$(RP2350_OBJCOPY) -O binary $< $@

.PHONY: rp2350 bench-rp2350
rp2350: $(RP2350_ELF) $(RP2350_BIN)
ALL_TARGETS += rp2350

bench-rp2350: $(RP2350_ELF)
	@bench/rp2350_size.sh $(RP2350_ELF)
BENCH_TARGETS += bench-rp2350

# Host tests of the init sequences: the HAL's own sources, built with RP2_MMIO_HOST so their
# register accesses go to the recorded register space of tests/rp2350/regspace.c.
RP2350_HOSTED_SRC := hal/rp2350/clocks.c hal/rp2350/watchdog.c hal/rp2/hal_rp2.c hal/rp2/dcd_rp2.c \
                     fw/matrix.c tests/rp2350/regspace.c
RP2350_HOSTED_OBJ := $(patsubst %.c,$(BUILD)/san/rp2350-mmio/%.o,$(RP2350_HOSTED_SRC))
$(BUILD)/san/rp2350-mmio/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN_CFLAGS) -DRP2_MMIO_HOST -DKESTREL_RP2350 -MMD -MP -c $< -o $@
$(BUILD)/san/tests/unit/test_rp2350_init.o: SAN_CFLAGS += -DRP2_MMIO_HOST -DKESTREL_RP2350
$(BUILD)/san/tests/test_rp2350_init: $(RP2350_HOSTED_OBJ)

# The example Pico 2 keyboard, built the way a user does it: `kestrel build` writes its config
# into the generic image (no compiler involved) and makes the UF2 (family 0xE48BFF59, E10 block).
RP2350_KB_UF2 := $(BUILD)/keyboards/pico2_5x12.uf2
$(RP2350_KB_UF2): $(BUILD)/kestrel $(RP2350_BIN) keyboards/pico2_5x12/keyboard.json keyboards/pico2_5x12/keymap.json
	@mkdir -p $(dir $@)
	$(BUILD)/kestrel build --keyboard keyboards/pico2_5x12/keyboard.json \
	  --keymap keyboards/pico2_5x12/keymap.json --firmware $(RP2350_BIN) -o $@
ALL_TARGETS += $(RP2350_KB_UF2)

# Inspection (no emulator exists for this chip): boot requirements read from the .bin, with a
# self-test proving the checker rejects corrupted copies; `kestrel info` on the example keyboard's
# UF2 (every check it makes passes; corrupted copies fail); and, from the two linker maps, proof
# that the RP2040 and RP2350 images link the same portable sources.
RP2040_MAP_FOR_RP2350 := $(BUILD)/fw/rp2040/kestrel-rp2040.map
.PHONY: test-rp2350
test-rp2350: $(RP2350_BIN) $(RP2350_ELF) $(RP2350_KB_UF2) $(BUILD)/kestrel $(BUILD)/fw/rp2040/kestrel-rp2040.elf
	@tests/rp2350/check_bin.sh $(RP2350_BIN) $(RP2350_ELF)
	@tests/rp2350/check_bin_selftest.sh $(RP2350_BIN) $(RP2350_ELF) $(RP2350_OUT)/selftest
	@tests/rp2350/check_uf2_info.sh $(BUILD)/kestrel $(RP2350_KB_UF2) $(RP2350_ELF) $(RP2350_OUT)/selftest
	@tests/rp2350/check_shared.sh $(RP2040_MAP_FOR_RP2350) $(BUILD)/rp2040 \
	  $(RP2350_OUT)/kestrel-rp2350.map $(RP2350_OUT)/obj
TEST_TARGETS += test-rp2350
