/* Orders the ATmega32U4 firmware's functions so that calls and jumps between them fall within the
 * reach of the 2-byte RCALL/RJMP (+-4 KB), which the linker's relaxation then uses instead of the
 * 4-byte CALL/JMP. A build step between two links (mk/avr.mk):
 *
 *   avr-order MAP DISASSEMBLY BASE.x OUT.x
 *
 * MAP and DISASSEMBLY come from a first link with -ffunction-sections; OUT.x is BASE.x (the linker
 * script that link used) with the functions' .text.* sections listed in the chosen order ahead of
 * the script's own `*(.text)`. The order: a chain merge of the call graph by weight (the pairs that
 * call each other most end up next to each other), then a deterministic local search that moves
 * sections and runs of sections (simulated annealing: it may take a worse order early on, to leave a
 * local minimum) and keeps the order with the fewest calls out of reach. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECS 1024
#define MAX_EDGES 8192
#define NAME_MAX_LEN 160
/* RCALL/RJMP reach 2,047 words forward and 2,048 back; relaxation only shortens distances, so
 * a margin is all the estimate needs. */
#define REACH 4000L
#define SEARCH_STEPS 2000000L
#define TEMP0 1.0 /* calls: a move one call worse is taken half the time at the start */

typedef struct {
    char name[NAME_MAX_LEN];
    long addr, size; /* in the first link; size summed over input sections of the same name */
} sec_t;

typedef struct {
    int from, to;
    long from_off, to_off; /* the call site in `from`, the target in `to` (first-link offsets) */
} edge_t;

static sec_t secs[MAX_SECS];
static int nsecs;
static edge_t edges[MAX_EDGES];
static int nedges;

static void die(const char *what, const char *file, long line)
{
    if (line > 0)
        fprintf(stderr, "avr-order: %s:%ld: %s\n", file, line, what);
    else
        fprintf(stderr, "avr-order: %s: %s\n", file, what);
    exit(1);
}

static int sec_find(const char *name)
{
    for (int i = 0; i < nsecs; i++)
        if (!strcmp(secs[i].name, name)) return i;
    return -1;
}

/* The .text output section of a GNU ld map: input sections ` .text.NAME  0xADDR  0xSIZE  OBJ`, the
 * numbers on the next line when the name is long. Only sections with bytes count. */
static void read_map(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open", path, 0);
    char line[1024], pending[NAME_MAX_LEN] = "";
    long ln = 0;
    int in_text = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        if (!strncmp(line, ".text ", 6) || !strncmp(line, ".text\n", 6)) in_text = 1;
        else if (in_text && line[0] == '.') break; /* the next output section */
        if (!in_text) continue;
        char name[NAME_MAX_LEN];
        long addr, size;
        int got = 0;
        if (pending[0]) {
            if (sscanf(line, " 0x%lx 0x%lx", &addr, &size) == 2) {
                strcpy(name, pending);
                got = 1;
            }
            pending[0] = 0;
        } else if (!strncmp(line, " .text.", 7)) {
            char tail[NAME_MAX_LEN];
            int n = sscanf(line, " %159s 0x%lx 0x%lx", tail, &addr, &size);
            if (n == 3) {
                strcpy(name, tail);
                got = 1;
            } else if (n == 1) {
                strcpy(pending, tail);
            }
        }
        if (!got || size == 0) continue;
        int i = sec_find(name);
        if (i < 0) {
            if (nsecs == MAX_SECS) die("too many sections", path, ln);
            i = nsecs++;
            snprintf(secs[i].name, sizeof secs[i].name, "%s", name);
            secs[i].addr = addr;
            secs[i].size = 0;
        }
        /* same-named sections (libgcc's prologue and epilogue) are placed together */
        secs[i].size += size;
    }
    fclose(f);
    if (nsecs == 0) die("no .text.* input sections (was the link made with -ffunction-sections?)",
                        path, 0);
}

/* Which input section holds a first-link address (sections of one name may lie apart: the first
 * holds the name's start, and offsets past its end are kept as they are). */
static int sec_at(long a, const long *starts, const long *ends, long *off)
{
    for (int i = 0; i < nsecs; i++)
        if (a >= starts[i] && a < ends[i]) {
            *off = a - starts[i];
            return i;
        }
    return -1;
}

