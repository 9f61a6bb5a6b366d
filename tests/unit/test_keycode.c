/* The keycode language: every name parses to QMK's value, values print back to their canonical
 * text, function forms round-trip over the whole 16-bit space, and bad input gets precise errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/keycode.h"

static kc_t parse_ok(const char *s)
{
    kc_t v = 0xDEAD;
    kc_parse_error_t err;
    if (!kc_parse(s, strlen(s), &v, &err)) fail_msg("'%s' rejected at %zu: %s", s, err.offset, err.msg);
    return v;
}

/* The table is what the binary search and the suggestions rely on. */
static void names_sorted_and_unique(void **state)
{
    (void)state;
    size_t n = kc_name_count();
    assert_true(n > 2000);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        kc_t v;
        int kind;
        const char *name = kc_name_at(i, &v, &kind);
        assert_non_null(name);
        if (prev && strcmp(prev, name) >= 0) fail_msg("'%s' before '%s'", prev, name);
        assert_true(kind == KC_NAME_CANONICAL || kind == KC_NAME_ALIAS || kind == KC_NAME_LEGACY);
        prev = name;
    }
    assert_null(kc_name_at(n, NULL, NULL));
}

static void every_name_parses_to_its_value(void **state)
{
    (void)state;
    for (size_t i = 0; i < kc_name_count(); i++) {
        kc_t v;
        const char *name = kc_name_at(i, &v, NULL);
        if (parse_ok(name) != v) fail_msg("%s parsed to 0x%04X, table says 0x%04X", name, parse_ok(name), v);
    }
}

/* Canonical names print back to themselves; each value has exactly one canonical name. */
static void canonical_names_round_trip(void **state)
{
    (void)state;
    size_t canon = 0;
    for (size_t i = 0; i < kc_name_count(); i++) {
        kc_t v;
        int kind;
        const char *name = kc_name_at(i, &v, &kind);
        char buf[64];
        kc_format(v, buf, sizeof buf);
        if (kind == KC_NAME_CANONICAL) {
            canon++;
            if (strcmp(buf, name) != 0) fail_msg("0x%04X prints as %s, expected %s", v, buf, name);
            assert_string_equal(kc_canonical_name(v), name);
        } else {
            /* aliases print as the canonical text of their value, which parses back */
            assert_int_equal(parse_ok(buf), v);
        }
    }
    assert_true(canon > 850);
}

