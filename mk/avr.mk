# ATmega32U4: the generic firmware image and the simavr harness.
#
#   build/fw/atmega32u4/kestrel-atmega32u4.{elf,hex,bin}   generic image (no keyboard in it)
#   build/emu/avr-harness                                   simavr USB-host harness (host code)

AVR_CC      := avr-gcc
AVR_OBJCOPY := avr-objcopy
AVR_SIZE    := avr-size
AVR_NM      := avr-nm
AVR_MCU     := atmega32u4
AVR_F_CPU   ?= 16000000UL
AVR_CFG_ADDR := 0x6000
AVR_OUT     := $(BUILD)/fw/atmega32u4
AVR_OBJDIR  := $(BUILD)/avr

# Every portable layer the firmware is made of, plus this chip's hal. --gc-sections and LTO drop
# what the firmware does not call.
AVR_SRC := $(wildcard hal/atmega32u4/*.c) $(wildcard core/*.c) $(wildcard usb/*.c) $(wildcard fw/*.c)
AVR_OBJ := $(patsubst %.c,$(AVR_OBJDIR)/%.o,$(AVR_SRC))

AVR_CFLAGS := -mmcu=$(AVR_MCU) -DF_CPU=$(AVR_F_CPU) -DHAL_AVR_CFG_ADDR=$(AVR_CFG_ADDR)u -Os -g \
              -std=c11 $(WARN) -I. -ffunction-sections -fdata-sections -flto \
              -fshort-enums -fno-strict-aliasing -mcall-prologues
AVR_LDFLAGS := -mmcu=$(AVR_MCU) -Os -flto -Wl,--gc-sections -mcall-prologues

$(AVR_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(AVR_CC) $(AVR_CFLAGS) -MMD -MP -c $< -o $@

# The link fails when code + .data initialisers reach the config region: the flash map is a
# contract with `kestrel build`, not a suggestion.
$(AVR_OUT)/kestrel-atmega32u4.elf: $(AVR_OBJ)
	@mkdir -p $(dir $@)
	$(AVR_CC) $(AVR_LDFLAGS) $^ -o $@
	@end=$$($(AVR_NM) $@ | awk '$$3=="__data_load_end"{print $$1}'); \
	 if [ $$((0x$$end)) -gt $$(($(AVR_CFG_ADDR))) ]; then \
	   echo "$@: code ends at 0x$$end, past the config region at $(AVR_CFG_ADDR)" >&2; rm -f $@; exit 1; fi

$(AVR_OUT)/%.hex: $(AVR_OUT)/%.elf
	$(AVR_OBJCOPY) -O ihex -R .eeprom -R .fuse -R .lock -R .signature $< $@

$(AVR_OUT)/%.bin: $(AVR_OUT)/%.elf
	$(AVR_OBJCOPY) -O binary -R .eeprom -R .fuse -R .lock -R .signature $< $@

AVR_IMAGES := $(addprefix $(AVR_OUT)/kestrel-atmega32u4,.elf .hex .bin)

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

avr-bench: $(AVR_OUT)/kestrel-atmega32u4.elf
	@scripts/avr-size-line $< 2>/dev/null || \
	 $(AVR_SIZE) -A $< | awk '/^\.text|^\.data|^\.bss|^\.noinit/{s[$$1]=$$2} END{printf "atmega32u4: flash %d B of 28672 (%.1f%%), RAM %d B of 2560 static\n", s[".text"]+s[".data"], (s[".text"]+s[".data"])*100/28672, s[".data"]+s[".bss"]+s[".noinit"]}'

ALL_TARGETS   += $(AVR_IMAGES) $(BUILD)/emu/avr-harness
BENCH_TARGETS += avr-bench
