/* The two-slot config store: newest valid slot wins, the slot in use is never the one written,
 * the config region's CRC decides which slots count (a freshly flashed config wins), unchanged
 * image sectors are not rewritten, and a power cut at every single flash operation of a write
 * (each left torn) leaves either the old config or the new one, never neither. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/cfg.h"
#include "drive/slots.h"
#include "simflash.h"

static simflash_t sim;
static dflash_t fl;
static slots_t slots;

static int setup(void **st)
{
    (void)st;
    sim_init(&sim, &fl);
    slots = (slots_t){&fl, {0x50000u, 0x60000u}, 0x10000u};
    return 0;
}

static void image(uint8_t *p, uint32_t len, unsigned seed)
{
    for (uint32_t i = 0; i < len; i++) p[i] = (uint8_t)(i * 31u + seed * 101u + (i >> 8) * seed);
}

static void expect_active(uint32_t region, const uint8_t *img, uint32_t len)
{
    slot_info_t si;
    assert_true(slots_pick(&slots, region, &si));
    assert_int_equal(si.len, len);
    assert_memory_equal(si.image, img, len);
}

static void empty_then_alternating(void **st)
{
    (void)st;
    static uint8_t a[3000], b[9000], c[100];
    slot_info_t si;
    image(a, sizeof a, 1);
    image(b, sizeof b, 2);
    image(c, sizeof c, 3);
    assert_false(slots_pick(&slots, 7, &si));
    assert_int_equal(slots_write(&slots, a, sizeof a, 7, 0xA), SLOTS_OK);
    expect_active(7, a, sizeof a);
    assert_true(slots_pick(&slots, 7, &si));
    assert_int_equal(si.index, 0);
    assert_int_equal(si.seq, 1);
    assert_int_equal(si.src_crc, 0xA);
    assert_int_equal(slots_write(&slots, b, sizeof b, 7, 0xB), SLOTS_OK);
    assert_true(slots_pick(&slots, 7, &si));
    assert_int_equal(si.index, 1);
    assert_int_equal(si.seq, 2);
    expect_active(7, b, sizeof b);
    assert_int_equal(slots_write(&slots, c, sizeof c, 7, 0xC), SLOTS_OK);
    assert_true(slots_pick(&slots, 7, &si));
    assert_int_equal(si.index, 0);
    assert_int_equal(si.seq, 3);
    expect_active(7, c, sizeof c);
    /* the previous one is still there, intact */
    assert_true(slots_read(&slots, 1, &si));
    assert_memory_equal(si.image, b, sizeof b);
    /* bounds */
    assert_int_equal(slots_write(&slots, c, 0, 7, 0), SLOTS_ERR_SIZE);
    assert_int_equal(slots_write(&slots, b, slots_capacity(&slots) + 1u, 7, 0), SLOTS_ERR_SIZE);
    assert_false(sim.misuse);
}

static void region_precedence(void **st)
{
    (void)st;
    static uint8_t a[2000], b[2000], c[2000];
    slot_info_t si;
    image(a, sizeof a, 4);
    image(b, sizeof b, 5);
    image(c, sizeof c, 6);
    /* drive edits over the config flashed with CRC 100 */
    assert_int_equal(slots_write(&slots, a, sizeof a, 100, 1), SLOTS_OK);
    assert_int_equal(slots_write(&slots, b, sizeof b, 100, 2), SLOTS_OK);
    expect_active(100, b, sizeof b);
    /* a different config flashed (CRC 200): every slot is stale, the region wins */
    assert_false(slots_pick(&slots, 200, &si));
    /* an edit over the new region: counts for 200 only */
    assert_int_equal(slots_write(&slots, c, sizeof c, 200, 3), SLOTS_OK);
    expect_active(200, c, sizeof c);
    assert_true(slots_pick(&slots, 200, &si));
    assert_int_equal(si.seq, 3);
    /* flashing the old config back (CRC 100) brings its newest surviving edit back */
    expect_active(100, b, sizeof b);
}

/* The slot in use is never overwritten, even when the other holds a newer image of another
 * region: here slot B (seq 2, region 100) is newer than A (seq 1, region 200), the one in use. */
static void active_slot_is_never_the_target(void **st)
{
    (void)st;
    static uint8_t a[1500], b[1500], c[1500], d[1500];
    slot_info_t si;
    image(a, sizeof a, 7);
    image(b, sizeof b, 8);
    image(c, sizeof c, 9);
    image(d, sizeof d, 10);
    assert_int_equal(slots_write(&slots, a, sizeof a, 200, 0), SLOTS_OK);   /* A: seq 1, 200 */
    assert_int_equal(slots_write(&slots, b, sizeof b, 100, 0), SLOTS_OK);   /* B: seq 2, 100 */
    /* region 200 is flashed again: A is in use, B is newer but stale */
    assert_true(slots_pick(&slots, 200, &si));
    assert_int_equal(si.index, 0);
    sim.cut_at = sim.ops + 1; /* the write is cut after its first operation */
    assert_int_equal(slots_write(&slots, c, sizeof c, 200, 0), SLOTS_ERR_FLASH);
    sim_power_on(&sim);
    expect_active(200, a, sizeof a); /* A survived: the write went to B */
    assert_int_equal(slots_write(&slots, d, sizeof d, 200, 0), SLOTS_OK);
    expect_active(200, d, sizeof d);
}