/* Values from QMK's tables (qmk.md §3) and from core/keycodes.h, checked one by one. */
static void values_match_qmk(void **state)
{
    (void)state;
    static const struct { const char *text; unsigned value; } cases[] = {
        {"KC_NO", KC_NO}, {"XXXXXXX", 0x0000}, {"_______", 0x0001}, {"KC_TRNS", KC_TRANSPARENT},
        {"KC_A", KC_A}, {"KC_Z", KC_Z}, {"KC_1", KC_1}, {"KC_0", KC_0}, {"KC_ENT", KC_ENTER},
        {"KC_ESC", KC_ESCAPE}, {"KC_BSPC", KC_BACKSPACE}, {"KC_TAB", KC_TAB}, {"KC_SPC", KC_SPACE},
        {"KC_MINS", KC_MINUS}, {"KC_EQL", KC_EQUAL}, {"KC_LBRC", KC_LEFT_BRACKET},
        {"KC_RBRC", KC_RIGHT_BRACKET}, {"KC_BSLS", KC_BACKSLASH}, {"KC_SCLN", KC_SEMICOLON},
        {"KC_QUOT", KC_QUOTE}, {"KC_GRV", KC_GRAVE}, {"KC_COMM", KC_COMMA}, {"KC_DOT", KC_DOT},
        {"KC_SLSH", KC_SLASH}, {"KC_CAPS", KC_CAPS_LOCK}, {"KC_F1", KC_F1}, {"KC_DEL", KC_DELETE},
        {"KC_RGHT", KC_RIGHT}, {"KC_LEFT", KC_LEFT}, {"KC_DOWN", KC_DOWN}, {"KC_UP", KC_UP},
        {"KC_EXSL", KC_EXSEL}, {"KC_PWR", KC_SYSTEM_POWER}, {"KC_WAKE", KC_SYSTEM_WAKE},
        {"KC_MUTE", KC_AUDIO_MUTE}, {"KC_LPAD", KC_LAUNCHPAD}, {"MS_UP", QK_MOUSE_CURSOR_UP},
        {"MS_DOWN", QK_MOUSE_CURSOR_DOWN}, {"MS_LEFT", QK_MOUSE_CURSOR_LEFT},
        {"MS_RGHT", QK_MOUSE_CURSOR_RIGHT}, {"MS_BTN1", QK_MOUSE_BUTTON_1}, {"MS_BTN8", QK_MOUSE_BUTTON_8},
        {"MS_WHLU", QK_MOUSE_WHEEL_UP}, {"MS_WHLD", QK_MOUSE_WHEEL_DOWN}, {"MS_WHLL", QK_MOUSE_WHEEL_LEFT},
        {"MS_WHLR", QK_MOUSE_WHEEL_RIGHT}, {"MS_ACL0", QK_MOUSE_ACCELERATION_0},
        {"MS_ACL2", QK_MOUSE_ACCELERATION_2}, {"KC_LCTL", KC_LEFT_CTRL}, {"KC_LSFT", KC_LEFT_SHIFT},
        {"KC_LALT", KC_LEFT_ALT}, {"KC_LGUI", KC_LEFT_GUI}, {"KC_RCTL", KC_RIGHT_CTRL},
        {"KC_RSFT", KC_RIGHT_SHIFT}, {"KC_RALT", KC_RIGHT_ALT}, {"KC_RGUI", KC_RIGHT_GUI},
        {"QK_BOOT", QK_BOOT}, {"QK_RBT", QK_REBOOT}, {"DB_TOGG", QK_DEBUG_TOGGLE}, {"EE_CLR", QK_CLEAR_EEPROM},
        {"QK_GESC", QK_GRAVE_ESCAPE}, {"OS_ON", QK_ONE_SHOT_ON}, {"OS_OFF", QK_ONE_SHOT_OFF},
        {"OS_TOGG", QK_ONE_SHOT_TOGGLE}, {"CW_TOGG", QK_CAPS_WORD_TOGGLE}, {"TL_LOWR", QK_TRI_LAYER_LOWER},
        {"TL_UPPR", QK_TRI_LAYER_UPPER}, {"QK_REP", QK_REPEAT_KEY}, {"QK_AREP", QK_ALT_REPEAT_KEY},
        {"QK_LLCK", QK_LAYER_LOCK}, {"NK_ON", NK_ON}, {"NK_OFF", NK_OFF}, {"NK_TOGG", NK_TOGG},
        /* qmk.md §3.4-§3.5 */
        {"KC_EXLM", 0x021E}, {"KC_TILD", 0x0235}, {"KC_PLUS", 0x022E}, {"KC_QUES", 0x0238},
        {"KC_DQT", 0x0234}, {"KC_LT", 0x0236}, {"KC_GT", 0x0237}, {"KC_MEH", 0x0700}, {"KC_HYPR", 0x0F00},
        {"KC_BRMD", 0x47}, {"KC_BRMU", 0x48}, {"KC_KB_POWER", 0x66}, {"KC_INT1", 0x87}, {"KC_LNG9", 0x98},
        {"KC_MEDIA_EJECT", 0xB0}, {"KC_ASST", 0xC0}, {"QK_MAKE", 0x7C04}, {"AS_TOGG", 0x7C15},
        {"VK_TOGG", 0x7C17}, {"SC_SENT", 0x7C1E}, {"UC_EMAC", 0x7C37}, {"HF_DWLD", 0x7C4C},
        {"CM_TOGG", 0x7C52}, {"DM_PLY2", 0x7C57}, {"QK_LEAD", 0x7C58}, {"QK_LOCK", 0x7C59},
        {"KO_OFF", 0x7C5F}, {"SE_REQ", 0x7C63}, {"DT_DOWN", 0x7C72}, {"AC_TOGG", 0x7C76},
        {"BL_ON", 0x7800}, {"BL_BRTG", 0x7806}, {"LM_ON", 0x7810}, {"LM_SPDD", 0x7818},
        {"UG_TOGG", 0x7820}, {"UG_SPDD", 0x782A}, {"RGB_M_P", 0x782B}, {"RGB_M_TW", 0x7834},
        {"RM_ON", 0x7840}, {"RM_SPDD", 0x784C}, {"CL_SWAP", 0x7000}, {"GU_TOGG", 0x700B},
        {"AG_SWAP", 0x7014}, {"EH_LEFT", 0x701E}, {"EH_RGHT", 0x701F}, {"EC_TOGG", 0x7022},
        {"SH_TOGG", 0x56F0}, {"SH_OS", 0x56F6}, {"JS_0", 0x7400}, {"JS_31", 0x741F}, {"PB_1", 0x7440},
        {"PB_32", 0x745F}, {"AU_ON", 0x7480}, {"AU_TOGG", 0x7482}, {"CK_TOGG", 0x748A}, {"MU_ON", 0x7490},
        {"MC_0", 0x7700}, {"MC_31", 0x771F}, {"QK_MACRO_5", 0x7705}, {"QK_KB_0", 0x7E00},
        {"QK_KB_31", 0x7E1F}, {"QK_USER_0", 0x7E40}, {"QK_USER_31", 0x7E5F},
        /* newest tables (keycodes 0.0.9 / 0.0.10) where qmk.md had an older draft */
        {"OU_AUTO", 0x7780}, {"OU_NEXT", 0x7781}, {"OU_BT", 0x7786}, {"BT_NEXT", 0x7790},
        {"BT_PRF1", 0x7793}, {"BT_PRF5", 0x7797}, {"QK_OS_SKIP", 0x7C7C}, {"QK_OS_TOG", 0x7C7D},
        {"LM_FLGN", 0x7819}, {"RM_FLGP", 0x784E}, {"ST_PREV", 0x751F}, {"PLV_X26", 0x5A7F},
        {"PLV_S1", 0x5A40}, {"ST_FN", 0x74C0}, {"ST_NUM", 0x74C1}, {"ST_X26", 0x7503}, {"ST_S3", 0x750B},
        {"ST_EU", 0x7515}, {"ST_BOLT", 0x751C}, {"SQ_SCLR", 0x7208}, {"AU_PREV", 0x7495}, {"UC_NEXT", 0x7C30},
        {"SC_LCPO", 0x7C18}, {"DM_REC1", 0x7C53}, {"KC_DELT", 0x4C},
        /* MIDI */
        {"MI_OC7", 0x7154}, {"MI_OCTU", 0x7156}, {"MI_TRSU", 0x7165}, {"MI_VELU", 0x7172},
        {"MI_CHNU", 0x7184}, {"MI_AOFF", 0x7185}, {"MI_Cs", 0x7104}, {"MI_Bb4", 0x713D},
        {"MI_ON", 0x7100}, {"MI_C", 0x7103}, {"MI_Db", 0x7104}, {"MI_B5", 0x714A}, {"MI_OCN2", 0x714B},
        {"MI_TRN6", 0x7157}, {"MI_VL0", 0x7166}, {"MI_CH16", 0x7182}, {"MI_BNDU", 0x718F},
        /* legacy names */
        {"RESET", 0x7C00}, {"DEBUG", 0x7C02}, {"EEP_RST", 0x7C03}, {"KC_GESC", 0x7C16},
        {"KC_LCTRL", 0xE0}, {"KC_RSHIFT", 0xE5}, {"KC_BSPACE", 0x2A}, {"KC_ZKHK", 0x35}, {"KC_RO", 0x87},
        {"KC_HANJ", 0x91}, {"KC_NLCK", 0x53}, {"KC_LANG1", 0x90}, {"KC_POWER", 0x66}, {"KC__VOLUP", 0x80},
        {"KC_MS_U", 0xCD}, {"KC_MS_RIGHT", 0xD0}, {"KC_BTN1", 0xD1}, {"KC_MS_BTN8", 0xD8},
        {"KC_WH_D", 0xDA}, {"KC_MS_WH_RIGHT", 0xDC}, {"KC_ACL0", 0xDD}, {"KC_MS_ACCEL2", 0xDF},
        {"RGB_TOG", 0x7820}, {"RGB_MOD", 0x7821}, {"RGB_RMOD", 0x7822}, {"RGB_SPD", 0x782A},
        {"BL_INC", 0x7804}, {"BL_DEC", 0x7803}, {"KC_LSPO", 0x7C1A}, {"CAPS_WORD", 0x7C73},
        {"MAGIC_TOGGLE_NKRO", 0x7013}, {"MAGIC_HOST_NKRO", 0x7011}, {"MACRO_3", 0x7703},
        {"JS_BUTTON31", 0x741F}, {"MI_C_1", 0x710F}, {"MI_VEL_10", 0x7170}, {"SH_TG", 0x56F0},
        {"OUT_BT", 0x7786},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_t v = parse_ok(cases[i].text);
        if (v != cases[i].value) fail_msg("%s = 0x%04X, expected 0x%04X", cases[i].text, v, cases[i].value);
    }
}

