# The simulator (kestrel sim / kestrel test): the scenario suite and the scenario-syntax error
# corpus on the ASan/UBSan build, and the host demo (check + sim an example keyboard typing).

.PHONY: test-scenarios test-scenario-errors demo-host
test-scenarios: $(BUILD)/san/kestrel
	@tests/scenarios/run.sh $(BUILD)/san/kestrel
test-scenario-errors: $(BUILD)/san/kestrel
	@tests/scenario_errors/run.sh $(BUILD)/san/kestrel
	@tests/scenario_errors/cli.sh $(BUILD)/san/kestrel
TEST_TARGETS += test-scenarios test-scenario-errors

demo-host: $(BUILD)/kestrel
	@tests/demo/hello.sh $(BUILD)/kestrel
DEMO_TARGETS += demo-host

# Fuzzing the scenario and report-line parsers (libFuzzer, clang):
#   make fuzz-scenario           fuzz for FUZZ_SCN_TIME seconds (default 120), corpus in build/
#   make fuzz-scenario-smoke     10,000 deterministic runs seeded with the scenario suite; in make test
FUZZ_SCN_BIN    := $(BUILD)/fuzz/fuzz_scenario
FUZZ_SCN_CORPUS := $(BUILD)/fuzz/corpus-scenario
FUZZ_SCN_TIME   ?= 120
FUZZ_SCN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
                   -fno-sanitize-recover=all -fno-omit-frame-pointer $(INC)
FUZZ_SCN_SRC    := tests/fuzz/fuzz_scenario.c tools/scenario.c tools/report_fmt.c \
                   config/keycode.c config/keycode_names.c core/hid_usage.c

$(FUZZ_SCN_BIN): $(FUZZ_SCN_SRC) tools/scenario.h tools/report_fmt.h config/keycode.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_SCN_CFLAGS) $(FUZZ_SCN_SRC) -o $@

.PHONY: fuzz-scenario fuzz-scenario-smoke
fuzz-scenario: $(FUZZ_SCN_BIN)
	@mkdir -p $(FUZZ_SCN_CORPUS)
	$(FUZZ_SCN_BIN) -max_total_time=$(FUZZ_SCN_TIME) -max_len=2048 -print_final_stats=1 \
	    $(FUZZ_SCN_CORPUS) tests/scenarios tests/scenario_errors

fuzz-scenario-smoke: $(FUZZ_SCN_BIN)
	@rm -rf $(BUILD)/fuzz/smoke-scenario && mkdir -p $(BUILD)/fuzz/smoke-scenario
	@$(FUZZ_SCN_BIN) -runs=10000 -seed=1 -max_len=2048 $(BUILD)/fuzz/smoke-scenario \
	    tests/scenarios tests/scenario_errors 2>$(BUILD)/fuzz/smoke-scenario.log \
	    || { tail -40 $(BUILD)/fuzz/smoke-scenario.log; exit 1; }
	@echo "fuzz-scenario-smoke: 10000 runs, no crash"
TEST_TARGETS += fuzz-scenario-smoke
