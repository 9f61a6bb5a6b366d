/* Which optional behaviours a keymap uses and which ATmega32U4 image holds them (the image list is
 * core/features.h's: the main image's ENGINE_AVR_* switches and the ENGINE_AVR_IMAGE_* lines). */
#include "config/avr_images.h"

#include <string.h>

#include "core/features.h"
#include "core/keycodes.h"

static const struct {
    const char *name, *what;
} features[CFG_F_COUNT] = {
    [CFG_F_MACRO] = {"MACRO", "macros"},
    [CFG_F_UNICODE] = {"UNICODE", "unicode input"},
    [CFG_F_LEADER] = {"LEADER", "the leader key"},
    [CFG_F_DYNMACRO] = {"DYNMACRO", "dynamic macros"},
    [CFG_F_COMBO] = {"COMBO", "combos"},
    [CFG_F_TAP_DANCE] = {"TAP_DANCE", "tap dance"},
    [CFG_F_CAPS_WORD] = {"CAPS_WORD", "caps word"},
    [CFG_F_AUTO_SHIFT] = {"AUTO_SHIFT", "auto shift"},
    [CFG_F_KEY_OVERRIDE] = {"KEY_OVERRIDE", "key overrides"},
    [CFG_F_REPEAT_KEY] = {"REPEAT_KEY", "the repeat key"},
    [CFG_F_LAYER_LOCK] = {"LAYER_LOCK", "layer lock"},
    [CFG_F_SPACE_CADET] = {"SPACE_CADET", "space cadet"},
    [CFG_F_KEY_CANCEL] = {"KEY_CANCEL", "key cancellation"},
    [CFG_F_GRAVE_ESC] = {"GRAVE_ESC", "grave escape"},
    [CFG_F_TRI_LAYER] = {"TRI_LAYER", "tri layer"},
    [CFG_F_MOUSE_MODES] = {"MOUSE_MODES", "the mouse key modes"},
};

const char *cfg_feature_name(unsigned f)
{
    return f < CFG_F_COUNT ? features[f].name : "?";
}

const char *cfg_feature_what(unsigned f)
{
    return f < CFG_F_COUNT ? features[f].what : "?";
}

#define BIT(f) (1u << (f))

/* The behaviour a keycode belongs to, as a bit (0: none of the optional ones). */
static uint32_t kc_feature(kc_t kc)
{
    if (kc >= QK_UNICODE || KC_IN(kc, QK_UNICODE_MODE_NEXT, QK_UNICODE_MODE_EMACS))
        return BIT(CFG_F_UNICODE);
    if (KC_IN(kc, QK_MACRO, QK_MACRO_MAX)) return BIT(CFG_F_MACRO);
    if (KC_IN(kc, QK_TAP_DANCE, QK_TAP_DANCE_MAX)) return BIT(CFG_F_TAP_DANCE);
    if (KC_IN(kc, QK_DYNAMIC_MACRO_RECORD_START_1, QK_DYNAMIC_MACRO_PLAY_2)) return BIT(CFG_F_DYNMACRO);
    if (KC_IN(kc, QK_COMBO_ON, QK_COMBO_TOGGLE)) return BIT(CFG_F_COMBO);
    if (KC_IN(kc, 0x7C10u, 0x7C15u)) return BIT(CFG_F_AUTO_SHIFT);   /* AS_* */
    if (KC_IN(kc, 0x7C18u, 0x7C1Eu)) return BIT(CFG_F_SPACE_CADET);  /* SC_* */
    if (KC_IN(kc, 0x7C5Du, 0x7C5Fu)) return BIT(CFG_F_KEY_OVERRIDE); /* KO_* */
    switch (kc) {
    case QK_LEADER: return BIT(CFG_F_LEADER);
    case QK_CAPS_WORD_TOGGLE: return BIT(CFG_F_CAPS_WORD);
    case QK_GRAVE_ESCAPE: return BIT(CFG_F_GRAVE_ESC);
    case QK_TRI_LAYER_LOWER:
    case QK_TRI_LAYER_UPPER: return BIT(CFG_F_TRI_LAYER);
    case QK_REPEAT_KEY:
    case QK_ALT_REPEAT_KEY: return BIT(CFG_F_REPEAT_KEY);
    case QK_LAYER_LOCK: return BIT(CFG_F_LAYER_LOCK);
    default: return 0;
    }
}

