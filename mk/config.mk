# The keymap language (config/): builtin keyboards compiled into the tool, the error corpus,
# the QMK corpus check, the config fuzzer.

BUILTIN_KB := keyboards/test4x10/keyboard.json keyboards/test4x10_avr/keyboard.json

# builtin:NAME keyboards, embedded as C strings so they work from any directory.
$(BUILD)/gen/builtin_keyboards.c: $(BUILTIN_KB) mk/config.mk
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from $(BUILTIN_KB) by mk/config.mk; do not edit. */'; \
	   echo '#include "config/load.h"'; \
	   for f in $(BUILTIN_KB); do \
	     n=$$(basename $$(dirname $$f)); \
	     echo "static const char kb_$$n[] ="; \
	     sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' $$f; \
	     echo ';'; \
	   done; \
	   echo 'const cfg_builtin_t cfg_builtins[] = {'; \
	   for f in $(BUILTIN_KB); do \
	     n=$$(basename $$(dirname $$f)); \
	     echo "    {\"$$n\", kb_$$n, sizeof kb_$$n - 1},"; \
	   done; \
	   echo '    {0, 0, 0}'; \
	   echo '};'; } > $@.tmp && mv $@.tmp $@

GEN_SRC += $(BUILD)/gen/builtin_keyboards.c

# The error corpus (every broken file is rejected with its expected message) and the real QMK
# corpus (every supported keyboard passes), both through the sanitised tool.
.PHONY: test-config-errors test-config-corpus
test-config-errors: $(BUILD)/san/kestrel
	@tests/errors/run.sh $(BUILD)/san/kestrel
test-config-corpus: $(BUILD)/san/kestrel
	@tests/corpus/run.sh $(BUILD)/san/kestrel
TEST_TARGETS += test-config-errors test-config-corpus

# The config fuzzer: bytes -> keyboard + keymap (+ override) -> model -> image -> cfg_open.
#   make fuzz-config          fuzz for FUZZ_CFG_TIME seconds (default 180), corpus in build/
#   make fuzz-config-smoke    a short deterministic run (part of `make test`)
FUZZ_CFG_BIN    := $(BUILD)/fuzz/fuzz_config
FUZZ_CFG_CORPUS := $(BUILD)/fuzz/corpus-config
FUZZ_CFG_SEEDS  := $(BUILD)/fuzz/seeds-config
FUZZ_CFG_TIME   ?= 180
FUZZ_CFG_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
                   -fno-sanitize-recover=all -fno-omit-frame-pointer $(INC)
FUZZ_CFG_SRC    := tests/fuzz/fuzz_config.c core/cfg.c $(wildcard config/*.c) \
                   $(BUILD)/gen/builtin_keyboards.c

$(FUZZ_CFG_BIN): $(FUZZ_CFG_SRC) $(wildcard config/*.h core/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFG_CFLAGS) $(FUZZ_CFG_SRC) -o $@

# Seeds: every error-corpus case and example keyboard as keyboard NUL keymap, and the keymaps of
# tests/fuzz/seeds/ (valid shapes no example has yet) for builtin:test4x10.
$(FUZZ_CFG_SEEDS)/.stamp: $(wildcard tests/errors/*/*.json keyboards/*/*.json tests/fuzz/seeds/*.json)
	@rm -rf $(FUZZ_CFG_SEEDS) && mkdir -p $(FUZZ_CFG_SEEDS)
	@for d in tests/errors/*/ keyboards/*/; do \
	   n=$$(basename $$d); kb=$$d/keyboard.json; km=$$d/keymap.json; \
	   [ -f $$kb ] || kb=keyboards/test4x10/keyboard.json; [ -f $$km ] || continue; \
	   { cat $$kb; printf '\000'; cat $$km; } > $(FUZZ_CFG_SEEDS)/$$n; \
	 done
	@cp keyboards/test4x10/keymap.json $(FUZZ_CFG_SEEDS)/keymap-only
	@for f in tests/fuzz/seeds/*.json; do cp $$f $(FUZZ_CFG_SEEDS)/seed-$$(basename $$f .json); done
	@touch $@

.PHONY: fuzz-config fuzz-config-smoke
fuzz-config: $(FUZZ_CFG_BIN) $(FUZZ_CFG_SEEDS)/.stamp
	@mkdir -p $(FUZZ_CFG_CORPUS)
	$(FUZZ_CFG_BIN) -max_total_time=$(FUZZ_CFG_TIME) -max_len=16384 -dict=tests/fuzz/config.dict \
	    -print_final_stats=1 $(FUZZ_CFG_CORPUS) $(FUZZ_CFG_SEEDS)

fuzz-config-smoke: $(FUZZ_CFG_BIN) $(FUZZ_CFG_SEEDS)/.stamp
	@rm -rf $(BUILD)/fuzz/smoke-config && mkdir -p $(BUILD)/fuzz/smoke-config
	@$(FUZZ_CFG_BIN) -runs=3000 -seed=1 -max_len=16384 -dict=tests/fuzz/config.dict \
	    $(BUILD)/fuzz/smoke-config $(FUZZ_CFG_SEEDS) 2>$(BUILD)/fuzz/smoke-config.log \
	    || { tail -40 $(BUILD)/fuzz/smoke-config.log; exit 1; }
	@echo "fuzz-config-smoke: 3000 runs after the seeds, no crash"

TEST_TARGETS += fuzz-config-smoke

# Every example keyboard (keyboards/*) with its default keymap (test4x10's when it has none)
# passes check.
.PHONY: test-config-examples
test-config-examples: $(BUILD)/san/kestrel
	@set -e; for k in keyboards/*/; do \
	   km=$$k/keymap.json; [ -f $$km ] || km=keyboards/test4x10/keymap.json; \
	   $(BUILD)/san/kestrel check -q --keyboard $$k $$km 2>/dev/null \
	     || { $(BUILD)/san/kestrel check --keyboard $$k $$km; exit 1; }; \
	 done; echo "example keyboards: all pass check"
TEST_TARGETS += test-config-examples