/* `avr-objdump -d` lines: "  ADDR:\tBYTES \tcall\t0x...\t; 0xTARGET <sym>" (rcall, jmp, rjmp
 * alike). A call from one section to another is an edge; calls within a section stay as they
 * are. */
static void read_disassembly(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open", path, 0);
    static long starts[MAX_SECS], ends[MAX_SECS];
    for (int i = 0; i < nsecs; i++) {
        starts[i] = secs[i].addr;
        ends[i] = secs[i].addr + secs[i].size;
    }
    char line[1024];
    long ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        char *p = line;
        while (*p == ' ') p++;
        if (!isxdigit((unsigned char)*p)) continue;
        char *end;
        long at = strtol(p, &end, 16);
        if (*end != ':') continue;
        const char *ops[] = {"\tcall\t", "\trcall\t", "\tjmp\t", "\trjmp\t"};
        int is_call = 0;
        for (unsigned k = 0; k < sizeof ops / sizeof ops[0]; k++)
            if (strstr(end, ops[k])) is_call = 1;
        if (!is_call) continue;
        char *c = strstr(end, "; 0x");
        if (!c) continue;
        long to = strtol(c + 4, NULL, 16);
        long off_from = 0, off_to = 0;
        int a = sec_at(at, starts, ends, &off_from), b = sec_at(to, starts, ends, &off_to);
        if (a < 0 || b < 0 || a == b) continue;
        if (nedges == MAX_EDGES) die("too many calls", path, ln);
        edges[nedges++] = (edge_t){a, b, off_from, off_to};
    }
    fclose(f);
}

static long pos_of[MAX_SECS];

static long cost(const int *order)
{
    long p = 0;
    for (int i = 0; i < nsecs; i++) {
        pos_of[order[i]] = p;
        p += secs[order[i]].size;
    }
    long far = 0;
    for (int e = 0; e < nedges; e++) {
        long d = (pos_of[edges[e].from] + edges[e].from_off) - (pos_of[edges[e].to] + edges[e].to_off);
        if (d > REACH || d < -REACH) far++;
    }
    return far;
}

/* Chains of sections, merged along the heaviest pairs first, each merge in the orientation that
 * puts the pair closest. */
static void chain_merge(int *order)
{
    static int chain[MAX_SECS][MAX_SECS / 4 + 1];
    static int len[MAX_SECS], owner[MAX_SECS];
    static int weight[MAX_SECS][MAX_SECS];
    for (int i = 0; i < nsecs; i++) {
        chain[i][0] = i;
        len[i] = 1;
        owner[i] = i;
    }
    for (int e = 0; e < nedges; e++) {
        int a = edges[e].from, b = edges[e].to;
        weight[a][b]++;
        weight[b][a]++;
    }
    for (;;) {
        int ba = -1, bb = -1, bw = 0;
        for (int a = 0; a < nsecs; a++)
            for (int b = a + 1; b < nsecs; b++)
                if (weight[a][b] > bw && owner[a] != owner[b] &&
                    len[owner[a]] + len[owner[b]] <= MAX_SECS / 4) {
                    bw = weight[a][b];
                    ba = a;
                    bb = b;
                }
        if (ba < 0) break;
        int ca = owner[ba], cb = owner[bb];
        /* four ways to join: keep the one where the two sections are nearest */
        int best = 0;
        long bestd = -1;
        for (int w = 0; w < 4; w++) {
            int tmp[MAX_SECS / 2 + 2], n = 0;
            for (int k = 0; k < len[ca]; k++) tmp[n++] = chain[ca][(w & 1) ? len[ca] - 1 - k : k];
            for (int k = 0; k < len[cb]; k++) tmp[n++] = chain[cb][(w & 2) ? len[cb] - 1 - k : k];
            long p = 0, pa = 0, pb = 0;
            for (int k = 0; k < n; k++) {
                if (tmp[k] == ba) pa = p + secs[ba].size / 2;
                if (tmp[k] == bb) pb = p + secs[bb].size / 2;
                p += secs[tmp[k]].size;
            }
            long d = pa > pb ? pa - pb : pb - pa;
            if (bestd < 0 || d < bestd) {
                bestd = d;
                best = w;
            }
        }
        int tmp[MAX_SECS / 2 + 2], n = 0;
        for (int k = 0; k < len[ca]; k++) tmp[n++] = chain[ca][(best & 1) ? len[ca] - 1 - k : k];
        for (int k = 0; k < len[cb]; k++) tmp[n++] = chain[cb][(best & 2) ? len[cb] - 1 - k : k];
        memcpy(chain[ca], tmp, (size_t)n * sizeof tmp[0]);
        len[ca] = n;
        len[cb] = 0;
        for (int k = 0; k < n; k++) owner[tmp[k]] = ca;
    }
    int n = 0;
    for (int c = 0; c < nsecs; c++)
        for (int k = 0; k < len[c]; k++) order[n++] = chain[c][k];
}

