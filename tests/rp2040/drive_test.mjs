// The keyboard's drive end to end on the emulated RP2040 (issue 8): the firmware's USB mass
// storage read and written by the harness's SCSI host, files changed with mtools on a copy of the
// volume as an OS would, the firmware's reload path (quiet -> FAT -> config/ -> slot -> switch),
// ERRORS.TXT for a corpus of broken keymaps, and the volume checked by fsck.fat and mtools.
//
//   node tests/rp2040/drive_test.mjs KESTREL IMAGE.uf2 KEYBOARD_DIR BROKEN_DIR
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session } from '../../emu/rp2040/session.mjs';
import { MscHost, HostVolume } from '../../emu/rp2040/msc.mjs';
import { enumerate, Checks } from '../../emu/rp2040/enumerate.mjs';

const [kestrelArg, imagePath, kbDir, brokenDir] = process.argv.slice(2);
const kestrel = resolve(kestrelArg);
const MS = 1_000_000;
const VOLUME = 0x80000, VOLUME_BYTES = 1024 * 512;
const PROBE_CONFIG = 24; // fw/fw.h FW_PROBE_CONFIG
const KEY_Q = 0x14, KEY_Z = 0x1d, KEY_X = 0x1b;
let passed = 0, failed = 0;
function test(name, fn) {
  try { fn(); passed++; console.log(`ok   ${name}`); } catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}
function assert(c, m) { if (!c) throw new Error(m); }

const s = new Session({ uf2: new Uint8Array(readFileSync(imagePath)) });
let configSwitches = [];
const probe = s.board.onProbe;
s.board.onProbe = (v) => { if (v === PROBE_CONFIG) configSwitches.push(s.board.nanos); probe(v); };
s.start();
const msc = new MscHost(s.host, s.info);
let cache, vol;
const tmp = mkdtempSync(join(tmpdir(), 'kestrel-drive-test-'));

// Taps key (row 0, col 0) and returns the first key of the first boot report that has one.
function tapKey00() {
  const n = s.reports.length;
  s.matrix.set(0, true);
  s.board.run(s.board.nanos + 20 * MS);
  s.matrix.set(0, false);
  s.board.run(s.board.nanos + 40 * MS);
  const r = s.reports.slice(n).find((x) => x.ep === 1 && x.data[2]);
  return r ? r.data[2] : -1;
}

// The host saves `text` as `name`: mtools changes its copy of the volume, the changed blocks go
// out with WRITE(10). Returns the emulated time when the last write's status came back.
function save(name, text) {
  const before = vol.bytes();
  vol.write(name, text);
  const after = vol.bytes();
  const runs = msc.writeChanged(before, after);
  assert(runs.length > 0, 'nothing to write');
  cache = after;
  return s.board.nanos;
}

// After the device changed the medium (ERRORS.TXT): read the volume again as a host would.
function reread() {
  msc.readUsed(cache);
  vol.close();
  vol = new HostVolume(cache);
}

function flashVolume() {
  return s.board.mcu.flash.slice(VOLUME, VOLUME + VOLUME_BYTES);
}

