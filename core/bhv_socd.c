/* Key cancellation (SOCD) for keymap.json "key_cancellation" pairs: while both keys of a pair are
 * down, the report holds only the one pressed last ("last": last input wins) or neither
 * ("neutral"). The keys stay down in the engine's state, so releasing one brings the other back
 * (a new press for the host). Pairs are basic keycodes, so it works on whatever layer they are. */
#include "core/engine_int.h"

#if ENGINE_HAS_KEY_CANCEL
/* The first pair; the loops step through the others (cheaper than indexing each on the AVR). */
static const uint8_t *pairs(const engine_t *e)
{
    return ENG_CFG(e)->base + ENG_CFG(e)->off[CFG_SEC_KEY_CANCEL];
}

static bool has(const kbd_report_t *r, uint8_t code)
{
    return (r->keys[code >> 3] & eng_code_bit(code)) != 0;
}

static void drop(kbd_report_t *r, uint8_t code)
{
    r->keys[code >> 3] &= (uint8_t)~eng_code_bit(code);
}

void eng_socd_note_press(engine_t *e, uint8_t code)
{
    uint8_t n = (uint8_t)ENG_CFG(e)->count[CFG_SEC_KEY_CANCEL];
    /* pair i's bit, shifted along (no variable shift on the AVR) */
    uint16_t last = e->mods.socd_last, bit = 1;
    const uint8_t *p = pairs(e);
    for (; n; n--, bit = (uint16_t)(bit << 1), p += CFG_KEY_CANCEL_SIZE) {
        if (code == CFG_RD8(p + 2)) last |= bit;
        else if (code == CFG_RD8(p)) last &= (uint16_t)~bit;
    }
    e->mods.socd_last = last;
}

void eng_socd_filter(const engine_t *e, kbd_report_t *r)
{
    uint8_t n = (uint8_t)ENG_CFG(e)->count[CFG_SEC_KEY_CANCEL];
    uint16_t last = e->mods.socd_last; /* pair i's bit at bit 0 as the loop reaches it */
    const uint8_t *p = pairs(e);
    for (; n; n--, last >>= 1, p += CFG_KEY_CANCEL_SIZE) {
        uint8_t a = CFG_RD8(p), b = CFG_RD8(p + 2);
        if (!has(&e->kbd, a) || !has(&e->kbd, b)) continue;
        bool neutral = CFG_RD8(p + 4) == CFG_KEY_CANCEL_NEUTRAL;
        if (neutral || (last & 1u)) drop(r, a);
        if (neutral || !(last & 1u)) drop(r, b);
    }
}
#endif
