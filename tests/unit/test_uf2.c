/* UF2: the writer and reader agree bit for bit on random images, the RP2350-E10 block is what
 * hw/rp2.md §2.4 documents, and every kind of corruption is rejected with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/memimg.h"
#include "tools/uf2.h"

static uint32_t rng = 1;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Random runs inside [lo, lo+span), any alignment, never overlapping. */
static void random_image(memimg_t *m, uint32_t lo, uint32_t span, unsigned runs, unsigned maxlen)
{
    memimg_init(m);
    uint8_t buf[8192];
    for (unsigned r = 0; r < runs; r++) {
        uint32_t n = 1 + rnd() % maxlen;
        uint32_t a = lo + rnd() % (span - n);
        for (uint32_t i = 0; i < n; i++) buf[i] = (uint8_t)rnd();
        if (memimg_has(m, a, 1)) continue;
        /* trim to avoid overlaps: memimg_add refuses them, which is what we test elsewhere */
        uint32_t clash;
        while (n && !memimg_add(m, a, buf, n, &clash)) n = clash - a;
    }
}

/* The page-granular image a UF2 of m must decode to: every touched page, unset bytes = fill. */
static void paged(const memimg_t *m, uint32_t unit, uint8_t fill, memimg_t *out)
{
    memimg_init(out);
    uint8_t page[4096];
    for (size_t i = 0; i < m->n; i++) {
        uint64_t a = m->seg[i].addr / unit * unit;
        uint64_t e = (uint64_t)m->seg[i].addr + m->seg[i].len;
        for (; a < e; a += unit) {
            if (memimg_has(out, (uint32_t)a, 1)) continue;
            memimg_read(m, (uint32_t)a, page, unit, fill);
            assert_true(memimg_add(out, (uint32_t)a, page, unit, NULL));
        }
    }
}

static void roundtrip_family(uint32_t family, uint32_t lo, uint32_t span, uint32_t sector)
{
    for (int iter = 0; iter < 60; iter++) {
        memimg_t m, want;
        random_image(&m, lo, span, 1 + rnd() % 8, iter % 3 ? 3000 : 40);
        uf2_opts_t o = {family, sector, iter % 2 ? 0xFF : 0x00, false};
        uint8_t *out, *out2;
        size_t len, len2;
        char err[256];
        assert_true(uf2_write(&m, &o, &out, &len, err, sizeof err));
        assert_int_equal(len % UF2_BLOCK_SIZE, 0);
        uf2_file_t f;
        if (!uf2_read(out, len, &f, err, sizeof err)) fail_msg("%s", err);
        assert_int_equal(f.ngroups, 1);
        assert_int_equal(f.group[0].family, family);
        assert_int_equal(f.group[0].num_blocks, len / UF2_BLOCK_SIZE);
        paged(&m, sector ? sector : UF2_PAGE, o.fill, &want);
        assert_true(memimg_equal(&f.group[0].mem, &want));
        /* every original byte is where it was */
        for (size_t s = 0; s < m.n; s++) {
            uint8_t *chk = malloc(m.seg[s].len);
            memimg_read(&f.group[0].mem, m.seg[s].addr, chk, m.seg[s].len, 0);
            assert_memory_equal(chk, m.seg[s].data, m.seg[s].len);
            free(chk);
        }
        /* file -> image -> file is bit-exact */
        assert_true(uf2_write(&f.group[0].mem, &o, &out2, &len2, err, sizeof err));
        assert_int_equal(len2, len);
        assert_memory_equal(out2, out, len);
        free(out);
        free(out2);
        uf2_file_free(&f);
        memimg_free(&m);
        memimg_free(&want);
    }
}

static void roundtrip_rp2040(void **s)
{
    (void)s;
    rng = 7;
    roundtrip_family(UF2_FAMILY_RP2040, 0x10000000u, 0x200000u, 0);
    roundtrip_family(UF2_FAMILY_RP2040, 0x10000000u, 0x40000u, 4096);
    roundtrip_family(UF2_FAMILY_RP2040, 0x20000000u, 0x42000u, 0); /* RAM image */
}

static void roundtrip_rp2350_and_high_addresses(void **s)
{
    (void)s;
    rng = 99;
    roundtrip_family(UF2_FAMILY_RP2350_ARM_S, 0x11F00000u, 0x100000u, 0); /* CS1 window top */
    roundtrip_family(0x12345678u, 0xFFF00000u, 0x100000u, 0);              /* top of 4 GB */
    roundtrip_family(0x16573617u, 0x0u, 0x8000u, 0);                       /* ATMEGA32 */
}

static void empty_image_refused(void **s)
{
    (void)s;
    memimg_t m;
    memimg_init(&m);
    uf2_opts_t o = {UF2_FAMILY_RP2040, 0, 0xFF, false};
    uint8_t *out;
    size_t len;
    char err[200];
    assert_false(uf2_write(&m, &o, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "empty"));
}