// The same check by the host tool on the same two files: its first error line (relative names).
function hostFirstError(kb, km) {
  const d = mkdtempSync(join(tmp, 'check-'));
  writeFileSync(join(d, 'keyboard.json'), kb);
  writeFileSync(join(d, 'keymap.json'), km);
  let out = '';
  try { execFileSync(kestrel, ['check', '--keyboard', 'keyboard.json', 'keymap.json'], { cwd: d, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); }
  catch (e) { out = `${e.stdout}${e.stderr}`; }
  return out.split('\n').find((l) => / error: /.test(l)) || null;
}

test('the drive answers as a removable SCSI disk: INQUIRY, TEST UNIT READY, READ CAPACITY (512 KB)', () => {
  assert(s.checks.failures.length === 0, s.checks.failures.join('; '));
  const a = msc.attach();
  assert(a.vendor === 'Kestrel' && a.removable, `INQUIRY: ${JSON.stringify(a)}`);
  assert(a.blocks === 1024 && a.blockSize === 512, `capacity ${a.blocks} x ${a.blockSize}`);
  const fmt = msc.command([0x23, 0, 0, 0, 0, 0, 0, 0, 12, 0], 'in', 12);
  assert(fmt.status === 0 && fmt.data[8] === 2, 'READ FORMAT CAPACITIES: formatted media');
  const ms = msc.command([0x1a, 0, 0x3f, 0, 192, 0], 'in', 192);
  assert(ms.status === 0 && ms.data.length === ms.data[0] + 1, 'MODE SENSE(6) all pages');
  assert(msc.command([0x1e, 0, 0, 0, 1, 0]).status === 0, 'PREVENT MEDIUM REMOVAL');
  const bad = msc.command([0xee, 0, 0, 0, 0, 0]);
  assert(bad.status === 1 && msc.requestSense().key === 5, 'an unknown command fails with ILLEGAL REQUEST');
  assert(msc.command([0x28, 0, 0, 0, 4, 0, 0, 0, 1, 0], 'in', 512).status === 1, 'READ beyond the end fails');
  assert(s.host.errors.length === 0, s.host.errors.join('; '));
});

test('first look: a FAT volume KESTREL holding keyboard.json, keymap.json and README.TXT, clean for fsck.fat', () => {
  cache = msc.readAll();
  vol = new HostVolume(cache);
  const names = vol.list().map((n) => n.toLowerCase()).sort();
  assert(names.join() === 'keyboard.json,keymap.json,readme.txt', `files: ${names}`);
  assert(Buffer.from(cache.subarray(43, 54)).toString() === 'KESTREL    ', 'volume label');
  const f = vol.fsck();
  assert(f === null, `fsck.fat: ${f}`);
  const km = JSON.parse(vol.read('keymap.json'));
  assert(km.layers.length === 3 && km.layers[0][0] === 'KC_Q', `keymap.json layers: ${km.layers.length}, first key ${km.layers[0][0]}`);
  assert(/Kestrel keyboard/.test(vol.read('README.TXT')), 'README.TXT');
  assert(hostFirstError(vol.read('keyboard.json'), vol.read('keymap.json')) === null, 'kestrel check rejects the files the drive wrote');
  assert(tapKey00() === KEY_Q, 'key 0,0 types Q before any edit');
});

let latencyMs = 0;
test('edit keymap.json on the drive -> the next key press uses the new keymap, without re-enumerating', () => {
  const km = JSON.parse(vol.read('keymap.json'));
  km.layers[0][0] = 'KC_Z';
  const resets = s.board.usbMuxing.length;
  const tLast = save('keymap.json', JSON.stringify(km, null, 4) + '\n');
  s.board.run(tLast + 500 * MS, () => configSwitches.some((t) => t >= tLast));
  const t = configSwitches.find((x) => x >= tLast);
  assert(t, 'no config switch within 500 ms of the last write');
  latencyMs = (t - tLast) / MS;
  assert(tapKey00() === KEY_Z, 'key 0,0 does not type Z after the edit');
  assert(s.board.usbMuxing.length === resets && !s.host.errors.length, `USB: ${s.host.errors.join('; ')}`);
  assert(!vol.has('ERRORS.TXT'), 'ERRORS.TXT after a good file');
  console.log(`     last write -> new config active: ${latencyMs.toFixed(2)} emulated ms`);
});

test('USB keeps working while the keyboard reloads: a key pressed meanwhile is typed, a SCSI command waits (NAK) and completes', () => {
  const km = JSON.parse(vol.read('keymap.json'));
  km.layers[0][2] = 'KC_V';
  const tLast = save('keymap.json', JSON.stringify(km, null, 4) + '\n');
  const n = s.reports.length;
  s.board.run(tLast + 12 * MS); // the reload has started (10 ms of quiet)
  s.matrix.set(0, true);
  const t0 = s.board.nanos;
  const r = msc.testUnitReady(); // sent during the reload: NAKed until the firmware is back
  const waited = (s.board.nanos - t0) / MS;
  assert(r.status === 0 || r.status === 1, `TEST UNIT READY: status ${r.status}`);
  s.board.run(s.board.nanos + 30 * MS);
  s.matrix.set(0, false);
  s.board.run(s.board.nanos + 40 * MS);
  assert(configSwitches.some((t) => t >= tLast), 'no config switch');
  const kbd = s.reports.slice(n).filter((x) => x.ep === 1);
  assert(kbd.some((x) => x.data[2] === KEY_Z), `the key pressed during the reload was not typed: ${kbd.map((x) => Buffer.from(x.data).toString('hex'))}`);
  assert(kbd.length && kbd[kbd.length - 1].data.every((b) => b === 0), 'the key stayed down');
  assert(!s.host.errors.length, s.host.errors.join('; '));
  console.log(`     a SCSI command sent 2 ms into the reload waited ${waited.toFixed(2)} ms`);
});

test('a key held while the new config comes is released cleanly', () => {
  const km = JSON.parse(vol.read('keymap.json'));
  km.layers[0][1] = 'KC_B';
  s.matrix.set(0, true); // Z held
  s.board.run(s.board.nanos + 30 * MS);
  const n = s.reports.length, tLast = save('keymap.json', JSON.stringify(km, null, 4) + '\n');
  s.board.run(tLast + 200 * MS);
  assert(configSwitches.some((t) => t >= tLast), 'no config switch');
  const after = s.reports.slice(n).filter((r) => r.ep === 1);
  assert(after.length && after[after.length - 1].data.slice(2).every((b) => b === 0), `the held key was not released: ${after.map((r) => Buffer.from(r.data).toString('hex'))}`);
  s.matrix.set(0, false);
  s.board.run(s.board.nanos + 40 * MS);
  assert(tapKey00() === KEY_Z, 'key 0,0 after the switch');
});

const broken = readdirSync(brokenDir).filter((f) => f.endsWith('.json')).sort();
test(`a corpus of ${broken.length} broken keymap.json: each keeps the old keymap and ERRORS.TXT says what the host tool says (file:line:col)`, () => {
  const kb = vol.read('keyboard.json');
  for (const f of broken) {
    const text = readFileSync(join(brokenDir, f), 'utf8');
    const want = hostFirstError(kb, text);
    assert(want && /^keymap\.json:\d+:\d+: error: /.test(want), `${f}: the host tool says ${want}`);
    const before = configSwitches.length;
    save('keymap.json', text);
    const c0 = s.board.cycles;
    s.board.run(s.board.nanos + 1300 * MS);
    // read once, then asleep until the report is due (not parsing the same file over and over)
    const busy = (s.board.cycles - c0) / 125e6 / 1.3;
    assert(busy < 0.1, `${f}: the CPU was busy ${(100 * busy).toFixed(0)}% of the wait`);
    assert(configSwitches.length === before, `${f}: the config changed`);
    reread();
    assert(vol.has('ERRORS.TXT'), `${f}: no ERRORS.TXT`);
    const errs = vol.read('ERRORS.TXT');
    assert(errs.includes(want), `${f}: ERRORS.TXT does not say '${want}':\n${errs}`);
    assert(tapKey00() === KEY_Z, `${f}: key 0,0 no longer types Z`);
    const fk = vol.fsck();
    assert(fk === null, `${f}: fsck.fat after ERRORS.TXT: ${fk}`);
  }
  assert(msc.attentions > 0, 'the host was never told the medium changed');
});

test('a good file again: it is used, and ERRORS.TXT goes away', () => {
  const km = JSON.parse(readFileSync(join(kbDir, 'keymap.json'), 'utf8'));
  km.layers[0][0] = 'KC_X';
  const tLast = save('keymap.json', JSON.stringify(km, null, 4) + '\n');
  s.board.run(tLast + 300 * MS);
  assert(configSwitches.some((t) => t >= tLast), 'no config switch');
  assert(tapKey00() === KEY_X, 'key 0,0 does not type X');
  reread();
  assert(!vol.has('ERRORS.TXT'), 'ERRORS.TXT is still there');
});

test('the volume dumped from the emulated flash passes fsck.fat -n, and mtools reads back exactly the files written', () => {
  const dump = new HostVolume(flashVolume());
  try {
    const f = dump.fsck();
    assert(f === null, `fsck.fat: ${f}`);
    for (const name of ['keyboard.json', 'keymap.json', 'README.TXT'])
      assert(dump.read(name) === vol.read(name), `${name} differs between the flash and the host's copy`);
    assert(JSON.parse(dump.read('keymap.json')).layers[0][0] === 'KC_X', 'keymap.json in flash is not the last one saved');
  } finally { dump.close(); }
});

test('after a reset the saved config is used (two-slot store), and the drive still shows the files', () => {
  const again = new Session({ image: s.board.mcu.flash.slice(0, 0x100000) });
  again.start();
  const n = again.reports.length;
  again.matrix.set(0, true);
  again.board.run(again.board.nanos + 20 * MS);
  again.matrix.set(0, false);
  again.board.run(again.board.nanos + 40 * MS);
  const r = again.reports.slice(n).find((x) => x.ep === 1 && x.data[2]);
  assert(r && r.data[2] === KEY_X, 'the rebooted keyboard does not type X');
  const m2 = new MscHost(again.host, again.info);
  m2.attach();
  const v2 = new HostVolume(m2.readUsed(new Uint8Array(VOLUME_BYTES)));
  try { assert(JSON.parse(v2.read('keymap.json')).layers[0][0] === 'KC_X', 'keymap.json after the reset'); }
  finally { v2.close(); }
});

test('keyboard.json changes the matrix timing (io_delay, debounce): the matrix and debouncer are set up again, keys still type', () => {
  const kb = JSON.parse(vol.read('keyboard.json'));
  kb.matrix_pins.io_delay = 12;
  kb.debounce = 8;
  const tLast = save('keyboard.json', JSON.stringify(kb, null, 4) + '\n');
  s.board.run(tLast + 300 * MS);
  assert(configSwitches.some((t) => t >= tLast), 'no config switch');
  assert(tapKey00() === KEY_X, 'key 0,0 does not type X after the matrix was set up again');
  const back = new HostVolume(flashVolume());
  try { assert(JSON.parse(back.read('keyboard.json')).matrix_pins.io_delay === 12, 'keyboard.json in flash'); }
  finally { back.close(); }
});

test('KS_DRIVE_TOGGLE (put on a key through the drive itself) hides the drive and shows it again, re-enumerating each time', () => {
  const km = JSON.parse(vol.read('keymap.json'));
  km.layers[0][1] = 'KS_DRIVE_TOGGLE';
  const tLast = save('keymap.json', JSON.stringify(km, null, 4) + '\n');
  s.board.run(tLast + 300 * MS);
  assert(configSwitches.some((t) => t >= tLast), 'no config switch');
  const counts = [];
  for (let round = 0; round < 2; round++) {
    const detaches = s.host.detaches || 0;
    s.matrix.set(1, true);
    s.board.run(s.board.nanos + 20 * MS);
    s.matrix.set(1, false);
    s.board.run(s.board.nanos + 20 * MS);
    assert((s.host.detaches || 0) === detaches + 1, `round ${round}: the keyboard did not leave the bus`);
    assert(s.host.waitAttach(s.board.nanos + 500 * MS), `round ${round}: the keyboard did not come back`);
    const ck = new Checks();
    s.info = enumerate(s.host, ck);
    assert(ck.failures.length === 0, ck.failures.join('; '));
    counts.push(s.info.config.interfaces.length);
    assert(tapKey00() === KEY_X, `round ${round}: key 0,0 does not type X`);
  }
  assert(counts.join() === '2,3', `interfaces after each toggle: ${counts}`);
  const m = new MscHost(s.host, s.info);
  assert(m.attach().blocks === 1024, 'the drive after it came back');
  const v = new HostVolume(m.readUsed(new Uint8Array(VOLUME_BYTES)));
  try { assert(JSON.parse(v.read('keymap.json')).layers[0][1] === 'KS_DRIVE_TOGGLE', 'keymap.json after the toggle'); }
  finally { v.close(); }
});

test('"drive": {"hidden": true} saved in keyboard.json: from the next plug-in the keyboard has no drive, and still types', () => {
  const kb = JSON.parse(vol.read('keyboard.json'));
  kb.drive = { hidden: true };
  const tLast = save('keyboard.json', JSON.stringify(kb, null, 4) + '\n');
  s.board.run(tLast + 300 * MS);
  assert(configSwitches.some((t) => t >= tLast), 'no config switch');
  assert(s.info.config.interfaces.length === 3, 'the drive went away without a re-plug');
  const again = new Session({ image: s.board.mcu.flash.slice(0, 0x100000) });
  again.start();
  assert(again.checks.failures.length === 0, again.checks.failures.join('; '));
  const ifs = again.info.config.interfaces;
  assert(ifs.length === 2 && ifs.every((i) => i.cls === 3), `after the re-plug: ${ifs.length} interfaces`);
  const n = again.reports.length;
  again.matrix.set(0, true);
  again.board.run(again.board.nanos + 20 * MS);
  again.matrix.set(0, false);
  again.board.run(again.board.nanos + 40 * MS);
  const r = again.reports.slice(n).find((x) => x.ep === 1 && x.data[2]);
  assert(r && r.data[2] === KEY_X, 'the keyboard with a hidden drive does not type X');
});

if (vol) vol.close();
rmSync(tmp, { recursive: true, force: true });
console.log(`rp2040 drive: ${passed} passed, ${failed} failed`);
if (process.env.KESTREL_DRIVE_LATENCY_OUT) writeFileSync(process.env.KESTREL_DRIVE_LATENCY_OUT, `${latencyMs}\n`);
process.exit(failed ? 1 : 0);
