/* Space cadet keys, QMK's defaults: held, a modifier; tapped (released within the tapping term
 * with no other key pressed since), a parenthesis or Enter. SC_LSPO/SC_RSPC: Shift, ( and );
 * SC_LCPO/SC_RCPC: Ctrl, ( and ); SC_LAPO/SC_RAPC: Alt, ( and ); SC_SENT: right Shift, Enter. */
#include "core/engine_int.h"
#include "core/rom.h"

#if ENGINE_HAS_SPACE_CADET
#define SC_FIRST 0x7C18u /* SC_LCPO; QMK's order up to SC_SENT (0x7C1E) */
#define SC_LAST  0x7C1Eu

/* hold modifier, tap modifier (0 = none), tap key (as report bits and usages) */
static const uint8_t sc_keys[7][3] ROM_DATA = {
    {MOD_BIT_LCTRL, MOD_BIT_LSHIFT, 0x26},  /* SC_LCPO: ( */
    {MOD_BIT_RCTRL, MOD_BIT_RSHIFT, 0x27},  /* SC_RCPC: ) */
    {MOD_BIT_LSHIFT, MOD_BIT_LSHIFT, 0x26}, /* SC_LSPO */
    {MOD_BIT_RSHIFT, MOD_BIT_RSHIFT, 0x27}, /* SC_RSPC */
    {MOD_BIT_LALT, MOD_BIT_LSHIFT, 0x26},   /* SC_LAPO */
    {MOD_BIT_RALT, MOD_BIT_RSHIFT, 0x27},   /* SC_RAPC */
    {MOD_BIT_RSHIFT, 0, KC_ENTER},          /* SC_SENT */
};

bool eng_sc_event(engine_t *e, engine_held_t *k, bool pressed)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    kc_t kc = k->kc;
    if (!KC_IN(kc, SC_FIRST, SC_LAST)) {
        if (pressed) m->sc_kc = 0; /* any other key makes the next release a hold */
        return false;
    }
    const uint8_t *t = sc_keys[kc - SC_FIRST];
    uint8_t hold = ROM_RD8(&t[0]), tapm = ROM_RD8(&t[1]), code = ROM_RD8(&t[2]);
    if (pressed) {
        m->sc_kc = kc;
        m->sc_time = E->now;
        eng_register_mods(e, hold);
        return true;
    }
    if (m->sc_kc == kc && (ktime_t)(E->now - m->sc_time) < eng_setting(e, CFG_TAPPING_TERM, kc)) {
        if (hold != tapm) {
            eng_unregister_mods(e, hold);
            eng_register_mods(e, tapm);
        }
        eng_register_code(e, code);
        eng_unregister_code(e, code);
        eng_unregister_mods(e, tapm);
    } else {
        eng_unregister_mods(e, hold);
    }
    return true;
}
#endif
