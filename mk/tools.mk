# The tools area: UF2 / Intel HEX / BIN, `kestrel build`, `kestrel info`, `kestrel flash`.
#
# `make tools-test` runs the command-line tests (the `kestrel info` corruption corpus, the flash
# command lines and the UF2 drive copy); the unit tests (test_uf2, test_ihex, test_fwimage,
# test_flash) run with everyone else's under `make unit`.

# Bootloader detection talks to USB through libusb-1.0 (Debian libusb-1.0-0-dev).
HOST_LDLIBS += -lusb-1.0

TOOLS_SYNTH := $(BUILD)/san/tests/info/synth.o

# Unit tests that need the synthetic firmware images.
$(BUILD)/san/tests/test_fwimage $(BUILD)/san/tests/test_flash: $(TOOLS_SYNTH)

# SAN_LIB_OBJ is defined after mk/*.mk are read: expand it when the rule is used.
.SECONDEXPANSION:
$(BUILD)/san/tests/info/gen_corpus: $(BUILD)/san/tests/info/gen_corpus.o $(TOOLS_SYNTH) $$(SAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN_CFLAGS) $^ -o $@ $(HOST_LDLIBS)

.PHONY: tools-test
tools-test: $(BUILD)/kestrel $(BUILD)/san/kestrel $(BUILD)/san/tests/info/gen_corpus
	@tests/info/run.sh $(BUILD)
	@tests/info/build.sh $(BUILD)
	@tests/flash/run.sh $(BUILD)

TEST_TARGETS += tools-test
