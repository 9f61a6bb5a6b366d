# The keycode language: its libFuzzer target.
#
#   make fuzz-keycode            fuzz for FUZZ_KC_TIME seconds (default 120), corpus in build/
#   make fuzz-keycode-smoke      10,000 deterministic runs; part of `make test`

FUZZ_KC_BIN    := $(BUILD)/fuzz/fuzz_keycode
FUZZ_KC_CORPUS := $(BUILD)/fuzz/corpus-keycode
FUZZ_KC_TIME   ?= 120
FUZZ_KC_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
                  -fno-sanitize-recover=all -fno-omit-frame-pointer $(INC)
FUZZ_KC_SRC    := tests/fuzz/fuzz_keycode.c config/keycode.c config/keycode_names.c

$(FUZZ_KC_BIN): $(FUZZ_KC_SRC) config/keycode.h config/keycode_names.h core/keycodes.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_KC_CFLAGS) $(FUZZ_KC_SRC) -o $@

# libFuzzer adds new inputs to its first corpus directory: keep that one under build/, and read
# the committed seeds from the second.
.PHONY: fuzz-keycode fuzz-keycode-smoke
fuzz-keycode: $(FUZZ_KC_BIN)
	@mkdir -p $(FUZZ_KC_CORPUS)
	$(FUZZ_KC_BIN) -max_total_time=$(FUZZ_KC_TIME) -max_len=256 -dict=tests/fuzz/keycode.dict \
	    -print_final_stats=1 $(FUZZ_KC_CORPUS) tests/fuzz/corpus/keycode

fuzz-keycode-smoke: $(FUZZ_KC_BIN)
	@rm -rf $(BUILD)/fuzz/smoke-keycode && mkdir -p $(BUILD)/fuzz/smoke-keycode
	@$(FUZZ_KC_BIN) -runs=10000 -seed=1 -max_len=256 -dict=tests/fuzz/keycode.dict \
	    $(BUILD)/fuzz/smoke-keycode tests/fuzz/corpus/keycode 2>$(BUILD)/fuzz/smoke-keycode.log \
	    || { tail -40 $(BUILD)/fuzz/smoke-keycode.log; exit 1; }
	@echo "fuzz-keycode-smoke: 10000 runs, no crash"

TEST_TARGETS += fuzz-keycode-smoke
