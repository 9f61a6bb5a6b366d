# ATmega32U4: the generic firmware image and the simavr harness.
#
#   build/fw/atmega32u4/kestrel-atmega32u4.{elf,hex,bin}   generic image (no keyboard in it)
#   build/emu/avr-harness                                   simavr USB-host harness (host code)

AVR_CC      := avr-gcc
AVR_OBJCOPY := avr-objcopy
AVR_SIZE    := avr-size
AVR_NM      := avr-nm
AVR_MCU     := atmega32u4
# The config region follows the code and ends at the 4 KB boot section (0x7000); the link keeps at
# least AVR_CFG_MIN bytes of it, enough for a 6x15 keymap with 6 layers (docs/boards/atmega32u4.md,
# flash map).
AVR_APP_END := 0x7000
AVR_CFG_MIN := 1536
AVR_OUT     := $(BUILD)/fw/atmega32u4
AVR_OBJDIR  := $(BUILD)/avr

# Every portable layer the firmware is made of, plus this chip's hal. --gc-sections and LTO drop
# what the firmware does not call.
# The start-up code (vector table, reset) in place of avr-libc's: compiled without LTO, so that the
# linker sees its references to main and the interrupt handler (linked with -nostartfiles).
AVR_CRT_SRC := hal/atmega32u4/crt_avr.c
AVR_CRT_OBJ := $(AVR_OBJDIR)/crt_avr.o
AVR_SRC := $(filter-out $(AVR_CRT_SRC),$(wildcard hal/atmega32u4/*.c)) $(wildcard core/*.c) \
           $(wildcard usb/*.c) $(wildcard fw/*.c)

# Code size first (measured on this image with make avr-bench; scan and engine cycles did not move):
# no inlining of small functions, no jump tables, X only as a pointer, loop invariants left in
# place (-690 B). No dominator optimisations: -118 B on the image with layer lock in (which then
# keeps 256 B free), for +0.8 % engine cycles per key event (3,438 -> 3,467). Of a sweep of ~90
# other flags (-fno-ipa-sra, -finline-limit, --param max-inline-insns-*, -fno-caller-saves,
# -fwhole-program, -mno-call-prologues, ...) none saved more than a few dozen bytes on this image.
AVR_SIZE_FLAGS := -fno-inline-small-functions -fno-jump-tables -mstrict-X -fno-move-loop-invariants \
                  -fno-tree-dominator-opts
AVR_BUILD_ID := $(shell git describe --always --dirty 2>/dev/null | cut -c1-23 || echo unknown)
AVR_CFLAGS_COMMON := -mmcu=$(AVR_MCU) -Os -g \
              -std=c11 $(WARN) -I. -I$(BUILD)/gen -ffunction-sections -fdata-sections -flto \
              -DUSB_QUEUE_LEN=6u -DUSB_STRING_MAX=24u -DDEBOUNCE_MAX_POS=169u -DFW_SCAN_PERIOD_US=0u \
              -fshort-enums -fno-strict-aliasing -mcall-prologues $(AVR_SIZE_FLAGS)
AVR_LDFLAGS := -mmcu=$(AVR_MCU) -nostartfiles -Os -flto -flto-partition=one -ffunction-sections \
               -Wl,--gc-sections -mcall-prologues -mrelax $(AVR_SIZE_FLAGS)
AVR_OBJDUMP := avr-objdump
comma       := ,
AVR_ORDER   := $(BUILD)/emu/avr-order

# Two links: the first, with a map, tells scripts/avr-order which functions call which; the second
# places them so that most calls are within the 2-byte RCALL/RJMP's reach (the linker's relaxation
# shortens those). One LTO partition keeps the functions' names the same in both links.
# $(1) = objects, $(2) = extra link flags, $(3) = work folder, $(4) = the ELF
define avr_link_ordered
	@mkdir -p $(3)
	$(AVR_CC) $(AVR_LDFLAGS) $(2) $(1) -o $(3)/pass1.elf -Wl,-Map=$(3)/pass1.map -Wl,--verbose >$(3)/pass1.ld
	$(AVR_OBJDUMP) -d $(3)/pass1.elf >$(3)/pass1.dis
	$(AVR_ORDER) $(3)/pass1.map $(3)/pass1.dis "$$(sed -n 's/^opened script file //p' $(3)/pass1.ld | tail -n 1)" $(3)/order.x
	$(AVR_CC) $(AVR_LDFLAGS) $(2) $(1) -o $(4) -T $(3)/order.x
endef

$(AVR_ORDER): scripts/avr-order.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CSTD) $(WARN) -O2 $< -o $@ -lm
# The config region's size for the firmware info block (hal/atmega32u4/hal_avr.c).
AVR_CFG_SYM := -Wl,--defsym=__kestrel_cfg_max=$(AVR_APP_END)-__data_load_end

# Two clocks, two images from the same sources: 16 MHz (Pro Micro 5 V, Elite-C, Teensy 2.0) and
# 8 MHz (Pro Micro 3.3 V). The clock decides the PLL input divider and every timing constant.
# $(1) = suffix of the image name, $(2) = F_CPU, $(3) = object directory, $(4) = extra flags
# (the behaviour switches of the further images)
define avr_image
# Objects are rebuilt when the flags change (RAM-sizing macros live in them).
$(3)/.flags: FORCE
	@mkdir -p $$(dir $$@)
	@echo '$$(AVR_CFLAGS_COMMON) $(2) $(4)' | cmp -s - $$@ || echo '$$(AVR_CFLAGS_COMMON) $(2) $(4)' > $$@

$(3)/%.o: %.c $(3)/.flags
	@mkdir -p $$(dir $$@)
	$$(AVR_CC) $$(AVR_CFLAGS_COMMON) -DF_CPU=$(2) $(4) $$(if $$(filter hal/atmega32u4/hal_avr.c,$$<),-DKESTREL_BUILD_ID='"$$(AVR_BUILD_ID)"') -MMD -MP -c $$< -o $$@

# The link fails when code + .data initialisers leave less than AVR_CFG_MIN bytes for the config:
# the flash map is a contract with `kestrel build`, not a suggestion.
$$(AVR_OUT)/kestrel-atmega32u4$(1).elf: $$(patsubst %.c,$(3)/%.o,$$(AVR_SRC)) $$(AVR_CRT_OBJ) $$(AVR_ORDER)
	@mkdir -p $$(dir $$@)
	$$(call avr_link_ordered,$$(filter %.o,$$^),$$(AVR_CFG_SYM),$(3)/link,$$@)
	@end=$$$$($$(AVR_NM) $$@ | awk '$$$$3=="__data_load_end"{print $$$$1}'); \
	 if [ $$$$((0x$$$$end + $$(AVR_CFG_MIN))) -gt $$$$(($$(AVR_APP_END))) ]; then \
	   echo "$$@: code ends at 0x$$$$end, which leaves less than $$(AVR_CFG_MIN) bytes for the config" \
	        "below $$(AVR_APP_END): the ATmega32U4 image is over its flash budget" \
	        "(docs/boards/atmega32u4.md, flash map). Make the code smaller." >&2; \
	   rm -f $$@; exit 1; fi
endef

# The fallback config, generated on the host with the config writer the tool uses.
$(BUILD)/gen/avr_fallback.inc: hal/atmega32u4/host/gen_fallback.c $(BUILD)/host/config/image_write.o $(BUILD)/host/core/cfg.o
	@mkdir -p $(dir $@) $(BUILD)/emu
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $(BUILD)/emu/avr-gen-fallback
	$(BUILD)/emu/avr-gen-fallback $@
$(AVR_OBJDIR)/hal/atmega32u4/fallback_avr.o $(AVR_OBJDIR)-8mhz/hal/atmega32u4/fallback_avr.o: $(BUILD)/gen/avr_fallback.inc

$(eval $(call avr_image,,16000000UL,$(AVR_OBJDIR)))
$(eval $(call avr_image,-8mhz,8000000UL,$(AVR_OBJDIR)-8mhz))

# The further images (core/features.h ENGINE_AVR_IMAGE_<NAME>: the behaviours each holds), for
# keymaps that use what the main image leaves out; `kestrel build` picks among them
# (config/avr_images.c). kestrel-atmega32u4-<name>[-8mhz].{elf,hex,bin}.
AVR_ALL_FEATURES := $(filter-out DRIVE_KEY,$(shell sed -n 's/^\#ifndef ENGINE_HAS_\([A-Z0-9_]*\).*/\1/p' core/features.h))
AVR_VARIANTS := $(shell sed -n 's/^\#define ENGINE_AVR_IMAGE_\([A-Z0-9_]*\) .*/\1/p' core/features.h)
avr_lc = $(shell echo $(1) | tr A-Z_ a-z-)
avr_variant_has = $(shell sed -n 's/^\#define ENGINE_AVR_IMAGE_$(1) *"\(.*\)".*/\1/p' core/features.h)
avr_variant_flags = $(foreach f,$(AVR_ALL_FEATURES),-DENGINE_HAS_$(f)=$(if $(filter $(f),$(call avr_variant_has,$(1))),1,0))
$(foreach v,$(AVR_VARIANTS),\
  $(eval $(call avr_image,-$(call avr_lc,$(v)),16000000UL,$(AVR_OBJDIR)-$(call avr_lc,$(v)),$(call avr_variant_flags,$(v))))\
  $(eval $(call avr_image,-$(call avr_lc,$(v))-8mhz,8000000UL,$(AVR_OBJDIR)-$(call avr_lc,$(v))-8mhz,$(call avr_variant_flags,$(v))))\
  $(eval $(AVR_OBJDIR)-$(call avr_lc,$(v))/hal/atmega32u4/fallback_avr.o $(AVR_OBJDIR)-$(call avr_lc,$(v))-8mhz/hal/atmega32u4/fallback_avr.o: $(BUILD)/gen/avr_fallback.inc))
AVR_VARIANT_NAMES := $(foreach v,$(AVR_VARIANTS),-$(call avr_lc,$(v)) -$(call avr_lc,$(v))-8mhz)

# The image with every issue-9 behaviour (ENGINE_AVR_IMAGE_ALL) is a shipped one like the others,
# with the same link check; issue 9 wants the ATmega32U4 to "still fit with all of it", and its
# size is the "with every issue-9 behaviour" line of `make avr-bench`.
AVR_ALL_ELF := $(AVR_OUT)/kestrel-atmega32u4-all.elf

$(AVR_CRT_OBJ): $(AVR_CRT_SRC)
	@mkdir -p $(dir $@)
	$(AVR_CC) -mmcu=$(AVR_MCU) -Os -std=c11 $(WARN) -c $< -o $@

$(AVR_OUT)/%.hex: $(AVR_OUT)/%.elf
	$(AVR_OBJCOPY) -O ihex -R .eeprom -R .fuse -R .lock -R .signature $< $@

$(AVR_OUT)/%.bin: $(AVR_OUT)/%.elf
	$(AVR_OBJCOPY) -O binary -R .eeprom -R .fuse -R .lock -R .signature $< $@

AVR_IMAGES := $(addprefix $(AVR_OUT)/kestrel-atmega32u4,.elf .hex .bin -8mhz.elf -8mhz.hex) \
              $(foreach n,$(AVR_VARIANT_NAMES),$(addprefix $(AVR_OUT)/kestrel-atmega32u4$(n),.elf .hex .bin))

# The harness is host code linking Debian's libsimavr; it reads config images with core/cfg.c.
SIMAVR_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags simavr 2>/dev/null || echo -I/usr/include/simavr))
SIMAVR_LIBS   := $(shell pkg-config --libs simavr 2>/dev/null || echo -lsimavr) -lelf
HARNESS_SRC   := $(wildcard emu/avr/*.c) core/cfg.c
HARNESS_OBJ   := $(patsubst %.c,$(BUILD)/emu/obj/%.o,$(HARNESS_SRC))

$(BUILD)/emu/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CSTD) $(WARN) -O2 -g $(INC) $(SIMAVR_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/emu/avr-harness: $(HARNESS_OBJ)
	$(HOSTCC) $^ -o $@ $(SIMAVR_LIBS)

# The firmware in simavr: enumeration, malformed requests, bootloader entry, suspend/wake-up and
# the scenario suite (tests/avr/run.sh; exclusions with reasons in tests/avr/EXCLUDED).
avr-test: $(BUILD)/kestrel $(BUILD)/emu/avr-harness $(AVR_IMAGES)
	@tests/avr/run.sh $(BUILD)/kestrel $(BUILD)/emu/avr-harness $(AVR_OUT)/kestrel-atmega32u4.hex

.PHONY: avr avr-test avr-bench FORCE
FORCE:
avr: $(AVR_IMAGES) $(BUILD)/emu/avr-harness

# The size lines read the ELFs; the latency line builds a keymap with kestrel, which takes the
# images' .bin files, so those are prerequisites too (else a stale .bin is what gets measured).
AVR_BENCH_ELFS := $(AVR_OUT)/kestrel-atmega32u4.elf $(AVR_OUT)/kestrel-atmega32u4-8mhz.elf \
                  $(filter-out $(AVR_ALL_ELF),$(foreach v,$(AVR_VARIANTS),$(AVR_OUT)/kestrel-atmega32u4-$(call avr_lc,$(v)).elf))
avr-bench: $(AVR_BENCH_ELFS) $(AVR_ALL_ELF) $(AVR_IMAGES) $(BUILD)/kestrel $(BUILD)/emu/avr-harness
	@AVR_APP_END=$(AVR_APP_END) AVR_CFG_MIN=$(AVR_CFG_MIN) bench/avr-size.sh $(AVR_BENCH_ELFS) --all $(AVR_ALL_ELF)
	@bench/avr-latency.sh $(BUILD)/kestrel $(BUILD)/emu/avr-harness

ALL_TARGETS   += $(AVR_IMAGES) $(BUILD)/emu/avr-harness
BENCH_TARGETS += avr-bench
TEST_TARGETS  += avr-test
