/* libFuzzer target for the engine: the input bytes are a settings choice and a sequence of key
 * events with time gaps on the every-behaviour keymap; after the sequence every key is released and
 * the timers run out, and then every report must be empty and the engine idle (SPEC §9); a tick
 * byte runs the timers up to its time, and no deadline may fall at or before the tick that ran it
 * (tests/unit/property_keymap.h, PK_SPIN). Any violation aborts, so libFuzzer reports it with the
 * input that caused it. */
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/property_keymap.h"

#define VARIANTS 6u
#define TERMS 4u

static uint8_t images[VARIANTS * TERMS][8192];
static cfg_t cfgs[VARIANTS * TERMS];
static cfg_model_t model;

static void build_images(void)
{
    static const uint16_t terms[TERMS] = {200, 120, 250, 1};
    for (unsigned v = 0; v < VARIANTS; v++) {
        for (unsigned t = 0; t < TERMS; t++) {
            pk_fill(&model);
            pk_variant(&model, v);
            model.settings[CFG_TAPPING_TERM] = terms[t];
            unsigned i = v * TERMS + t;
            size_t n = cfg_image_write(&model, images[i], sizeof images[i]);
            if (!n || cfg_open(&cfgs[i], images[i], n) != CFG_OK) abort();
        }
    }
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
    if (size < 1) return 0;
    const cfg_t *cfg = &cfgs[data[0] % (VARIANTS * TERMS)];
    static engine_t e;
    pk_state_t st;
    memset(&st, 0, sizeof st);
    engine_init(&e, cfg, &pk_sink, &st);

    bool down[PK_NPOS] = {false};
    uint32_t now = 0;
    const char *spin = pk_play(&e, data + 1, size - 1, down, &now);
    if (spin) {
        fprintf(stderr, "fuzz_engine: %s\n", spin);
        abort();
    }
    const char *why = pk_finish(&e, &st, down, &now);
    if (why) {
        fprintf(stderr, "fuzz_engine: %s\n", why);
        abort();
    }
    return 0;
}
