# The keyboard's drive (issue 8): the portable code in drive/ (flash updates, the block cache,
# FAT, the slot store), built into the host unit tests that need it.
#
#   make unit            includes tests/unit/test_fat*.c and test_slots*.c (fsck.fat, mtools)

DRIVE_SRC := $(wildcard drive/*.c)
DRIVE_SAN_OBJ := $(patsubst %.c,$(BUILD)/san/%.o,$(DRIVE_SRC))

# The unit tests of the drive link its objects besides the host library.
DRIVE_UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/san/tests/%,$(wildcard tests/unit/test_fat*.c tests/unit/test_slots*.c tests/unit/test_drive*.c))
$(DRIVE_UNIT_BINS): $(DRIVE_SAN_OBJ)
