// RP2040 benchmarks from the emulator's cycle counter (rp2040js counts Cortex-M0+ cycles; the
// firmware marks scan, io_delay, key event and USB hand-over with probes, fw/fw.h):
//   - cycles per scan of a 5x15 COL2ROW matrix, io_delay excluded
//   - cycles per key event (debounced change -> engine -> reports queued)
//   - press-to-report latency: pin change -> report handed to the USB controller, and -> report
//     received by the host at its next 1 ms poll; mean and max over a few hundred presses
//
//   node bench/rp2040_bench.mjs KESTREL FIRMWARE.bin WORKDIR
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Session } from '../emu/rp2040/session.mjs';

const [kestrel, firmware, work] = process.argv.slice(2);
if (!work) { console.error('usage: rp2040_bench.mjs KESTREL FIRMWARE.bin WORKDIR'); process.exit(2); }
mkdirSync(work, { recursive: true });
const ROWS = 5, COLS = 15, MS = 1_000_000;

// A 5x15 keyboard (rows GP0..4, columns GP5..19) with a plain keymap of distinct keys.
const layout = [];
for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) layout.push({ matrix: [r, c], x: c, y: r });
const kb = {
  keyboard_name: 'bench 5x15', manufacturer: 'Kestrel', processor: 'RP2040', bootloader: 'rp2040',
  usb: { vid: '0xFEED', pid: '0x0515', device_version: '1.0.0' },
  diode_direction: 'COL2ROW',
  matrix_pins: { rows: ['GP0', 'GP1', 'GP2', 'GP3', 'GP4'], cols: Array.from({ length: COLS }, (_, i) => `GP${5 + i}`) },
  layouts: { LAYOUT: { layout } },
};
const keys = [];
const names = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890'.split('').map((k) => `KC_${k}`)
  .concat(['KC_F1', 'KC_F2', 'KC_F3', 'KC_F4', 'KC_F5', 'KC_F6', 'KC_F7', 'KC_F8', 'KC_F9', 'KC_F10', 'KC_F11', 'KC_F12']);
for (let i = 0; i < ROWS * COLS; i++) keys.push(names[i % names.length]);
const km = { keyboard: 'bench', keymap: 'bench', layout: 'LAYOUT', layers: [keys] };
writeFileSync(`${work}/keyboard.json`, JSON.stringify(kb));
writeFileSync(`${work}/keymap.json`, JSON.stringify(km));
execFileSync(kestrel, ['build', '--keyboard', `${work}/keyboard.json`, '--keymap', `${work}/keymap.json`,
  '--firmware', firmware, '-o', `${work}/bench.uf2`], { stdio: ['ignore', 'ignore', 'inherit'] });

const s = new Session({ uf2: new Uint8Array(readFileSync(`${work}/bench.uf2`)) });
s.start();
if (s.checks.failures.length) throw new Error(s.checks.failures.join('; '));
const b = s.board;
b.recordProbes = true;

// Deterministic pseudo-random timing, so every run measures the same presses.
let seed = 12345;
const rnd = (m) => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) % m; };
const stats = (a) => ({ mean: a.reduce((x, y) => x + y, 0) / a.length, max: Math.max(...a), n: a.length });

// 1. Scans with one key held and nothing changing: the steady cost of a scan.
s.matrix.set(7, true);
b.run(b.nanos + 20 * MS);
b.probeHits = [];
b.run(b.nanos + 50 * MS);
const scanCycles = [];
let begin = null, delay = 0, dStart = null;
for (const [v, cyc] of b.probeHits) {
  if (v === 0) { begin = cyc; delay = 0; }
  else if (v === 5) dStart = cyc;
  else if (v === 6 && dStart !== null) { delay += cyc - dStart; dStart = null; }
  else if (v === 1 && begin !== null) { scanCycles.push(cyc - begin - delay); begin = null; }
}
s.matrix.set(7, false);
b.run(b.nanos + 30 * MS);

// 2. Presses from idle (the CPU asleep, woken by the pin interrupt) at random moments.
const handed = [], received = [], eventCycles = [];
for (let i = 0; i < 300; i++) {
  b.run(b.nanos + (20 + rnd(7)) * MS + rnd(1000) * 1000);
  const pos = rnd(ROWS * COLS);
  b.probeHits = [];
  const n = s.reports.length;
  const t = b.nanos;
  s.matrix.set(pos, true);
  b.run(b.nanos + 5 * MS, () => s.reports.length > n);
  const r = s.reports[n];
  if (!r) throw new Error(`press ${i}: no report`);
  const h = b.probeHits.find((p) => p[0] === 2);
  handed.push((h[2] - t) / 1000);
  received.push((r.ns - t) / 1000);
  const e3 = b.probeHits.find((p) => p[0] === 3), e4 = b.probeHits.find((p) => p[0] === 4);
  eventCycles.push(e4[1] - e3[1]);
  b.run(b.nanos + (10 + rnd(20)) * MS);
  b.probeHits = [];
  s.matrix.set(pos, false);
  b.run(b.nanos + 20 * MS);
  const r3 = b.probeHits.find((p) => p[0] === 3), r4 = b.probeHits.find((p) => p[0] === 4);
  if (r3 && r4) eventCycles.push(r4[1] - r3[1]);
}

const sc = stats(scanCycles), ev = stats(eventCycles), ha = stats(handed), re = stats(received);
const f = (x) => x.toFixed(1);
console.log(`rp2040: scan of a 5x15 matrix (io_delay excluded): mean ${Math.round(sc.mean)} cycles, max ${sc.max} (${sc.n} scans) = ${f(sc.mean / 125)} us at 125 MHz`);
console.log(`rp2040: key event (engine + report queued): mean ${Math.round(ev.mean)} cycles, max ${ev.max} (${ev.n} events)`);
console.log(`rp2040: press -> report handed to the USB controller: mean ${f(ha.mean)} us, max ${f(ha.max)} us (${ha.n} presses from idle: wake-up, the 30 us io_delay after each line a key pulled low, debounce, engine)`);
console.log(`rp2040: press -> report received by the host (next 1 ms frame): mean ${f(re.mean)} us, max ${f(re.max)} us`);
if (s.host.errors.length) throw new Error(s.host.errors.join('; '));
