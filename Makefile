# Kestrel — top-level build.
#
#   make          the host tool build/kestrel and every firmware image
#   make test     installs what is missing (scripts/setup), then runs every test
#   make demo     shows the main job
#   make bench    prints the benchmark lines
#
# Each area adds its own targets in mk/<area>.mk and appends them to ALL_TARGETS, TEST_TARGETS,
# BENCH_TARGETS; this file holds only what every area shares.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

BUILD  := build
HOSTCC ?= cc
WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CSTD   := -std=c11 -D_DEFAULT_SOURCE
INC    := -I. -I$(BUILD)/gen

# Two host builds from the same sources: an optimised one for users and benchmarks, and one under
# AddressSanitizer + UBSan that every host test uses.
HOST_CFLAGS := $(CSTD) $(WARN) -O2 -g $(INC)
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS  := $(CSTD) $(WARN) -O1 -g $(SAN_FLAGS) $(INC)

# The host library: everything in core/, config/ and tools/ except the command's main().
LIB_SRC  := $(wildcard core/*.c config/*.c tools/*.c)
LIB_SRC  := $(filter-out tools/main.c,$(LIB_SRC))
GEN_SRC  :=          # generated sources (appended by mk/*.mk)
MAIN_SRC := tools/main.c

ALL_TARGETS   :=
TEST_TARGETS  :=
BENCH_TARGETS :=
DEMO_TARGETS  :=

-include $(sort $(wildcard mk/*.mk))

host_obj = $(patsubst %.c,$(BUILD)/host/%.o,$(1))
san_obj  = $(patsubst %.c,$(BUILD)/san/%.o,$(1))

HOST_LIB_OBJ := $(call host_obj,$(LIB_SRC) $(GEN_SRC))
SAN_LIB_OBJ  := $(call san_obj,$(LIB_SRC) $(GEN_SRC))

$(BUILD)/host/%.o: %.c | $(GEN_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c | $(GEN_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

# Generated sources live under build/; their objects follow the same rules.
$(BUILD)/host/$(BUILD)/%.o: $(BUILD)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/san/$(BUILD)/%.o: $(BUILD)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kestrel: $(call host_obj,$(MAIN_SRC)) $(HOST_LIB_OBJ)
	$(HOSTCC) $(HOST_CFLAGS) $^ -o $@ $(HOST_LDLIBS)

$(BUILD)/san/kestrel: $(call san_obj,$(MAIN_SRC)) $(SAN_LIB_OBJ)
	$(HOSTCC) $(SAN_CFLAGS) $^ -o $@ $(HOST_LDLIBS)

# Unit tests: tests/unit/test_*.c, each its own binary linked with the sanitised host library.
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/san/tests/%,$(UNIT_SRC))
$(BUILD)/san/tests/%: $(BUILD)/san/tests/unit/%.o $(SAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SAN_CFLAGS) $^ -o $@ -lcmocka $(HOST_LDLIBS)

.PHONY: all test demo bench setup unit clean
all: $(BUILD)/kestrel $(ALL_TARGETS)

setup:
	@scripts/setup

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# `make test` first installs what is missing, then builds and runs everything (in a sub-make, so
# that tools installed by setup are found).
test: setup
	@$(MAKE) --no-print-directory test-all

.PHONY: test-all
test-all: all unit $(TEST_TARGETS)
	@echo "all test suites passed"

demo: setup
	@$(MAKE) --no-print-directory demo-all
.PHONY: demo-all
demo-all: $(BUILD)/kestrel $(DEMO_TARGETS)

bench: setup
	@$(MAKE) --no-print-directory bench-all
.PHONY: bench-all
bench-all: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
