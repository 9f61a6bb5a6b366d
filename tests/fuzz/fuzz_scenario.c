/* libFuzzer target for the scenario / event-script parser and the report-line parser: any input
 * either parses or is rejected with a line:col inside the text, never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/report_fmt.h"
#include "tools/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const scn_t *s, const scn_error_t *err, size_t size)
{
    /* An error names a line that exists (or 0 for whole-file problems) and a column >= 1. */
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) lines += s->text[i] == '\n';
    if (err->line < 0 || (size_t)err->line > lines) abort();
    if (err->line > 0 && err->col < 1) abort();
    if (err->msg[0] == '\0') abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (int mode = SCN_SCENARIO; mode <= SCN_EVENTS; mode++) {
        scn_t s;
        scn_error_t err;
        if (scn_parse(&s, "fuzz.scn", text, size, (enum scn_mode)mode, &err)) {
            uint32_t t = 0;
            for (size_t i = 0; i < s.nevents; i++) {
                if (s.events[i].time_ms < t) abort(); /* the timeline is ordered */
                t = s.events[i].time_ms;
            }
            if (t > s.end_ms || s.end_ms > SCN_MAX_TIME_MS) abort();
        } else if (s.text) {
            check_error(&s, &err, size);
        }
        scn_free(&s);
    }
    /* Each line as an expected report line: parse, and if it parses, format and parse back. */
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && text[i] != '\n') continue;
        report_expect_t e;
        report_parse_error_t pe;
        if (report_parse(text + start, i - start, &e, &pe)) {
            char line[512];
            size_t n = report_format(&e.r, true, line, sizeof line);
            report_expect_t back;
            if (!report_parse(line, n, &back, &pe) || !report_same(&e.r, &back.r)) abort();
        } else if (pe.offset > i - start) {
            abort();
        }
        start = i + 1;
    }
    return 0;
}
