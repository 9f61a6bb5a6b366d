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