static uint32_t rng = 0x2545F491u;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Move one section or a short run elsewhere. Simulated annealing: a move that puts more calls out
 * of reach is still taken now and then while the temperature is high, so the search can leave a
 * local minimum; the best order seen is kept. Deterministic: a fixed xorshift seed. */
static long local_search(int *order, long c)
{
    static int trial[MAX_SECS], run[8], cur[MAX_SECS];
    memcpy(cur, order, (size_t)nsecs * sizeof cur[0]);
    long cc = c, best = c;
    for (long step = 0; step < SEARCH_STEPS && best > 0; step++) {
        int from = (int)(next_rand() % (uint32_t)nsecs);
        int len = 1 + (int)(next_rand() % 6u);
        if (from + len > nsecs) len = nsecs - from;
        memcpy(run, cur + from, (size_t)len * sizeof run[0]);
        int n = 0;
        for (int i = 0; i < nsecs; i++)
            if (i < from || i >= from + len) trial[n++] = cur[i];
        int to = (int)(next_rand() % (uint32_t)(n + 1));
        memmove(trial + to + len, trial + to, (size_t)(n - to) * sizeof trial[0]);
        memcpy(trial + to, run, (size_t)len * sizeof run[0]);
        long t = cost(trial);
        double temp = TEMP0 * (double)(SEARCH_STEPS - step) / (double)SEARCH_STEPS;
        int take = t <= cc;
        /* a move worse by d calls: taken with probability 2^(-d / temp) */
        if (!take && temp > 0.0)
            take = (double)(next_rand() % 65536u) < 65536.0 * exp2(-(double)(t - cc) / temp);
        if (take) {
            cc = t;
            memcpy(cur, trial, (size_t)nsecs * sizeof cur[0]);
            if (cc < best) {
                best = cc;
                memcpy(order, cur, (size_t)nsecs * sizeof order[0]);
            }
        }
    }
    return best;
}

static void write_script(const char *base, const char *out, const int *order)
{
    FILE *in = fopen(base, "r");
    if (!in) die("cannot open", base, 0);
    FILE *o = fopen(out, "w");
    if (!o) die("cannot create", out, 0);
    char line[1024];
    int done = 0;
    while (fgets(line, sizeof line, in)) {
        if (!done && !strcmp(line, "    *(.text)\n")) {
            fprintf(o, "    /* avr-order: functions by call distance */\n");
            for (int i = 0; i < nsecs; i++) fprintf(o, "    *(%s)\n", secs[order[i]].name);
            done = 1;
        }
        fputs(line, o);
    }
    fclose(in);
    if (fclose(o) != 0) die("cannot write", out, 0);
    if (!done) die("no `*(.text)` line to put the order before", base, 0);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: avr-order MAP DISASSEMBLY BASE.x OUT.x\n");
        return 2;
    }
    read_map(argv[1]);
    read_disassembly(argv[2]);
    static int order[MAX_SECS], first[MAX_SECS];
    for (int i = 0; i < nsecs; i++) first[i] = i;
    long c0 = cost(first);
    chain_merge(order);
    long c1 = cost(order);
    if (c1 > c0) {
        memcpy(order, first, sizeof order);
        c1 = c0;
    }
    long c2 = local_search(order, c1);
    write_script(argv[3], argv[4], order);
    fprintf(stderr, "avr-order: %d sections, %d calls between them; out of RCALL reach: %ld as "
                    "linked, %ld after merging, %ld after search\n",
            nsecs, nedges, c0, c1, c2);
    return 0;
}
