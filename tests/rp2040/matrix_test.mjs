// Matrix scanning of the RP2040 firmware in the emulator, on images made by `kestrel build`:
// every key of a COL2ROW, a ROW2COL and a direct-pin keyboard reports its own keycode; three keys
// of a rectangle report no ghost fourth key (the diodes); a bouncing contact gives one press and
// one release (the debouncer, default asym_eager_defer_pk 5 ms).
//
//   node tests/rp2040/matrix_test.mjs KESTREL FIRMWARE.bin WORKDIR
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Session } from '../../emu/rp2040/session.mjs';

const [kestrel, firmware, work] = process.argv.slice(2);
if (!work) { console.error('usage: matrix_test.mjs KESTREL FIRMWARE.bin WORKDIR'); process.exit(2); }
mkdirSync(work, { recursive: true });
const MS = 1_000_000;
let passed = 0, failed = 0;
function test(name, fn) {
  try { fn(); passed++; console.log(`ok   ${name}`); } catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}
function assert(c, m) { if (!c) throw new Error(m); }
const hex = (b) => Buffer.from(b).toString('hex');

// Letters a..z then digits: usage 4.. for key index i.
const usageOf = (i) => (i < 26 ? 4 + i : 0x1e + ((i - 26) % 10));
const kcOf = (i) => (i < 26 ? `KC_${String.fromCharCode(65 + i)}` : `KC_${(i - 26 + 1) % 10}`);

