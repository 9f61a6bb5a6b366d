// The keyboard's drive on the emulated RP2040: time from the host's last write of a new
// keymap.json (4 layers x 60 keys, a 5x12 keyboard) to the new config being active, in emulated
// milliseconds, and what the firmware did meanwhile (CPU cycles, flash operations). The harness's
// ROM erases and programs instantly; what real flash adds is estimated from typical datasheet
// times of 25-series NOR flash (sector erase 45 ms, page program 0.7 ms).
//
//   node bench/drive_bench.mjs KESTREL FIRMWARE.bin WORKDIR
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Session } from '../emu/rp2040/session.mjs';
import { MscHost, HostVolume } from '../emu/rp2040/msc.mjs';

const [kestrel, firmware, work] = process.argv.slice(2);
if (!work) { console.error('usage: drive_bench.mjs KESTREL FIRMWARE.bin WORKDIR'); process.exit(2); }
mkdirSync(work, { recursive: true });
const MS = 1_000_000, ROWS = 5, COLS = 12, LAYERS = 4, PROBE_CONFIG = 24;

const layout = [];
for (let r = 0; r < ROWS; r++) for (let c = 0; c < COLS; c++) layout.push({ matrix: [r, c], x: c, y: r });
const kb = {
  keyboard_name: 'drive bench 5x12', manufacturer: 'Kestrel', processor: 'RP2040', bootloader: 'rp2040',
  usb: { vid: '0xFEED', pid: '0x0512', device_version: '1.0.0' },
  diode_direction: 'COL2ROW',
  matrix_pins: { rows: ['GP0', 'GP1', 'GP2', 'GP3', 'GP4'], cols: Array.from({ length: COLS }, (_, i) => `GP${5 + i}`) },
  layouts: { LAYOUT: { layout } },
};
const pool = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890'.split('').map((k) => `KC_${k}`)
  .concat(['KC_F1', 'KC_F2', 'KC_F3', 'KC_F4', 'KC_ENT', 'KC_ESC', 'KC_BSPC', 'KC_TAB', 'KC_SPC', 'KC_MINS',
           'LSFT_T(KC_A)', 'LCTL_T(KC_S)', 'LT(1,KC_SPC)', 'LT(2,KC_ENT)', 'MO(3)', 'KC_LEFT', 'KC_DOWN', 'KC_UP', 'KC_RGHT',
           'KC_VOLU', 'KC_VOLD', 'KC_MUTE', 'C(KC_C)', 'C(KC_V)']);
const keymap = (shift) => ({
  keyboard: 'drive_bench', keymap: 'bench', layout: 'LAYOUT',
  layers: Array.from({ length: LAYERS }, (_, l) => Array.from({ length: ROWS * COLS }, (_, i) => pool[(i * 7 + l * 13 + shift) % pool.length])),
});
writeFileSync(`${work}/keyboard.json`, JSON.stringify(kb, null, 4));
writeFileSync(`${work}/keymap.json`, JSON.stringify(keymap(0), null, 4));
execFileSync(kestrel, ['build', '--keyboard', `${work}/keyboard.json`, '--keymap', `${work}/keymap.json`,
  '--firmware', firmware, '-o', `${work}/drive_bench.uf2`], { stdio: ['ignore', 'ignore', 'inherit'] });

const s = new Session({ uf2: new Uint8Array(readFileSync(`${work}/drive_bench.uf2`)) });
s.start();
if (s.checks.failures.length) throw new Error(s.checks.failures.join('; '));
const msc = new MscHost(s.host, s.info);
msc.attach();
const vol = new HostVolume(msc.readUsed(new Uint8Array(1024 * 512)));
let active = 0, activeCycles = 0;
const probe = s.board.onProbe;
s.board.onProbe = (v) => { if (v === PROBE_CONFIG) { active = s.board.nanos; activeCycles = s.board.cycles; } probe(v); };

const rounds = [];
for (let round = 1; round <= 3; round++) {
  const text = JSON.stringify(keymap(round), null, 4) + '\n';
  const prev = vol.bytes();
  vol.write('keymap.json', text);
  const runs = msc.writeChanged(prev, vol.bytes());
  const tLast = s.board.nanos, cLast = s.board.cycles, ev0 = s.board.events.length;
  active = 0;
  s.board.run(tLast + 1000 * MS, () => active > 0);
  if (!active) throw new Error(`round ${round}: the new keymap was never active`);
  const ev = s.board.events.slice(ev0);
  rounds.push({ ms: (active - tLast) / MS, cycles: activeCycles - cLast, bytes: text.length,
                blocks: runs.reduce((a, r) => a + r.n, 0),
                erases: ev.filter((e) => e.what === 'erase').length, programs: ev.filter((e) => e.what === 'program').length });
}
vol.close();
const mean = (k) => rounds.reduce((a, r) => a + r[k], 0) / rounds.length;
const max = (k) => Math.max(...rounds.map((r) => r[k]));
const quiet = 10; // fw/fw_drive.h FW_DRIVE_QUIET_MS
console.log(`drive: host's last write of keymap.json (${LAYERS} layers x ${ROWS * COLS} keys, ${rounds[0].bytes} bytes, ${rounds[0].blocks} blocks written) -> new config active: ` +
            `${mean('ms').toFixed(2)} emulated ms mean, ${max('ms').toFixed(2)} max over ${rounds.length} saves (aim < 50)`);
console.log(`drive:   of which ${quiet} ms is the quiet wait for the host to finish; the reload (flush, FAT read, parse, check, ` +
            `image, slot write) is ${(mean('cycles') / 1e6).toFixed(2)} M cycles = ${(mean('cycles') / 125e3).toFixed(2)} ms at 125 MHz`);
const flashMs = mean('erases') * 45 + mean('programs') * 0.7;
console.log(`drive:   flash work per save: ${mean('erases').toFixed(1)} sector erases, ${mean('programs').toFixed(1)} page programs ` +
            `(instant in the emulator; typical NOR timings would add ~${flashMs.toFixed(0)} ms on hardware)`);
