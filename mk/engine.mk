# The engine: its libFuzzer target and its benchmark.
#
#   make fuzz-engine          fuzz for FUZZ_ENGINE_TIME seconds (default 180), corpus in build/
#   make fuzz-engine-smoke    10,000 deterministic runs; part of `make test`
#   make fuzz-image-engine    the engine on edited config images that pass cfg_open, for
#                             FUZZ_ENGINE_TIME seconds; fuzz-image-engine-smoke: part of `make test`
#   make bench-engine         instructions per key event under callgrind (first `make bench` line)

FUZZ_ENGINE_BIN    := $(BUILD)/fuzz/fuzz_engine
FUZZ_ENGINE_CORPUS := $(BUILD)/fuzz/corpus-engine
# Inputs that once failed (one file each, named for the bug), read after the build/ corpus, which
# libFuzzer writes new inputs to.
FUZZ_ENGINE_SEEDS  := tests/fuzz/corpus/engine
FUZZ_ENGINE_TIME   ?= 180
FUZZ_ENGINE_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
                      -fno-sanitize-recover=all -fno-omit-frame-pointer $(INC)
ENGINE_CORE_SRC    := $(wildcard core/*.c)
FUZZ_ENGINE_SRC    := tests/fuzz/fuzz_engine.c $(ENGINE_CORE_SRC) config/image_write.c

$(FUZZ_ENGINE_BIN): $(FUZZ_ENGINE_SRC) $(wildcard core/*.h) tests/unit/property_keymap.h config/model.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_ENGINE_CFLAGS) $(FUZZ_ENGINE_SRC) -o $@

.PHONY: fuzz-engine fuzz-engine-smoke
fuzz-engine: $(FUZZ_ENGINE_BIN)
	@mkdir -p $(FUZZ_ENGINE_CORPUS)
	$(FUZZ_ENGINE_BIN) -max_total_time=$(FUZZ_ENGINE_TIME) -max_len=512 -print_final_stats=1 \
	    $(FUZZ_ENGINE_CORPUS) $(FUZZ_ENGINE_SEEDS)

fuzz-engine-smoke: $(FUZZ_ENGINE_BIN)
	@rm -rf $(BUILD)/fuzz/smoke-engine && mkdir -p $(BUILD)/fuzz/smoke-engine
	@$(FUZZ_ENGINE_BIN) -runs=10000 -seed=1 -max_len=512 $(BUILD)/fuzz/smoke-engine $(FUZZ_ENGINE_SEEDS) \
	    2>$(BUILD)/fuzz/smoke-engine.log || { tail -40 $(BUILD)/fuzz/smoke-engine.log; exit 1; }
	@echo "fuzz-engine-smoke: 10000 runs, no failure"

TEST_TARGETS += fuzz-engine-smoke

# The engine on config images the loader never wrote (tests/fuzz/fuzz_image_engine.c).
FUZZ_IMGENG_BIN    := $(BUILD)/fuzz/fuzz_image_engine
FUZZ_IMGENG_CORPUS := $(BUILD)/fuzz/corpus-image-engine
FUZZ_IMGENG_SEEDS  := tests/fuzz/corpus/image-engine
FUZZ_IMGENG_SRC    := tests/fuzz/fuzz_image_engine.c $(ENGINE_CORE_SRC) config/image_write.c

$(FUZZ_IMGENG_BIN): $(FUZZ_IMGENG_SRC) $(wildcard core/*.h) tests/unit/property_keymap.h config/model.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_ENGINE_CFLAGS) $(FUZZ_IMGENG_SRC) -o $@

.PHONY: fuzz-image-engine fuzz-image-engine-smoke
fuzz-image-engine: $(FUZZ_IMGENG_BIN)
	@mkdir -p $(FUZZ_IMGENG_CORPUS)
	$(FUZZ_IMGENG_BIN) -max_total_time=$(FUZZ_ENGINE_TIME) -max_len=512 -print_final_stats=1 \
	    $(FUZZ_IMGENG_CORPUS) $(FUZZ_IMGENG_SEEDS)

fuzz-image-engine-smoke: $(FUZZ_IMGENG_BIN)
	@rm -rf $(BUILD)/fuzz/smoke-image-engine && mkdir -p $(BUILD)/fuzz/smoke-image-engine
	@$(FUZZ_IMGENG_BIN) -runs=10000 -seed=1 -max_len=512 $(BUILD)/fuzz/smoke-image-engine $(FUZZ_IMGENG_SEEDS) \
	    2>$(BUILD)/fuzz/smoke-image-engine.log || { tail -40 $(BUILD)/fuzz/smoke-image-engine.log; exit 1; }
	@echo "fuzz-image-engine-smoke: 10000 runs, no failure"

TEST_TARGETS += fuzz-image-engine-smoke

# The benchmark links the optimised host objects of core/ (no sanitizers). It is the first line of
# `make bench`, hence prepended.
ENGINE_BENCH_BIN := $(BUILD)/bench/engine_bench
ENGINE_BENCH_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,bench/engine_bench.c $(wildcard core/*.c) config/image_write.c)

$(ENGINE_BENCH_BIN): $(ENGINE_BENCH_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@

.PHONY: bench-engine
bench-engine: $(ENGINE_BENCH_BIN)
	@bench/engine_bench.sh $(ENGINE_BENCH_BIN)

BENCH_TARGETS := bench-engine $(BENCH_TARGETS)

# The engine with 16-bit time and layer state, as on the ATmega32U4 (core/ktime.h), on the host:
# every scenario (tests/scenarios, including the ones that cross the 16-bit wrap) and the wrap unit
# test run under ASan/UBSan with -DENGINE_TIME_BITS=16 -DENGINE_LAYER_BITS=16.
#   make test-scenarios-16    part of `make test`
SAN16_CFLAGS := $(SAN_CFLAGS) -DENGINE_TIME_BITS=16 -DENGINE_LAYER_BITS=16
SAN16_LIB_OBJ := $(patsubst %.c,$(BUILD)/san16/%.o,$(LIB_SRC) $(GEN_SRC))

$(BUILD)/san16/%.o: %.c | $(GEN_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN16_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/san16/$(BUILD)/%.o: $(BUILD)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN16_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/san16/kestrel: $(BUILD)/san16/tools/main.o $(SAN16_LIB_OBJ)
	$(HOSTCC) $(SAN16_CFLAGS) $^ -o $@ $(HOST_LDLIBS)

$(BUILD)/san16/tests/test_ktime: $(BUILD)/san16/tests/unit/test_ktime.o $(SAN16_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN16_CFLAGS) $^ -o $@ -lcmocka $(HOST_LDLIBS)

.PHONY: test-scenarios-16
test-scenarios-16: $(BUILD)/san16/kestrel $(BUILD)/san16/tests/test_ktime
	@$(BUILD)/san16/tests/test_ktime
	@tests/scenarios/run.sh $(BUILD)/san16/kestrel | sed 's/^scenarios:/scenarios (16-bit time):/'
TEST_TARGETS += test-scenarios-16
