/* The keycode -> HID usage tables of core/hid_usage.h (values from QMK's documented mapping). */
#include "core/hid_usage.h"

#include "core/keycodes.h"
#include "core/rom.h"

#define SYSTEM_FIRST   0xA5u
#define CONSUMER_FIRST 0xA8u
#define CONSUMER_LAST  0xC2u

#define SYSTEM_USAGE_FIRST 0x81u /* power, then sleep and wake: usages in keycode order, so no table */

/* 0xA8 .. 0xC2 in keycode order */
static const uint16_t consumer_usage[CONSUMER_LAST - CONSUMER_FIRST + 1] ROM_DATA = {
    0x0E2, /* AUDIO_MUTE */
    0x0E9, /* AUDIO_VOL_UP */
    0x0EA, /* AUDIO_VOL_DOWN */
    0x0B5, /* MEDIA_NEXT_TRACK */
    0x0B6, /* MEDIA_PREV_TRACK */
    0x0B7, /* MEDIA_STOP */
    0x0CD, /* MEDIA_PLAY_PAUSE */
    0x183, /* MEDIA_SELECT */
    0x0CC, /* MEDIA_EJECT */
    0x18A, /* MAIL */
    0x192, /* CALCULATOR */
    0x194, /* MY_COMPUTER */
    0x221, /* WWW_SEARCH */
    0x223, /* WWW_HOME */
    0x224, /* WWW_BACK */
    0x225, /* WWW_FORWARD */
    0x226, /* WWW_STOP */
    0x227, /* WWW_REFRESH */
    0x22A, /* WWW_FAVORITES */
    0x0B3, /* MEDIA_FAST_FORWARD */
    0x0B4, /* MEDIA_REWIND */
    0x06F, /* BRIGHTNESS_UP */
    0x070, /* BRIGHTNESS_DOWN */
    0x19F, /* CONTROL_PANEL */
    0x1CB, /* ASSISTANT */
    0x29F, /* MISSION_CONTROL */
    0x2A0, /* LAUNCHPAD */
};

uint16_t hid_usage_system(uint8_t kc)
{
    return (kc >= SYSTEM_FIRST && kc < CONSUMER_FIRST) ? (uint16_t)(SYSTEM_USAGE_FIRST + kc - SYSTEM_FIRST) : 0;
}

uint16_t hid_usage_consumer(uint8_t kc)
{
    return (kc >= CONSUMER_FIRST && kc <= CONSUMER_LAST) ? ROM_RD16(&consumer_usage[kc - CONSUMER_FIRST]) : 0;
}

uint8_t hid_usage_system_kc(uint16_t usage)
{
    uint16_t i = (uint16_t)(usage - SYSTEM_USAGE_FIRST);
    return i < CONSUMER_FIRST - SYSTEM_FIRST ? (uint8_t)(SYSTEM_FIRST + i) : 0;
}

uint8_t hid_usage_consumer_kc(uint16_t usage)
{
    for (uint8_t i = 0; i <= CONSUMER_LAST - CONSUMER_FIRST; i++)
        if (usage && ROM_RD16(&consumer_usage[i]) == usage) return (uint8_t)(CONSUMER_FIRST + i);
    return 0;
}

#if defined(__AVR__)
uint8_t kc_mods5_to_bits(uint8_t m5)
{
    return (m5 & 0x10u) ? (uint8_t)((m5 & 0x0Fu) << 4) : (uint8_t)(m5 & 0x0Fu);
}
#endif
