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
    return (r->keys[code >> 3] >> (code & 7u)) & 1u;
}

void eng_socd_note_press(engine_t *e, uint8_t code)
{
    uint8_t n = (uint8_t)ENG_CFG(e)->count[CFG_SEC_KEY_CANCEL];
    uint16_t bit = 1; /* pair i's bit, shifted along (no variable shift on the AVR) */
    const uint8_t *p = pairs(e);
    for (uint8_t i = 0; i < n; i++, bit = (uint16_t)(bit << 1), p += CFG_KEY_CANCEL_SIZE) {
        if (code == CFG_RD8(p + 2)) e->mods.socd_last |= bit;
        else if (code == CFG_RD8(p)) e->mods.socd_last &= (uint16_t)~bit;
    }
}

void eng_socd_filter(const engine_t *e, kbd_report_t *r)
{
    uint8_t n = (uint8_t)ENG_CFG(e)->count[CFG_SEC_KEY_CANCEL];
    uint16_t bit = 1;
    const uint8_t *p = pairs(e);
    for (uint8_t i = 0; i < n; i++, bit = (uint16_t)(bit << 1), p += CFG_KEY_CANCEL_SIZE) {
        uint8_t a = CFG_RD8(p), b = CFG_RD8(p + 2);
        if (!has(&e->kbd, a) || !has(&e->kbd, b)) continue;
        bool b_last = (e->mods.socd_last & bit) != 0, neutral = CFG_RD8(p + 4) == CFG_KEY_CANCEL_NEUTRAL;
        if (neutral || b_last) r->keys[a >> 3] &= (uint8_t)~(1u << (a & 7u));
        if (neutral || !b_last) r->keys[b >> 3] &= (uint8_t)~(1u << (b & 7u));
    }
}
#endif