static void unchanged_sectors_are_not_rewritten(void **st)
{
    (void)st;
    static uint8_t a[20000], b[20000];
    image(a, sizeof a, 11);
    memcpy(b, a, sizeof b);
    b[15000] ^= 0x55; /* one byte in the fourth image sector */
    assert_int_equal(slots_write(&slots, a, sizeof a, 1, 0), SLOTS_OK);   /* A */
    assert_int_equal(slots_write(&slots, a, sizeof a, 1, 0), SLOTS_OK);   /* B */
    uint32_t e = fl.erases, p = fl.programs;
    /* A again with the same image: only its header sector is erased and programmed */
    assert_int_equal(slots_write(&slots, a, sizeof a, 1, 0), SLOTS_OK);
    assert_int_equal(fl.erases - e, 1);
    assert_int_equal(fl.programs - p, 1);
    /* B with one byte changed: the header, and one image sector (erase + its pages) */
    e = fl.erases, p = fl.programs;
    assert_int_equal(slots_write(&slots, b, sizeof b, 1, 0), SLOTS_OK);
    assert_true(fl.erases - e <= 2);
    assert_true(fl.programs - p <= 1 + 16);
    expect_active(1, b, sizeof b);
    assert_false(sim.misuse);
}

static void corrupted_slots_are_ignored(void **st)
{
    (void)st;
    static uint8_t a[3000], b[3000];
    slot_info_t si;
    image(a, sizeof a, 12);
    image(b, sizeof b, 13);
    assert_int_equal(slots_write(&slots, a, sizeof a, 1, 0), SLOTS_OK);
    assert_int_equal(slots_write(&slots, b, sizeof b, 1, 0), SLOTS_OK);
    /* a bit flipped in B's image: A is used */
    sim.mem[0x60000u + SLOT_IMAGE_OFF + 100] ^= 0x01;
    expect_active(1, a, sizeof a);
    sim.mem[0x60000u + SLOT_IMAGE_OFF + 100] ^= 0x01;
    expect_active(1, b, sizeof b);
    /* a bit flipped in B's header (its sequence number) */
    sim.mem[0x60000u + 8] ^= 0x04;
    expect_active(1, a, sizeof a);
    /* both broken: nothing */
    sim.mem[0x50000u + 13] ^= 0x80;
    assert_false(slots_pick(&slots, 1, &si));
}

/* Every operation of a write is the one during which the power goes (left torn: a prefix of a
 * page programmed, half a sector erased and the rest garbage). After each, the store holds the
 * old image or the new one. Repeated over a chain of writes so both slots are targets. */
static void power_cut_at_every_operation(void **st)
{
    (void)st;
    static uint8_t imgs[4][12000];
    uint32_t lens[4] = {12000, 5000, 9000, 300};
    for (unsigned i = 0; i < 4; i++) image(imgs[i], lens[i], 20 + i);
    unsigned cuts = 0, got_new = 0, got_old = 0;
    assert_int_equal(slots_write(&slots, imgs[0], lens[0], 9, 0), SLOTS_OK);
    for (unsigned step = 1; step < 4; step++) {
        const uint8_t *old = imgs[step - 1], *nw = imgs[step];
        /* count the operations of this write on a copy of the flash */
        static simflash_t probe;
        memcpy(&probe, &sim, sizeof sim);
        dflash_t pf = fl;
        pf.mem = probe.mem;
        pf.ctx = &probe;
        long before = probe.ops;
        slots_t ps = slots;
        ps.flash = &pf;
        assert_int_equal(slots_write(&ps, nw, lens[step], 9, 0), SLOTS_OK);
        long nops = probe.ops - before;
        assert_true(nops >= 2);
        for (long k = 0; k < nops; k++) {
            for (unsigned seed = 1; seed <= 3; seed++) {
                static simflash_t trial;
                memcpy(&trial, &sim, sizeof sim);
                trial.cut_at = trial.ops + k;
                trial.seed = seed * 7919u + (unsigned)k;
                dflash_t tf = fl;
                tf.mem = trial.mem;
                tf.ctx = &trial;
                slots_t ts = slots;
                ts.flash = &tf;
                assert_int_not_equal(slots_write(&ts, nw, lens[step], 9, 0), SLOTS_OK);
                sim_power_on(&trial);
                slot_info_t si;
                /* boot: the newest valid slot of this region */
                if (!slots_pick(&ts, 9, &si)) fail_msg("step %u cut at op %ld: no config", step, k);
                bool is_old = si.len == lens[step - 1] && !memcmp(si.image, old, si.len);
                bool is_new = si.len == lens[step] && !memcmp(si.image, nw, si.len);
                if (!is_old && !is_new) fail_msg("step %u cut at op %ld: neither config", step, k);
                got_new += is_new;
                got_old += is_old;
                cuts++;
                /* and the next write after the cut still works and wins */
                assert_int_equal(slots_write(&ts, nw, lens[step], 9, 0), SLOTS_OK);
                assert_true(slots_pick(&ts, 9, &si));
                assert_memory_equal(si.image, nw, lens[step]);
            }
        }
        assert_int_equal(slots_write(&slots, nw, lens[step], 9, 0), SLOTS_OK);
    }
    printf("power cuts: %u (old config after %u, new after %u)\n", cuts, got_old, got_new);
    assert_true(cuts >= 30);
    assert_true(got_old > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(empty_then_alternating, setup),
        cmocka_unit_test_setup(region_precedence, setup),
        cmocka_unit_test_setup(active_slot_is_never_the_target, setup),
        cmocka_unit_test_setup(unchanged_sectors_are_not_rewritten, setup),
        cmocka_unit_test_setup(corrupted_slots_are_ignored, setup),
        cmocka_unit_test_setup(power_cut_at_every_operation, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