static void e10_block_matches_the_erratum(void **s)
{
    (void)s;
    memimg_t m;
    memimg_init(&m);
    uint8_t d[600];
    memset(d, 0x5A, sizeof d);
    assert_true(memimg_add(&m, 0x10000000u, d, sizeof d, NULL));
    uf2_opts_t o = {UF2_FAMILY_RP2350_ARM_S, 0, 0xFF, true};
    uint8_t *out;
    size_t len;
    char err[200];
    assert_true(uf2_write(&m, &o, &out, &len, err, sizeof err));
    assert_int_equal(len, 4 * UF2_BLOCK_SIZE); /* E10 + 3 pages */
    const uint8_t *b = out;
    assert_int_equal(rd32(b + 0), 0x0A324655u);
    assert_int_equal(rd32(b + 4), 0x9E5D5157u);
    assert_int_equal(rd32(b + 8), 0x00002000u | 0x00008000u);
    assert_int_equal(rd32(b + 12), 0x10FFFF00u);
    assert_int_equal(rd32(b + 16), 256);
    assert_int_equal(rd32(b + 20), 0);
    assert_int_equal(rd32(b + 24), 2); /* sic, as picotool writes it */
    assert_int_equal(rd32(b + 28), 0xE48BFF57u);
    for (int i = 0; i < 256; i++) assert_int_equal(b[32 + i], 0xEF);
    static const uint8_t tag[4] = {0x04, 0xE3, 0x57, 0x99};
    assert_memory_equal(b + 32 + 256, tag, 4);
    for (int i = 32 + 260; i < 508; i++) assert_int_equal(b[i], 0);
    assert_int_equal(rd32(b + 508), 0x0AB16F30u);
    /* the image blocks: family ARM-S, numbered 0..2 of 3 */
    for (uint32_t k = 0; k < 3; k++) {
        const uint8_t *q = out + (k + 1) * UF2_BLOCK_SIZE;
        assert_int_equal(rd32(q + 8), 0x00002000u);
        assert_int_equal(rd32(q + 12), 0x10000000u + 256 * k);
        assert_int_equal(rd32(q + 20), k);
        assert_int_equal(rd32(q + 24), 3);
        assert_int_equal(rd32(q + 28), 0xE48BFF59u);
    }
    uf2_file_t f;
    assert_true(uf2_read(out, len, &f, err, sizeof err));
    assert_true(f.e10);
    assert_int_equal(f.ignored, 1);
    assert_int_equal(f.ngroups, 1);
    assert_int_equal(f.group[0].family, UF2_FAMILY_RP2350_ARM_S);
    assert_int_equal(memimg_lo(&f.group[0].mem), 0x10000000u);
    uf2_file_free(&f);
    free(out);
    memimg_free(&m);
}

/* A small valid RP2040 UF2 to corrupt: 4 blocks at 0x10000000.. */
static uint8_t *good(size_t *len)
{
    memimg_t m;
    memimg_init(&m);
    uint8_t d[1024];
    for (int i = 0; i < 1024; i++) d[i] = (uint8_t)i;
    assert_true(memimg_add(&m, 0x10000000u, d, sizeof d, NULL));
    uf2_opts_t o = {UF2_FAMILY_RP2040, 0, 0xFF, false};
    uint8_t *out;
    char err[200];
    assert_true(uf2_write(&m, &o, &out, len, err, sizeof err));
    memimg_free(&m);
    return out;
}

static void expect_reject(uint8_t *buf, size_t len, const char *want)
{
    uf2_file_t f;
    char err[300] = "";
    bool ok = uf2_read(buf, len, &f, err, sizeof err);
    if (ok) fail_msg("accepted a corrupt file (expected '%s')", want);
    if (!strstr(err, want)) fail_msg("message '%s' lacks '%s'", err, want);
    assert_int_equal(f.ngroups, 0);
}