uint32_t cfg_features_used(const cfg_model_t *m)
{
    uint32_t f = 0;
    for (unsigned l = 0; l < m->layers; l++) {
        for (unsigned k = 0; k < m->nkeys; k++) f |= kc_feature(m->keymap[l][m->layout[k]]);
        for (unsigned e = 0; e < m->nencoders; e++)
            f |= kc_feature(m->enc_map[l][e][0]) | kc_feature(m->enc_map[l][e][1]);
    }
    for (unsigned i = 0; i < m->ncombos; i++) f |= BIT(CFG_F_COMBO) | kc_feature(m->combos[i].result);
    for (unsigned i = 0; i < m->ntap_dances; i++) {
        const cfg_tap_dance_def_t *t = &m->tap_dances[i];
        /* a dance nobody can reach costs nothing; one reached brings what its actions use */
        if (f & BIT(CFG_F_TAP_DANCE))
            f |= kc_feature(t->on_tap) | kc_feature(t->on_hold) | kc_feature(t->on_double_tap) |
                 kc_feature(t->on_tap_hold);
    }
    if (f & BIT(CFG_F_LEADER))
        for (unsigned i = 0; i < m->nleader; i++) f |= kc_feature(m->leader[i].result);
    for (unsigned i = 0; i < m->nko; i++) f |= BIT(CFG_F_KEY_OVERRIDE) | kc_feature(m->ko[i].replacement);
    if (m->nkcancel) f |= BIT(CFG_F_KEY_CANCEL);
    if (m->settings[CFG_AUTO_SHIFT_ENABLED]) f |= BIT(CFG_F_AUTO_SHIFT);
    if (m->settings[CFG_CAPS_WORD_BOTH_SHIFTS] || m->settings[CFG_CAPS_WORD_DOUBLE_TAP_SHIFT])
        f |= BIT(CFG_F_CAPS_WORD);
    if (m->settings[CFG_MOUSE_MODE] != CFG_MOUSE_ACCELERATED) f |= BIT(CFG_F_MOUSE_MODES);
    return f;
}

/* "MACRO UNICODE ..." -> bits */
static uint32_t parse_list(const char *s)
{
    uint32_t f = 0;
    while (*s) {
        while (*s == ' ') s++;
        size_t n = strcspn(s, " ");
        for (unsigned i = 0; n && i < CFG_F_COUNT; i++)
            if (strlen(features[i].name) == n && !strncmp(features[i].name, s, n)) f |= BIT(i);
        s += n;
    }
    return f;
}

static cfg_avr_image_t images[8];
static size_t nimages;

size_t cfg_avr_images(const cfg_avr_image_t **out)
{
    if (!nimages) {
        images[0] = (cfg_avr_image_t){"",
            (uint32_t)ENGINE_AVR_MACRO << CFG_F_MACRO | (uint32_t)ENGINE_AVR_UNICODE << CFG_F_UNICODE |
            (uint32_t)ENGINE_AVR_LEADER << CFG_F_LEADER | (uint32_t)ENGINE_AVR_DYNMACRO << CFG_F_DYNMACRO |
            (uint32_t)ENGINE_AVR_COMBO << CFG_F_COMBO | (uint32_t)ENGINE_AVR_TAP_DANCE << CFG_F_TAP_DANCE |
            (uint32_t)ENGINE_AVR_CAPS_WORD << CFG_F_CAPS_WORD |
            (uint32_t)ENGINE_AVR_AUTO_SHIFT << CFG_F_AUTO_SHIFT |
            (uint32_t)ENGINE_AVR_KEY_OVERRIDE << CFG_F_KEY_OVERRIDE |
            (uint32_t)ENGINE_AVR_REPEAT_KEY << CFG_F_REPEAT_KEY |
            (uint32_t)ENGINE_AVR_LAYER_LOCK << CFG_F_LAYER_LOCK |
            (uint32_t)ENGINE_AVR_SPACE_CADET << CFG_F_SPACE_CADET |
            (uint32_t)ENGINE_AVR_KEY_CANCEL << CFG_F_KEY_CANCEL |
            (uint32_t)ENGINE_AVR_GRAVE_ESC << CFG_F_GRAVE_ESC |
            (uint32_t)ENGINE_AVR_TRI_LAYER << CFG_F_TRI_LAYER |
            (uint32_t)ENGINE_AVR_MOUSE_MODES << CFG_F_MOUSE_MODES};
        images[1] = (cfg_avr_image_t){"-seq", parse_list(ENGINE_AVR_IMAGE_SEQ)};
        images[2] = (cfg_avr_image_t){"-mods", parse_list(ENGINE_AVR_IMAGE_MODS)};
        images[3] = (cfg_avr_image_t){"-mouse", parse_list(ENGINE_AVR_IMAGE_MOUSE)};
        images[4] = (cfg_avr_image_t){"-seq-mouse", parse_list(ENGINE_AVR_IMAGE_SEQ_MOUSE)};
        images[5] = (cfg_avr_image_t){"-seq-mods", parse_list(ENGINE_AVR_IMAGE_SEQ_MODS)};
        images[6] = (cfg_avr_image_t){"-mods-mouse", parse_list(ENGINE_AVR_IMAGE_MODS_MOUSE)};
        images[7] = (cfg_avr_image_t){"-all", parse_list(ENGINE_AVR_IMAGE_ALL)};
        nimages = sizeof images / sizeof images[0];
    }
    *out = images;
    return nimages;
}

static unsigned popcount(uint32_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1) n++;
    return n;
}

const cfg_avr_image_t *cfg_avr_image_for(uint32_t used, uint32_t *missing)
{
    const cfg_avr_image_t *im;
    size_t n = cfg_avr_images(&im), best = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(used & ~im[i].features)) {
            best = i;
            break;
        }
        if (popcount(used & ~im[i].features) < popcount(used & ~im[best].features)) best = i;
    }
    if (missing) *missing = used & ~im[best].features;
    return &im[best];
}