static void function_forms(void **state)
{
    (void)state;
    static const struct { const char *text; unsigned value; } cases[] = {
        {"LT(1,KC_SPC)", 0x412C}, {"LT(1, KC_SPC)", 0x412C}, {"  LT( 15 ,KC_A )  ", 0x4F04},
        {"LSFT_T(KC_A)", 0x2204}, {"SFT_T(KC_A)", 0x2204}, {"MT(MOD_LCTL|MOD_LSFT,KC_ESC)", 0x2329},
        {"MT(MOD_LCTL | MOD_LSFT, KC_ESC)", 0x2329}, {"LCS_T(KC_ESC)", 0x2329}, {"C_S_T(KC_ESC)", 0x2329},
        {"C(S(KC_T))", 0x0317}, {"LCTL(LSFT(KC_T))", 0x0317}, {"LCS(KC_T)", 0x0317},
        {"LCTL(KC_A)", 0x0104}, {"S(KC_1)", 0x021E}, {"LSFT(KC_1)", 0x021E}, {"HYPR(KC_A)", 0x0F04},
        {"MEH(KC_A)", 0x0704}, {"MEH(KC_NO)", 0x0700}, {"LCTL(KC_EXLM)", 0x031E},
        /* QMK quirk: mod bits are ORed and bit 4 makes all mods right-handed */
        {"RSFT(LCTL(KC_O))", 0x1312}, {"RALT(KC_A)", 0x1404}, {"ALGR(KC_A)", 0x1404},
        {"SAGR(KC_A)", 0x1604}, {"SGUI(KC_A)", 0x0A04}, {"RCAG(KC_A)", 0x1D04},
        {"MT(MOD_LCTL|MOD_RSFT,KC_A)", 0x3304}, {"OSM(MOD_LCTL|MOD_RALT)", 0x52B5},
        {"OSM(MOD_LSFT)", 0x52A2}, {"OS_LSFT", 0x52A2}, {"OSM(MOD_LCTL|MOD_LSFT)", 0x52A3},
        {"OSM(MOD_MEH)", 0x52A7}, {"OS_HYPR", 0x52AF}, {"OS_RSAG", 0x52BE}, {"OSM(0x12)", 0x52B2},
        {"OSM((MOD_LCTL|MOD_LALT))", 0x52A5},
        {"LM(2,MOD_LALT)", 0x5044}, {"LM(15, MOD_RGUI)", 0x51F8},
        {"MO(1)", 0x5221}, {"MO(31)", 0x523F}, {"TO(0)", 0x5200}, {"DF(2)", 0x5242}, {"PDF(3)", 0x52E3},
        {"TG(4)", 0x5264}, {"OSL(5)", 0x5285}, {"TT(6)", 0x52C6},
        {"TD(0)", 0x5700}, {"TD(255)", 0x57FF}, {"UC(0x00E9)", 0x80E9}, {"UC(0x7FFF)", 0xFFFF},
        {"UM(0)", 0x8000}, {"UM(0x3FFF)", 0xBFFF}, {"UP(1,2)", 0xC101}, {"UP(127,127)", 0xFFFF},
        {"SH_T(KC_SPC)", 0x562C}, {"MEH_T(KC_A)", 0x2704}, {"HYPR_T(KC_A)", 0x2F04}, {"ALL_T(KC_A)", 0x2F04},
        {"LCAG_T(KC_A)", 0x2D04}, {"RSAG_T(KC_A)", 0x3E04}, {"SAGR_T(KC_A)", 0x3604}, {"ALGR_T(KC_A)", 0x3404},
        {"MT(0,KC_A)", 0x2004}, {"LT(0,0x02)", 0x4002},
        {"ANY(KC_A)", 0x0004}, {"ANY(LT(1,KC_SPC))", 0x412C}, {"ANY( 0x7C00 )", 0x7C00},
        {"4", 0x0004}, {"0x7C00", 0x7C00}, {"0X7c00", 0x7C00}, {"65535", 0xFFFF}, {"0", 0},
        {"\tKC_A\r\n", 0x0004},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_t v = parse_ok(cases[i].text);
        if (v != cases[i].value) fail_msg("%s = 0x%04X, expected 0x%04X", cases[i].text, v, cases[i].value);
    }
}