function build(name, kb, layers, display = name) {
  const layout = [];
  for (let r = 0; r < kb.rows; r++) for (let c = 0; c < kb.cols; c++) layout.push({ matrix: [r, c], x: c, y: r });
  const json = {
    keyboard_name: display, manufacturer: 'Kestrel', processor: 'RP2040', bootloader: 'rp2040',
    usb: { vid: '0xFEED', pid: '0x7E57', device_version: '1.0.0' }, layouts: { LAYOUT: { layout } },
    ...kb.json,
  };
  writeFileSync(`${work}/${name}.json`, JSON.stringify(json));
  writeFileSync(`${work}/${name}-keymap.json`, JSON.stringify({ keyboard: name, keymap: 't', layout: 'LAYOUT', layers }));
  execFileSync(kestrel, ['build', '--keyboard', `${work}/${name}.json`, '--keymap', `${work}/${name}-keymap.json`,
    '--firmware', firmware, '-o', `${work}/${name}.uf2`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const s = new Session({ uf2: new Uint8Array(readFileSync(`${work}/${name}.uf2`)) });
  const off = s.board.fwinfo.configAddr - 0x10000000;
  const size = new DataView(s.board.mcu.flash.buffer).getUint32(off + 8, true);
  s.cfgBytes = s.board.mcu.flash.slice(off, off + size);
  s.start();
  assert(s.checks.failures.length === 0, s.checks.failures.join('; '));
  return s;
}

function tapAll(s, n) {
  const wrong = [];
  for (let pos = 0; pos < n; pos++) {
    const k = s.reports.length;
    s.matrix.set(pos, true);
    s.board.run(s.board.nanos + 10 * MS);
    s.matrix.set(pos, false);
    s.board.run(s.board.nanos + 20 * MS);
    const got = s.reports.slice(k).map((r) => hex(r.data));
    const want = [hex([0, 0, usageOf(pos), 0, 0, 0, 0, 0]), hex([0, 0, 0, 0, 0, 0, 0, 0])];
    if (got.join() !== want.join()) wrong.push(`pos ${pos}: ${got.join(' ')}`);
  }
  return wrong;
}

function ghostCheck(s, cols) {
  // Keys (0,0), (0,1), (1,0) down: without diodes (1,1) would read as down too.
  const n = s.reports.length;
  for (const p of [0, 1, cols]) { s.matrix.set(p, true); s.board.run(s.board.nanos + 10 * MS); }
  const last = s.reports[s.reports.length - 1].data;
  const keys = Array.from(last.subarray(2)).filter((x) => x).sort((a, b) => a - b);
  for (const p of [0, 1, cols]) s.matrix.set(p, false);
  s.board.run(s.board.nanos + 30 * MS);
  const want = [usageOf(0), usageOf(1), usageOf(cols)].sort((a, b) => a - b);
  assert(s.reports.length - n >= 3, `${s.reports.length - n} reports`);
  assert(keys.join() === want.join(), `keys down ${keys} (expected ${want}: a ghost?)`);
}

const grid = (diode) => ({
  rows: 4, cols: 10,
  json: { diode_direction: diode, matrix_pins: { rows: ['GP2', 'GP3', 'GP4', 'GP5'],
          cols: ['GP6', 'GP7', 'GP8', 'GP9', 'GP10', 'GP11', 'GP12', 'GP13', 'GP14', 'GP15'] } },
});
const letters = [Array.from({ length: 40 }, (_, i) => kcOf(i))];

test('COL2ROW 4x10: every key reports its keycode', () => {
  const s = build('col2row', grid('COL2ROW'), letters);
  const wrong = tapAll(s, 40);
  assert(wrong.length === 0, wrong.slice(0, 4).join('; '));
  ghostCheck(s, 10);
});

test('ROW2COL 4x10: every key reports its keycode, no ghost key', () => {
  const s = build('row2col', grid('ROW2COL'), letters);
  const wrong = tapAll(s, 40);
  assert(wrong.length === 0, wrong.slice(0, 4).join('; '));
  ghostCheck(s, 10);
});

test('COL2ROW with columns on pins in no order (GP28, GP0, GP21, ...): every key, no ghost', () => {
  const cols = ['GP28', 'GP0', 'GP21', 'GP9', 'GP17', 'GP1', 'GP26', 'GP13', 'GP20', 'GP11'];
  const s = build('scattered', { rows: 4, cols: 10, json: { diode_direction: 'COL2ROW',
    matrix_pins: { rows: ['GP2', 'GP3', 'GP4', 'GP5'], cols } } }, letters);
  const wrong = tapAll(s, 40);
  assert(wrong.length === 0, wrong.slice(0, 4).join('; '));
  ghostCheck(s, 10);
});

test('direct pins 3x4 (GP2..GP13, one switch to ground each); usb.polling_interval 4', () => {
  const pins = [['GP2', 'GP3', 'GP4', 'GP5'], ['GP6', 'GP7', 'GP8', 'GP9'], ['GP10', 'GP11', 'GP12', 'GP13']];
  const s = build('direct', { rows: 3, cols: 4, json: { matrix_pins: { direct: pins },
    usb: { vid: '0xFEED', pid: '0x7E58', device_version: '1.0.0', polling_interval: 4 } } },
    [Array.from({ length: 12 }, (_, i) => kcOf(i))]);
  for (const e of s.info.config.endpoints) if ((e.attributes & 3) === 3) assert(e.interval === 4, `bInterval ${e.interval} on 0x${e.address.toString(16)}`);
  const wrong = tapAll(s, 12);
  assert(wrong.length === 0, wrong.slice(0, 4).join('; '));
  const frames = s.reports.map((r) => Math.round(r.ns / MS) % 4);
  assert(frames.every((f) => f === frames[0]), `reports not on every 4th frame: ${frames.slice(0, 8)}`);
});

test('UTF-8 keyboard name becomes the UTF-16 product string (outside the BMP: U+FFFD)', () => {
  const s = build('utf8', grid('COL2ROW'), letters, 'Tastatür ⌘ été \u{1F3B9}');
  assert(s.info.strings.product === 'Tastatür ⌘ été \uFFFD', `product ${JSON.stringify(s.info.strings.product)}`);
});

test('a bouncing contact gives one press (at once) and one release (after 5 ms quiet)', () => {
  const s = build('bounce', grid('COL2ROW'), letters);
  const n = s.reports.length;
  const t0 = s.board.nanos;
  for (let i = 0; i < 6; i++) { s.matrix.set(0, i % 2 === 0); s.board.run(s.board.nanos + 300_000); }
  s.matrix.set(0, true);
  s.board.run(s.board.nanos + 20 * MS);
  const tRel = s.board.nanos;
  for (let i = 0; i < 6; i++) { s.matrix.set(0, i % 2 === 1); s.board.run(s.board.nanos + 300_000); }
  s.matrix.set(0, false);
  const tQuiet = s.board.nanos;
  s.board.run(s.board.nanos + 30 * MS);
  const got = s.reports.slice(n);
  assert(got.length === 2, `${got.length} reports: ${got.map((r) => hex(r.data))}`);
  assert(got[0].data[2] === usageOf(0) && (got[0].madeNs - t0) < 0.3 * MS, `press made ${(got[0].madeNs - t0) / MS} ms after the first contact`);
  assert(got[1].data[2] === 0 && got[1].madeNs > tRel && (got[1].madeNs - tQuiet) >= 4 * MS && (got[1].madeNs - tQuiet) < 7 * MS,
         `release made ${(got[1].madeNs - tQuiet) / MS} ms after the contact settled`);
});

// The fallback: a generic image whose config region holds nothing usable still enumerates (its
// product string says why) and types on the builtin:test4x10 wiring.
function crc32(b) {
  let c = 0xffffffff;
  for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1; }
  return (c ^ 0xffffffff) >>> 0;
}
test('fallback config: none, bad CRC, or another processor\'s image -> still types, says why', () => {
  const good = build('fb', grid('COL2ROW'), letters).cfgBytes;
  const bin = new Uint8Array(readFileSync(firmware));
  const cases = [['none', null, 'no config image'], ['crc', (c) => { c[c.length - 1] ^= 0x55; }, 'config image CRC mismatch'],
    ['avr', (c) => {
      const dv = new DataView(c.buffer);
      for (let i = 0; i < dv.getUint16(6, true); i++)
        if (c[16 + 8 * i] === 1) c[dv.getUint16(16 + 8 * i + 2, true)] = 3; // INFO.processor = ATmega32U4
      dv.setUint32(12, crc32(c.subarray(16)), true);
    }, 'config image is for another board']];
  for (const [name, mutate, why] of cases) {
    let config = null;
    if (mutate) { config = good.slice(); mutate(config); }
    const s = new Session({ image: bin, config });
    s.start();
    assert(s.info.strings.product === `Kestrel fallback (${why})`, `${name}: product '${s.info.strings.product}'`);
    const wrong = [];
    for (const [pos, usage] of [[0, 0x1e], [10, 0x14], [29, 0x33], [39, 0x28]]) {
      const k = s.reports.length;
      s.matrix.set(pos, true); s.board.run(s.board.nanos + 10 * MS);
      s.matrix.set(pos, false); s.board.run(s.board.nanos + 20 * MS);
      const got = s.reports.slice(k);
      if (got.length !== 2 || got[0].data[2] !== usage) wrong.push(`${pos}: ${got.map((r) => hex(r.data))}`);
    }
    assert(wrong.length === 0, `${name}: ${wrong.join('; ')}`);
  }
});

console.log(`rp2040 matrix: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
