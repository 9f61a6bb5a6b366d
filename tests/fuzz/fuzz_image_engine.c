/* libFuzzer target for the engine on config images the loader never wrote: a keyboard reads its
 * image from flash, where a hand-made file, a writer's bug or another tool can put bytes that pass
 * cfg_open (magic, version, CRC, section table, shapes) and still say things the loader refuses:
 * a layer key to a layer the keymap lacks, a combo on a position the matrix lacks, a macro with an
 * unknown operation, a setting out of its range. The engine must stay within its tables, must not
 * spin (a deadline at or before the tick that ran it) and must let its timers run out (but for a
 * macro's, below); what it sends for such an image is not checked.
 *
 * Input: byte 0 picks one of the property test's every-behaviour images (tests/unit/
 * property_keymap.h); byte 1 & 63 is a count of 3-byte edits (offset low, offset high, value),
 * applied past the CRC field, after which the CRC is made right again; then key events as in
 * fuzz_engine.c (key byte, gap byte; a key byte >= 0xF0 runs the timers). The image is copied into
 * a buffer of exactly its size, so AddressSanitizer sees a read past its end. */
#include <stdio.h>
#include <stdlib.h>

#include "core/engine_int.h"
#include "tests/unit/property_keymap.h"

#define VARIANTS 6u
#define CRC_AT 12u

static uint8_t images[VARIANTS][CFG_MAX_IMAGE];
static size_t sizes[VARIANTS];
static cfg_model_t model;

static void build_images(void)
{
    (void)pk_finish; /* (its checks of the reports hold for the loader's images only) */
    for (unsigned v = 0; v < VARIANTS; v++) {
        pk_fill(&model);
        pk_variant(&model, v);
        sizes[v] = cfg_image_write(&model, images[v], sizeof images[v]);
        cfg_t c;
        if (!sizes[v] || cfg_open(&c, images[v], sizes[v]) != CFG_OK) abort();
    }
}

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_image_engine: %s\n", why);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    build_images();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    unsigned v = data[0] % VARIANTS, edits = data[1] & 63u;
    size_t n = sizes[v], i = 2;
    uint8_t *img = malloc(n);
    if (!img) return 0;
    memcpy(img, images[v], n);
    for (unsigned k = 0; k < edits && i + 3 <= size; k++, i += 3) {
        size_t at = 16u + ((size_t)data[i] | (size_t)data[i + 1] << 8) % (n - 16u);
        img[at] = data[i + 2];
    }
    uint32_t crc = cfg_crc32_image(img + 16, n - 16u);
    for (unsigned b = 0; b < 4; b++) img[CRC_AT + b] = (uint8_t)(crc >> (8 * b));
    cfg_t cfg;
    if (cfg_open(&cfg, img, n) != CFG_OK) {
        free(img);
        return 0;
    }

    static engine_t e;
    pk_state_t st;
    memset(&st, 0, sizeof st);
    engine_init(&e, &cfg, &pk_sink, &st);
    bool down[PK_NPOS] = {false};
    uint32_t now = 0;
    const char *spin = pk_play(&e, data + i, size - i, down, &now);
    if (spin) fail(spin);
    for (unsigned p = 0; p < PK_NPOS; p++)
        if (down[p]) engine_key_event(&e, (uint8_t)p, false, now);
    /* Every time setting is at most 65,535 ms, so the timers run out within a few of those; but
     * a macro may wait that long at each of its delays, and the image's macros are not the
     * loader's: the player may still be going. Nothing else may (a pointer still moving, say). */
    uint32_t end = now + 4u * 65536u;
    spin = pk_run_until(&e, now, end, NULL);
    if (spin) fail(spin);
    if (engine_next_deadline(&e) != ENGINE_NO_DEADLINE && eng_seq_deadline(&e) == ENGINE_NO_DEADLINE)
        fail("timers never run out");
    free(img);
    return 0;
}