static void format_rule(void **state)
{
    (void)state;
    static const struct { unsigned value; const char *text; } cases[] = {
        {0x0004, "KC_A"}, {0x002C, "KC_SPACE"}, {0x0002, "0x0002"}, {0x00E8, "0x00E8"},
        {0x00CD, "QK_MOUSE_CURSOR_UP"}, {0x021E, "KC_EXLM"}, {0x0104, "LCTL(KC_A)"}, {0x0317, "LCS(KC_T)"},
        {0x0700, "MEH(KC_NO)"}, {0x0F04, "HYPR(KC_A)"}, {0x1704, "RCTL(RSFT(RALT(KC_A)))"},
        {0x1F04, "RCTL(RSFT(RALT(RGUI(KC_A))))"}, {0x1004, "0x1004"}, {0x1202, "RSFT(0x02)"},
        {0x412C, "LT(1,KC_SPACE)"}, {0x2204, "LSFT_T(KC_A)"}, {0x2329, "LCS_T(KC_ESCAPE)"},
        {0x2704, "MEH_T(KC_A)"}, {0x2F04, "HYPR_T(KC_A)"}, {0x2004, "MT(0x00,KC_A)"},
        {0x3004, "MT(0x10,KC_A)"}, {0x3704, "MT(MOD_RCTL|MOD_RSFT|MOD_RALT,KC_A)"},
        {0x5044, "LM(2,MOD_LALT)"}, {0x5221, "MO(1)"}, {0x523F, "MO(31)"}, {0x52A2, "OSM(MOD_LSFT)"},
        {0x52A3, "OSM(MOD_LCTL|MOD_LSFT)"}, {0x52B2, "OSM(MOD_RSFT)"}, {0x52E3, "PDF(3)"},
        {0x5300, "0x5300"}, {0x562C, "SH_T(KC_SPACE)"}, {0x56F0, "QK_SWAP_HANDS_TOGGLE"},
        {0x5700, "TD(0)"}, {0x7C00, "QK_BOOTLOADER"}, {0x7011, "QK_MAGIC_NKRO_ON"}, {0x7700, "QK_MACRO_0"},
        {0x7720, "0x7720"}, {0x80E9, "UC(0x00E9)"}, {0xFFFF, "UC(0x7FFF)"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = kc_format((kc_t)cases[i].value, buf, sizeof buf);
        assert_int_equal(n, strlen(buf));
        if (strcmp(buf, cases[i].text) != 0) fail_msg("0x%04X prints %s, expected %s", cases[i].value, buf,
                                                      cases[i].text);
    }
    /* snprintf-like: cut text stays terminated, the full length is reported */
    char small[5];
    assert_int_equal(kc_format(0x412C, small, sizeof small), strlen("LT(1,KC_SPACE)"));
    assert_string_equal(small, "LT(1");
    assert_int_equal(kc_format(0x0004, NULL, 0), 4);
}

/* Every 16-bit value prints to text that parses back to it: all MT/LT/LM/OSM/layer forms included. */
static void every_value_round_trips(void **state)
{
    (void)state;
    char buf[KC_FORMAT_MAX];
    size_t longest = 0;
    for (unsigned v = 0; v <= 0xFFFF; v++) {
        size_t n = kc_format((kc_t)v, buf, sizeof buf);
        assert_true(n < sizeof buf);
        if (n > longest) longest = n;
        kc_t back;
        kc_parse_error_t err;
        if (!kc_parse(buf, n, &back, &err)) fail_msg("0x%04X -> '%s' rejected: %s", v, buf, err.msg);
        if (back != v) fail_msg("0x%04X -> '%s' -> 0x%04X", v, buf, back);
    }
    /* MT(MOD_RCTL|MOD_RSFT|MOD_RALT|MOD_RGUI,QK_MOUSE_ACCELERATION_0): KC_FORMAT_MAX is not slack */
    assert_int_equal(longest, KC_FORMAT_MAX - 1);
}

/* Parsing counted text: no NUL needed, nothing read past n. */
static void counted_text(void **state)
{
    (void)state;
    kc_t v;
    assert_true(kc_parse("KC_AB", 4, &v, NULL));
    assert_int_equal(v, KC_A);
    assert_true(kc_parse("MO(1)xyz", 5, &v, NULL));
    assert_int_equal(v, 0x5221);
    assert_false(kc_parse("MO(1)", 4, &v, NULL));
}

static void basic_names(void **state)
{
    (void)state;
    assert_string_equal(kc_basic_name(KC_A), "A");
    assert_string_equal(kc_basic_name(KC_1), "1");
    assert_string_equal(kc_basic_name(KC_ENTER), "ENTER");
    assert_string_equal(kc_basic_name(KC_LEFT_BRACKET), "LEFT_BRACKET");
    assert_string_equal(kc_basic_name(0xA9), "AUDIO_VOL_UP");
    assert_string_equal(kc_basic_name(0xA6), "SYSTEM_SLEEP");
    assert_string_equal(kc_basic_name(KC_LEFT_SHIFT), "LEFT_SHIFT");
    assert_string_equal(kc_basic_name(0xD1), "MOUSE_BUTTON_1");
    assert_null(kc_basic_name(0x02));
    assert_null(kc_basic_name(0xE8));
    for (unsigned c = 0; c <= 0xFF; c++) {
        const char *name = kc_basic_name((uint8_t)c);
        if (!name) continue;
        uint8_t back;
        assert_true(kc_basic_from_name(name, strlen(name), &back));
        assert_int_equal(back, c);
    }
    uint8_t b;
    assert_true(kc_basic_from_name("ENT", 3, &b));
    assert_int_equal(b, KC_ENTER);
    assert_true(kc_basic_from_name("LSFT", 4, &b));
    assert_int_equal(b, KC_LEFT_SHIFT);
    assert_true(kc_basic_from_name("KC_SPC", 6, &b));
    assert_int_equal(b, KC_SPACE);
    assert_false(kc_basic_from_name("EXLM", 4, &b)); /* a name, but not a basic keycode */
    assert_false(kc_basic_from_name("NOPE", 4, &b));
}

static void implemented(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "KC_A", "KC_NO", "KC_TRNS", "KC_EXSEL", "KC_PWR", "KC_MUTE", "KC_LPAD", "MS_BTN1", "MS_ACL2",
        "KC_RGUI", "KC_EXLM", "LCTL(KC_A)", "LSFT_T(KC_A)", "LT(1,KC_SPC)", "MO(1)", "TG(2)", "TO(3)",
        "TT(4)", "DF(1)", "PDF(1)", "LM(1,MOD_LALT)", "OSL(1)", "OSM(MOD_LSFT)", "QK_BOOT", "QK_RBT",
        "EE_CLR", "NK_ON", "NK_OFF", "NK_TOGG", "OS_ON", "OS_OFF", "OS_TOGG",
        "MC_0", "QK_MACRO_31", "UC(0x00E9)", "UM(3)", "UP(1,2)", "UC_NEXT", "UC_EMAC", "QK_LEAD",
        "DM_REC1", "DM_PLY2", "CW_TOGG", "QK_GESC", "QK_REP", "QK_AREP", "QK_LLCK", "TL_LOWR",
        "TL_UPPR", "AS_TOGG", "AS_RPT", "SC_LSPO", "SC_SENT", "KO_TOGG", "KO_OFF",
        "TD(0)", "TD(255)", "CM_ON", "CM_OFF", "CM_TOGG",
    };
    static const char *const no[] = {
        "0x02", "0xC3", "UG_TOGG", "SH_T(KC_A)",
        "QK_USER_0", "DB_TOGG", "0x5300", "LT(1,0x02)", "MI_C", "AC_TOGG", "0x7C17",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!kc_implemented(parse_ok(yes[i]))) fail_msg("%s should be implemented", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (kc_implemented(parse_ok(no[i]))) fail_msg("%s should not be implemented yet", no[i]);
}

/* Each bad input: where the error points and exactly what it says. */
static void errors(void **state)
{
    (void)state;
    static const struct { const char *text; size_t offset; const char *msg; } cases[] = {
        {"", 0, "empty keycode"},
        {"   ", 3, "empty keycode"},
        {"KC_ENTR", 0, "unknown keycode 'KC_ENTR' (did you mean KC_ENTER?)"},
        {"kc_a", 0, "unknown keycode 'kc_a' (did you mean KC_A? names are case-sensitive)"},
        {"ENTER", 0, "unknown keycode 'ENTER' (did you mean KC_ENTER?)"},
        {"KC_SPACEBAR", 0, "unknown keycode 'KC_SPACEBAR' (did you mean KC_SPACE?)"},
        {"QK_BOTO", 0, "unknown keycode 'QK_BOTO' (did you mean QK_BOOT?)"},
        {"XYZZY_PLUGH", 0, "unknown keycode 'XYZZY_PLUGH'"},
        {"LT(16,KC_A)", 3, "layer 16 out of range: LT reaches layers 0-15 (4 bits)"},
        {"LM(16,MOD_LALT)", 3, "layer 16 out of range: LM reaches layers 0-15 (4 bits)"},
        {"MO(32)", 3, "layer 32 out of range: MO reaches layers 0-31 (5 bits)"},
        {"TG( 99 )", 4, "layer 99 out of range: TG reaches layers 0-31 (5 bits)"},
        {"LT(1,KC_EXLM)", 5,
         "tap keycode of LT must be a basic keycode (0x00-0xFF); 'KC_EXLM' is LSFT(KC_1), a modified "
         "keycode (QMK would silently drop its mods)"},
        {"LSFT_T(LCTL(KC_A))", 7,
         "tap keycode of LSFT_T must be a basic keycode (0x00-0xFF); 'LCTL(KC_A)' is a modified keycode "
         "(QMK would silently drop its mods)"},
        {"MT(MOD_LSFT,MO(1))", 12, "tap keycode of MT must be a basic keycode (0x00-0xFF), not 'MO(1)'"},
        {"LT(layer,KC_A)", 3, "the layer of LT must be a number, got 'layer'"},
        {"LT(1)", 4, "LT takes 2 arguments LT(layer, keycode), got 1"},
        {"LT(1,KC_A,KC_B)", 9, "LT takes 2 arguments LT(layer, keycode), got more"},
        {"MO(1,2)", 4, "MO takes 1 argument MO(layer), got more"},
        {"MO()", 3, "MO needs an argument: MO(layer)"},
        {"LT", 0, "LT needs 2 arguments: LT(layer, keycode)"},
        {"LSFT", 0, "LSFT needs an argument: LSFT(keycode)"},
        {"LT(1,KC_A", 9, "expected ')' to close LT(, got end of text"},
        {"LCTL(KC_A KC_B)", 10, "expected ')' to close LCTL(, got 'KC_B'"},
        {"KC_A)", 4, "unexpected ')' after the keycode (one ')' too many?)"},
        {"KC_A KC_B", 5, "unexpected 'KC_B' after the keycode"},
        {"KC_A(1)", 4, "'KC_A' is a keycode, not a function: remove the '('"},
        {"LTT(1,KC_A)", 0, "unknown function 'LTT' (did you mean LT?)"},
        {"lt(1,KC_A)", 0, "unknown function 'lt' (did you mean LT? names are case-sensitive)"},
        {"OSM(MOD_LSHIFT)", 4, "unknown modifier 'MOD_LSHIFT' (did you mean MOD_LSFT?)"},
        {"OSM(KC_LSFT)", 4, "the mods of OSM are MOD_* constants, not keycodes: write MOD_LSFT instead of 'KC_LSFT'"},
        {"OSM(MOD_MASK_SHIFT)", 4,
         "'MOD_MASK_SHIFT' is an 8-bit HID mask; the mods of OSM are 5-bit MOD_* constants (MOD_LSFT, "
         "MOD_RCTL...) joined by '|'"},
        {"OSM(0x20)", 4, "mods value 0x20 out of range: the mods of OSM are 5 bits (0x00-0x1F: MOD_* constants joined by '|')"},
        {"MT(MOD_LCTL|,KC_A)", 12, "expected MOD_* modifiers for MT, got ','"},
        {"MT(MOD_LCTL KC_A)", 12, "expected ',' between the arguments of MT, got 'KC_A'"},
        {"UC(0x8000)", 3,
         "code point 0x8000 out of range: UC reaches code points 0x0000-0x7FFF (use UM() or UP() with a "
         "unicode map for higher ones)"},
        {"UM(0x4000)", 3, "index 0x4000 out of range: UM reaches map entries 0-0x3FFF"},
        {"UP(1,128)", 5, "shifted index 128 out of range: UP reaches map entries 0-127"},
        {"TD(256)", 3, "index 256 out of range: TD reaches tap dances 0-255"},
        {"LCTL(MO(1))", 5, "LCTL() can only wrap a basic or modified keycode (up to 0x1FFF); 'MO(1)' is 0x5221"},
        {"65536", 0, "number '65536' is too large (keycodes and their arguments are at most 0xFFFF)"},
        {"0x10000", 0, "number '0x10000' is too large (keycodes and their arguments are at most 0xFFFF)"},
        {"12ab", 0, "invalid number '12ab'"},
        {"0x", 0, "invalid number '0x'"},
        {"010", 0, "ambiguous number '010': a leading 0 means octal in QMK's C; write it without the 0, or in hex (0x...)"},
        {"-1", 0, "expected a keycode, got '-'"},
        {"LT(1,)", 5, "expected a keycode, got ')'"},
        {"\"KC_A\"", 0, "expected a keycode, got '\"'"},
        {"KC_A\x01", 4, "unexpected '\\x01' after the keycode"},
        {"C(C(C(C(C(C(C(C(C(C(C(C(C(C(C(C(C(KC_A)))))))))))))))))", 33, "expression nested too deeply"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kc_t v = 0x1234;
        kc_parse_error_t err;
        const char *t = cases[i].text;
        if (kc_parse(t, strlen(t), &v, &err)) fail_msg("'%s' accepted as 0x%04X", t, v);
        assert_int_equal(v, 0x1234); /* nothing written on failure */
        if (strcmp(err.msg, cases[i].msg) != 0 || err.offset != cases[i].offset)
            fail_msg("'%s':\n got      %zu: %s\n expected %zu: %s", t, err.offset, err.msg, cases[i].offset,
                     cases[i].msg);
    }
}

/* A long unknown name is quoted shortened, and the message still fits. */
static void long_input(void **state)
{
    (void)state;
    char text[300];
    memset(text, 'Q', sizeof text);
    kc_parse_error_t err;
    assert_false(kc_parse(text, sizeof text, NULL, &err));
    assert_int_equal(err.offset, 0);
    assert_true(strncmp(err.msg, "unknown keycode 'QQQ", 20) == 0);
    assert_non_null(strstr(err.msg, "...'"));
    assert_true(strlen(err.msg) < sizeof err.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_sorted_and_unique),
        cmocka_unit_test(every_name_parses_to_its_value),
        cmocka_unit_test(canonical_names_round_trip),
        cmocka_unit_test(values_match_qmk),
        cmocka_unit_test(function_forms),
        cmocka_unit_test(format_rule),
        cmocka_unit_test(every_value_round_trips),
        cmocka_unit_test(counted_text),
        cmocka_unit_test(basic_names),
        cmocka_unit_test(implemented),
        cmocka_unit_test(errors),
        cmocka_unit_test(long_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
