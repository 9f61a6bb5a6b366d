# ATmega32U4: the generic firmware image and the simavr harness.
#
#   build/fw/atmega32u4/kestrel-atmega32u4.{elf,hex,bin}   generic image (no keyboard in it)
#   build/emu/avr-harness                                   simavr USB-host harness (host code)

AVR_CC      := avr-gcc
AVR_OBJCOPY := avr-objcopy
AVR_SIZE    := avr-size
AVR_NM      := avr-nm
AVR_MCU     := atmega32u4
AVR_CFG_ADDR := 0x6000
AVR_OUT     := $(BUILD)/fw/atmega32u4
AVR_OBJDIR  := $(BUILD)/avr

# Every portable layer the firmware is made of, plus this chip's hal. --gc-sections and LTO drop
# what the firmware does not call.
AVR_SRC := $(wildcard hal/atmega32u4/*.c) $(wildcard core/*.c)
# usb/ and fw/ now hold the shared stack and main loop (rp2040 engineer); they define the usbd_*
# callbacks and fw_run() that hal/atmega32u4/bringup_main.c still defines for itself. Switch
# them on here together with dropping the bring-up main (fw/hal.h lists what fw/ needs).
AVR_PORTABLE_SRC := $(wildcard usb/*.c) $(wildcard fw/*.c)

AVR_BUILD_ID := $(shell git describe --always --dirty 2>/dev/null | cut -c1-23 || echo unknown)
AVR_CFLAGS_COMMON := -mmcu=$(AVR_MCU) -DHAL_AVR_CFG_ADDR=$(AVR_CFG_ADDR)u -Os -g \
              -DKESTREL_BUILD_ID='"$(AVR_BUILD_ID)"' \
              -std=c11 $(WARN) -I. -ffunction-sections -fdata-sections -flto \
              -fshort-enums -fno-strict-aliasing -mcall-prologues
AVR_LDFLAGS := -mmcu=$(AVR_MCU) -Os -flto -Wl,--gc-sections -mcall-prologues

# Two clocks, two images from the same sources: 16 MHz (Pro Micro 5 V, Elite-C, Teensy 2.0) and
# 8 MHz (Pro Micro 3.3 V). The clock decides the PLL input divider and every timing constant.
# $(1) = suffix of the image name, $(2) = F_CPU, $(3) = object directory
define avr_image
$(3)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(AVR_CC) $$(AVR_CFLAGS_COMMON) -DF_CPU=$(2) -MMD -MP -c $$< -o $$@

# The link fails when code + .data initialisers reach the config region: the flash map is a
# contract with `kestrel build`, not a suggestion.
$$(AVR_OUT)/kestrel-atmega32u4$(1).elf: $$(patsubst %.c,$(3)/%.o,$$(AVR_SRC))
	@mkdir -p $$(dir $$@)
	$$(AVR_CC) $$(AVR_LDFLAGS) $$^ -o $$@
	@end=$$$$($$(AVR_NM) $$@ | awk '$$$$3=="__data_load_end"{print $$$$1}'); \
	 if [ $$$$((0x$$$$end)) -gt $$$$(($$(AVR_CFG_ADDR))) ]; then \
	   echo "$$@: code ends at 0x$$$$end, past the config region at $$(AVR_CFG_ADDR)" >&2; rm -f $$@; exit 1; fi
endef

$(eval $(call avr_image,,16000000UL,$(AVR_OBJDIR)))
$(eval $(call avr_image,-8mhz,8000000UL,$(AVR_OBJDIR)-8mhz))

$(AVR_OUT)/%.hex: $(AVR_OUT)/%.elf
	$(AVR_OBJCOPY) -O ihex -R .eeprom -R .fuse -R .lock -R .signature $< $@

$(AVR_OUT)/%.bin: $(AVR_OUT)/%.elf
	$(AVR_OBJCOPY) -O binary -R .eeprom -R .fuse -R .lock -R .signature $< $@

AVR_IMAGES := $(addprefix $(AVR_OUT)/kestrel-atmega32u4,.elf .hex .bin -8mhz.elf -8mhz.hex)

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

.PHONY: avr avr-test avr-bench
avr: $(AVR_IMAGES) $(BUILD)/emu/avr-harness

avr-bench: $(AVR_OUT)/kestrel-atmega32u4.elf $(AVR_OUT)/kestrel-atmega32u4-8mhz.elf
	@AVR_CFG_ADDR=$(AVR_CFG_ADDR) bench/avr-size.sh $^

ALL_TARGETS   += $(AVR_IMAGES) $(BUILD)/emu/avr-harness
BENCH_TARGETS += avr-bench
