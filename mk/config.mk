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
