/* Which optional behaviours (core/features.h) a keymap uses, and which ATmega32U4 image holds
 * them: `kestrel build`, `kestrel test --target atmega32u4` and the loader's warnings use it. */
#ifndef KESTREL_CONFIG_AVR_IMAGES_H
#define KESTREL_CONFIG_AVR_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#include "config/model.h"

/* The optional behaviours, one bit each, in core/features.h's ENGINE_HAS_* names. */
enum cfg_feature {
    CFG_F_MACRO, CFG_F_UNICODE, CFG_F_LEADER, CFG_F_DYNMACRO, CFG_F_COMBO, CFG_F_TAP_DANCE,
    CFG_F_CAPS_WORD, CFG_F_AUTO_SHIFT, CFG_F_KEY_OVERRIDE, CFG_F_REPEAT_KEY, CFG_F_LAYER_LOCK,
    CFG_F_SPACE_CADET, CFG_F_KEY_CANCEL, CFG_F_GRAVE_ESC, CFG_F_TRI_LAYER, CFG_F_MOUSE_MODES,
    CFG_F_COUNT
};

/* The behaviours the model uses: keycodes anywhere (layers, encoders, combos, tap dances, leader
 * results, key overrides) and the blocks and settings that turn a behaviour on. */
uint32_t cfg_features_used(const cfg_model_t *m);

/* ENGINE_HAS_* name of a feature ("MACRO"), and a readable one ("macros"). */
const char *cfg_feature_name(unsigned f);
const char *cfg_feature_what(unsigned f);

/* The ATmega32U4 images: index 0 is the main one (core/features.h ENGINE_AVR_* = 1), then the
 * ENGINE_AVR_IMAGE_* lines. suffix "" for the main image, else "-seq", "-mods", ... */
typedef struct cfg_avr_image {
    const char *suffix;
    uint32_t features;
} cfg_avr_image_t;
size_t cfg_avr_images(const cfg_avr_image_t **out);

/* The image for a keymap that uses `used`: the first that has all of it, else the one that has
 * the most of it (the main image first on a tie). *missing: what the chosen image lacks. */
const cfg_avr_image_t *cfg_avr_image_for(uint32_t used, uint32_t *missing);

#endif
