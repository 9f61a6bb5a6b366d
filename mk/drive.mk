# The keyboard's drive (issue 8): the portable code in drive/ (flash updates, the block cache,
# FAT, the slot store), built into the host unit tests that need it.
#
#   make unit            includes tests/unit/test_fat*.c and test_slots*.c (fsck.fat, mtools)

DRIVE_SRC := $(wildcard drive/*.c)
DRIVE_SAN_OBJ := $(patsubst %.c,$(BUILD)/san/%.o,$(DRIVE_SRC))

# The unit tests of the drive link its objects besides the host library.
DRIVE_UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/san/tests/%,$(wildcard tests/unit/test_fat*.c tests/unit/test_slots*.c tests/unit/test_drive*.c))
$(DRIVE_UNIT_BINS): $(DRIVE_SAN_OBJ)

# The drive in the RP2040 firmware (fw/fw_drive.c): the same config/ loader as the host tool and
# drive/, with pools sized for 264 KB of RAM (the host keeps its large ones): a keymap.json +
# keyboard.json of up to 24 KB of text together and 2,048 JSON tokens, 8 messages for ERRORS.TXT.
# jsmn is a header-only parser from libjsmn-dev; the cross compiler looks for it last.
DRIVE_FW_SRC := $(wildcard drive/*.c) $(filter-out config/load_fs.c,$(wildcard config/*.c))
DRIVE_FW_CFLAGS := -DKESTREL_DRIVE=1 -DUSB_MSC=1 -DCFG_LS_SOURCES=4 -DCFG_LS_TEXT=24576u \
                   -DCFG_LS_TOKENS=2048 -DCFG_LS_NAMES=512 -DCFG_LS_IMAGE=8192u -DDIAG_MAX=8 \
                   -idirafter /usr/include

# The drive end to end on the emulated RP2040 (tests/rp2040/drive_test.mjs): SCSI over bulk from
# the harness, files changed with mtools as an OS would, reload, ERRORS.TXT for the corpus in
# tests/drive/broken, fsck.fat on the volume dumped from the emulated flash.
DRIVE_TEST_UF2 := $(BUILD)/rp2040-test/test4x10.uf2
drive-rp2040-test: $(DRIVE_TEST_UF2) $(BUILD)/kestrel
	node tests/rp2040/drive_test.mjs $(BUILD)/kestrel $(DRIVE_TEST_UF2) keyboards/test4x10 tests/drive/broken
TEST_TARGETS += drive-rp2040-test
.PHONY: drive-rp2040-test

# Power cuts during a config write (tests/rp2040/drive_powercut.mjs): the chip restarted on the
# flash of every boundary between two flash operations, every operation cut half-way, and 160
# random moments; each must boot, enumerate and type with the old keymap or the new one.
drive-rp2040-powercut: $(DRIVE_TEST_UF2)
	node tests/rp2040/drive_powercut.mjs $(DRIVE_TEST_UF2) 160
TEST_TARGETS += drive-rp2040-powercut
.PHONY: drive-rp2040-powercut

# `make bench`: emulated ms from the host's last write of a 4-layer, 60-key keymap.json to the
# new config being active, with the CPU and flash work it took.
drive-bench: $(BUILD)/kestrel $(BUILD)/fw/rp2040/kestrel-rp2040.bin
	@node bench/drive_bench.mjs $(BUILD)/kestrel $(BUILD)/fw/rp2040/kestrel-rp2040.bin $(BUILD)/drive-bench
BENCH_TARGETS += drive-bench
.PHONY: drive-bench