static void corruptions_rejected(void **s)
{
    (void)s;
    size_t len;
    uint8_t *b;
    b = good(&len);
    expect_reject(b, len - 1, "not a multiple of 512");
    expect_reject(b, 0, "empty file");
    wr32(b + 512 * 2, 0x0A324656u);
    expect_reject(b, len, "block 2 (offset 0x400): bad magicStart0");
    free(b);
    b = good(&len);
    b[512 + 5] ^= 1;
    expect_reject(b, len, "block 1 (offset 0x200): bad magicStart1");
    free(b);
    b = good(&len);
    b[512 * 3 + 508] ^= 0x80;
    expect_reject(b, len, "block 3 (offset 0x600): bad magicEnd");
    free(b);
    b = good(&len); /* wrong block count in one block */
    wr32(b + 512 * 2 + 24, 5);
    expect_reject(b, len, "numBlocks 5, but the file holds only 4 blocks");
    free(b);
    b = good(&len);
    wr32(b + 512 * 2 + 24, 3);
    expect_reject(b, len, "numBlocks 3 disagrees with block 0's 4");
    free(b);
    b = good(&len); /* every block says 5: block 4 is missing */
    for (int i = 0; i < 4; i++) wr32(b + 512 * i + 24, 3);
    expect_reject(b, len, "blockNo 3 is not below numBlocks 3");
    free(b);
    b = good(&len); /* one block dropped, counts rewritten: a gap in the numbering */
    memmove(b + 512 * 2, b + 512 * 3, 512);
    for (int i = 0; i < 3; i++) wr32(b + 512 * i + 24, 4);
    expect_reject(b, 3 * 512, "numBlocks 4, but the file holds only 3 blocks");
    for (int i = 0; i < 3; i++) wr32(b + 512 * i + 24, 3);
    expect_reject(b, 3 * 512, "blockNo 3 is not below numBlocks 3");
    free(b);
    b = good(&len); /* block 2 replaced by an ignored block: the numbering has a hole */
    wr32(b + 512 * 2 + 8, 0x2000u | 0x8000u);
    wr32(b + 512 * 2 + 32 + 256, 4u | UF2_TAG_RP2_IGNORE << 8);
    expect_reject(b, len, "numBlocks says 4 blocks but the file has 3 (block 2 missing)");
    free(b);
    b = good(&len);
    wr32(b + 512 * 1 + 20, 0);
    expect_reject(b, len, "block 1 (offset 0x200): blockNo 0 appears twice");
    free(b);
    b = good(&len); /* overlap: block 2 writes block 1's page */
    wr32(b + 512 * 2 + 12, 0x10000100u);
    expect_reject(b, len, "block 2 (offset 0x400): writes 0x10000100..0x100001FF, overlapping");
    free(b);
    b = good(&len);
    wr32(b + 512 * 1 + 12, 0x10000180u);
    expect_reject(b, len, "target address 0x10000180 is not 256-byte aligned");
    free(b);
    b = good(&len);
    wr32(b + 512 * 3 + 12, 0x30000000u);
    expect_reject(b, len, "outside RP2040 flash and SRAM");
    free(b);
    b = good(&len);
    wr32(b + 512 * 3 + 12, 0x10FFFF00u + 0x100u); /* one page past the 16 MB window */
    expect_reject(b, len, "outside RP2040 flash and SRAM");
    free(b);
    b = good(&len);
    wr32(b + 512 * 3 + 12, 0x20042000u);
    expect_reject(b, len, "outside RP2040 flash and SRAM");
    free(b);
    b = good(&len);
    wr32(b + 16, 300);
    expect_reject(b, len, "payload size 300; the RP2040 boot ROM accepts only 256");
    free(b);
    b = good(&len);
    wr32(b + 16, 477);
    expect_reject(b, len, "payload size 477 (must be 1..476)");
    free(b);
    b = good(&len);
    wr32(b + 16, 0);
    expect_reject(b, len, "payload size 0");
    free(b);
    b = good(&len); /* an extension tag running past the block */
    wr32(b + 8, 0x2000u | 0x8000u);
    wr32(b + 32 + 256, 0x00123400u | 250u);
    expect_reject(b, len, "runs past the block");
    wr32(b + 32 + 256, 0x00123400u | 2u);
    expect_reject(b, len, "has size 2 (< 4)");
    free(b);
}

static void families_counted_apart(void **s)
{
    (void)s;
    /* Two families in one file, each numbered from 0 (what picotool does for multi-family). */
    size_t len;
    uint8_t *a = good(&len);
    uint8_t *both = malloc(2 * len);
    memcpy(both, a, len);
    memcpy(both + len, a, len);
    for (size_t i = 0; i < 4; i++) wr32(both + len + 512 * i + 28, UF2_FAMILY_RP2350_ARM_S);
    uf2_file_t f;
    char err[200];
    assert_true(uf2_read(both, 2 * len, &f, err, sizeof err));
    assert_int_equal(f.ngroups, 2);
    assert_int_equal(f.group[1].family, UF2_FAMILY_RP2350_ARM_S);
    assert_int_equal(f.group[1].blocks, 4);
    uf2_file_free(&f);
    /* not-main-flash blocks are counted but not written */
    wr32(both + 8, 0x2001u);
    assert_true(uf2_read(both, 2 * len, &f, err, sizeof err));
    assert_int_equal(f.not_main_flash, 1);
    assert_false(memimg_has(&f.group[0].mem, 0x10000000u, 1));
    uf2_file_free(&f);
    free(both);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip_rp2040),
        cmocka_unit_test(roundtrip_rp2350_and_high_addresses),
        cmocka_unit_test(empty_image_refused),
        cmocka_unit_test(e10_block_matches_the_erratum),
        cmocka_unit_test(corruptions_rejected),
        cmocka_unit_test(families_counted_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
