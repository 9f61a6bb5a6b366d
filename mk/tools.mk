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

# Fuzzing the image readers (libFuzzer, clang):
#   make fuzz-images          fuzz for FUZZ_IMG_TIME seconds (default 120)
#   make fuzz-images-smoke    10,000 deterministic runs from the info corpus; part of `make test`
FUZZ_IMG_BIN    := $(BUILD)/fuzz/fuzz_images
FUZZ_IMG_SEED   := $(BUILD)/fuzz/seed-images
FUZZ_IMG_TIME   ?= 120
FUZZ_IMG_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
                   -fno-sanitize-recover=all -fno-omit-frame-pointer $(INC)
FUZZ_IMG_SRC    := tests/info/fuzz_images.c tools/uf2.c tools/ihex.c tools/memimg.c tools/fwimage.c core/cfg.c

$(FUZZ_IMG_BIN): $(FUZZ_IMG_SRC) tools/uf2.h tools/ihex.h tools/memimg.h tools/fwimage.h core/cfg.h core/fwinfo.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_IMG_CFLAGS) $(FUZZ_IMG_SRC) -o $@

# Seeds: the sound and corrupted images of the info corpus (the .json files are dropped).
$(FUZZ_IMG_SEED)/.stamp: $(BUILD)/san/tests/info/gen_corpus
	@rm -rf $(FUZZ_IMG_SEED) && mkdir -p $(FUZZ_IMG_SEED)
	@$< $(FUZZ_IMG_SEED) && rm -rf $(FUZZ_IMG_SEED)/fw $(FUZZ_IMG_SEED)/*.json $(FUZZ_IMG_SEED)/expect.txt
	@touch $@

.PHONY: fuzz-images fuzz-images-smoke
fuzz-images: $(FUZZ_IMG_BIN) $(FUZZ_IMG_SEED)/.stamp
	@mkdir -p $(BUILD)/fuzz/corpus-images
	$(FUZZ_IMG_BIN) -max_total_time=$(FUZZ_IMG_TIME) -max_len=40000 -print_final_stats=1 \
	    $(BUILD)/fuzz/corpus-images $(FUZZ_IMG_SEED)

fuzz-images-smoke: $(FUZZ_IMG_BIN) $(FUZZ_IMG_SEED)/.stamp
	@rm -rf $(BUILD)/fuzz/smoke-images && mkdir -p $(BUILD)/fuzz/smoke-images
	@$(FUZZ_IMG_BIN) -runs=10000 -seed=1 -max_len=40000 $(BUILD)/fuzz/smoke-images $(FUZZ_IMG_SEED) \
	    2>$(BUILD)/fuzz/smoke-images.log || { tail -40 $(BUILD)/fuzz/smoke-images.log; exit 1; }
	@echo "fuzz-images-smoke: 10000 runs, no crash"

TEST_TARGETS += fuzz-images-smoke
