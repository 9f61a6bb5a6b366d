// Whole-firmware tests of the RP2040 image in the emulator: enumeration checked against USB 2.0 /
// HID 1.11, the boot-protocol switch, class requests, a few hundred malformed setup packets
// (each must STALL, and the keyboard must still type afterwards), suspend/remote wake-up,
// QK_BOOT through the ROM, and the whole session as a usbmon pcap that tshark must dissect.
//
//   node tests/rp2040/usb_test.mjs IMAGE.uf2 KEYBOARD.json [PCAP_OUT]
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Session } from '../../emu/rp2040/session.mjs';
import { setup } from '../../emu/rp2040/usbhost.mjs';

const [imagePath, kbPath, pcapPath = '/tmp/kestrel-rp2040-usb.pcap'] = process.argv.slice(2);
if (!imagePath || !kbPath) { console.error('usage: usb_test.mjs IMAGE.uf2 KEYBOARD.json [PCAP]'); process.exit(2); }
const kb = JSON.parse(readFileSync(kbPath, 'utf8'));
const MS = 1_000_000;
let passed = 0, failed = 0;

function test(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }
const hex = (b) => Buffer.from(b).toString('hex');

const s = new Session({ uf2: new Uint8Array(readFileSync(imagePath)), pcap: true });
const host = s.host;
const ver = kb.usb.device_version.split('.').map(Number);
const expect = {
  vid: parseInt(kb.usb.vid, 16), pid: parseInt(kb.usb.pid, 16),
  bcd: ((ver[0] / 10 | 0) << 12) | ((ver[0] % 10) << 8) | ((ver[1] % 10) << 4) | (ver[2] % 10),
  product: kb.keyboard_name, manufacturer: kb.manufacturer, pollMs: kb.usb.polling_interval || 1,
  serial: 'E6605838831A6B29', // the harness's flash chip answers 4Bh with these bytes
};

// Presses and releases a key, returns the reports the host got meanwhile.
function tap(pos, holdMs = 20) {
  const n = s.reports.length;
  s.matrix.set(pos, true);
  s.board.run(s.board.nanos + holdMs * MS);
  s.matrix.set(pos, false);
  s.board.run(s.board.nanos + 40 * MS);
  return s.reports.slice(n);
}
const xfer = (...a) => host.xfer(setup(...a));

test('enumerates; every descriptor passes the USB 2.0 / HID 1.11 checks', () => {
  s.start(expect);
  assert(s.checks.failures.length === 0, s.checks.failures.join('; '));
  assert(s.checks.count > 250, `only ${s.checks.count} checks ran`);
  const ifs = s.info.config.interfaces;
  assert(ifs.length === 3, `${ifs.length} interfaces`);
  assert(ifs[2].cls === 8 && ifs[2].subclass === 6 && ifs[2].protocol === 0x50, 'interface 2 is the drive (mass storage, SCSI, bulk-only)');
  assert(ifs[0].subclass === 1 && ifs[0].protocol === 1, 'interface 0 is a boot keyboard');
  const r0 = ifs[0].report.reports.get(0);
  assert(r0 && r0.input === 64 && r0.output === 8, 'boot keyboard: 8-byte input, 1-byte LED output');
  const r1 = ifs[1].report.reports;
  for (const [id, bytes] of [[1, 29], [2, 2], [3, 2], [4, 5]])
    assert(r1.get(id) && r1.get(id).input === bytes * 8, `interface 1 report ${id}: ${bytes} bytes of input`);
  assert(r1.get(1).output === 8, 'NKRO report carries the LED output report');
  const pages = ifs[1].report.pages;
  for (const p of [0x01, 0x07, 0x08, 0x09, 0x0c]) assert(pages.has(p), `usage page 0x${p.toString(16)} declared`);
  assert(host.errors.length === 0, host.errors.join('; '));
});

test('RP2040-E5: on B1 silicon the bus reset runs the pull-up workaround and gives GPIO15 back; B2 skips it', () => {
  assert(s.board.usbMuxing.join() === '9,12,9', `B1 USB_MUXING writes: ${s.board.usbMuxing}`);
  assert((s.board.mcu.gpio[15].ctrl & 0x1f) === 5 && s.board.mcu.gpio[15].inputOverride === 0, 'GPIO15 not restored to SIO');
  const b2 = new Session({ uf2: new Uint8Array(readFileSync(imagePath)), chipRevision: 2 });
  b2.start();
  assert(b2.board.usbMuxing.join() === '9', `B2 USB_MUXING writes: ${b2.board.usbMuxing}`);
  assert(b2.checks.failures.length === 0, b2.checks.failures.join('; '));
});

test('types through the matrix: 8-byte boot reports on EP1, DATA0/DATA1 alternating', () => {
  const got = tap(1 * s.cfg.cols + 4); // G on builtin test4x10
  assert(got.length === 2, `${got.length} reports`);
  assert(got[0].ep === 1 && hex(got[0].data) === '00000a0000000000', `press: ${hex(got[0].data)}`);
  assert(hex(got[1].data) === '0000000000000000', `release: ${hex(got[1].data)}`);
  assert(host.errors.length === 0, host.errors.join('; '));
});

test('interface 1: consumer reports with report ID 3 on EP2', () => {
  const n = s.reports.length;
  s.matrix.set(3 * s.cfg.cols + 6, true); // LT(2, SPC) held past the tapping term
  s.board.run(s.board.nanos + 250 * MS);
  tap(2 * s.cfg.cols + 1); // KC_VOLD on layer 2
  s.matrix.set(3 * s.cfg.cols + 6, false);
  s.board.run(s.board.nanos + 40 * MS);
  const got = s.reports.slice(n).filter((r) => r.ep === 2);
  assert(got.length === 2, `${got.length} EP2 reports: ${s.reports.slice(n).map((r) => r.ep + ':' + hex(r.data))}`);
  assert(hex(got[0].data) === '03ea00' && hex(got[1].data) === '030000', `consumer: ${got.map((r) => hex(r.data))}`);
});

test('GET_PROTOCOL / SET_PROTOCOL: boot protocol gives 8-byte boot reports', () => {
  let c = xfer(0xa1, 0x03, 0, 0, 1);
  assert(c.result === 'ok' && c.bytes[0] === 1, `GET_PROTOCOL: ${c.result} ${hex(c.bytes)}`);
  assert(xfer(0x21, 0x0b, 0, 0, 0).result === 'ok', 'SET_PROTOCOL(boot)');
  c = xfer(0xa1, 0x03, 0, 0, 1);
  assert(c.result === 'ok' && c.bytes[0] === 0, `GET_PROTOCOL after switch: ${hex(c.bytes)}`);
  const got = tap(2 * s.cfg.cols + 0); // Z
  assert(got.length === 2 && got[0].ep === 1 && got[0].data.length === 8 && got[0].data[2] === 0x1d, `boot report: ${got.map((r) => hex(r.data))}`);
  assert(xfer(0x21, 0x0b, 1, 0, 0).result === 'ok', 'SET_PROTOCOL(report)');
  assert(xfer(0x21, 0x0b, 0, 1, 0).result === 'stall', 'SET_PROTOCOL on the non-boot interface stalls');
});

test('class requests: GET_REPORT, SET_REPORT (LEDs), GET_IDLE/SET_IDLE', () => {
  let c = xfer(0xa1, 0x01, 0x0100, 0, 8);
  assert(c.result === 'ok' && c.bytes.length === 8, `GET_REPORT(input) interface 0: ${c.result}`);
  c = xfer(0xa1, 0x01, 0x0103, 1, 64);
  assert(c.result === 'ok' && c.bytes.length === 3 && c.bytes[0] === 3, `GET_REPORT(consumer): ${hex(c.bytes)}`);
  c = host.xfer(setup(0x21, 0x09, 0x0200, 0, 1), [0x02]);
  assert(c.result === 'ok', `SET_REPORT(LEDs = Caps Lock): ${c.result}`);
  c = host.xfer(setup(0x21, 0x09, 0x0201, 1, 2), [0x01, 0x01]);
  assert(c.result === 'ok', `SET_REPORT(NKRO LEDs): ${c.result}`);
  assert(xfer(0x21, 0x0a, 0x7d00, 0, 0).result === 'ok', 'SET_IDLE(500 ms)');
  c = xfer(0xa1, 0x02, 0, 0, 1);
  assert(c.result === 'ok' && c.bytes[0] === 0x7d, `GET_IDLE: ${hex(c.bytes)}`);
  assert(xfer(0x21, 0x0a, 0, 0, 0).result === 'ok', 'SET_IDLE(0)');
});

test('HID idle rate: with SET_IDLE(8 ms) the boot keyboard repeats its report while nothing changes', () => {
  assert(xfer(0x21, 0x0a, 0x0200, 0, 0).result === 'ok', 'SET_IDLE(8 ms)');
  const n = s.reports.length;
  s.matrix.set(1 * s.cfg.cols + 4, true); // G held
  s.board.run(s.board.nanos + 50 * MS);
  s.matrix.set(1 * s.cfg.cols + 4, false);
  s.board.run(s.board.nanos + 20 * MS);
  assert(xfer(0x21, 0x0a, 0, 0, 0).result === 'ok', 'SET_IDLE(0)');
  const held = s.reports.slice(n).filter((r) => r.ep === 1 && r.data[2] === 0x0a);
  assert(held.length >= 5 && held.length <= 8, `${held.length} reports of G in 50 ms at an 8 ms idle rate`);
  for (let i = 1; i < held.length; i++) {
    const gap = (held[i].ns - held[i - 1].ns) / MS;
    assert(gap >= 7.5 && gap <= 9.5, `repeat gap ${gap} ms`);
  }
  const k = s.reports.length;
  s.board.run(s.board.nanos + 50 * MS);
  assert(s.reports.length === k, 'reports kept coming after SET_IDLE(0)');
});

// Deterministic generator of requests that are wrong in one way each.
function* malformed(seed, n) {
  let x = seed >>> 0;
  const rnd = (m) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % m; };
  const pick = (a) => a[rnd(a.length)];
  const templates = [
    () => ['unknown standard request', [pick([0x00, 0x80, 0x01, 0x81, 0x02, 0x82]), pick([2, 4, 12, 13, 14, 15, 0x30, 0xff]), rnd(65536), rnd(3), rnd(65)]],
    () => ['vendor request', [pick([0x40, 0xc0, 0x41, 0xc1, 0x42, 0xc2]), rnd(256), rnd(65536), rnd(65536), rnd(65)]],
    () => ['reserved type', [pick([0x60, 0xe0, 0x61, 0xe1]), rnd(256), rnd(65536), rnd(65536), rnd(65)]],
    () => ['reserved recipient', [pick([0x03, 0x83, 0x1f, 0x9f, 0x23, 0xa3]), rnd(256), rnd(65536), rnd(65536), rnd(65)]],
    () => ['GET_DESCRIPTOR of an unknown type', [0x80, 6, (pick([0, 4, 5, 6, 7, 8, 9, 0x0b, 0x0f, 0x21, 0x22, 0x29, 0xff]) << 8) | rnd(4), 0, 1 + rnd(255)]],
    () => ['GET_DESCRIPTOR with a bad index', [0x80, 6, (pick([1, 2]) << 8) | (1 + rnd(255)), 0, 1 + rnd(255)]],
    () => ['GET_DESCRIPTOR of a missing string', [0x80, 6, 0x0300 | (4 + rnd(252)), 0x0409, 1 + rnd(255)]],
    () => ['GET_DESCRIPTOR string in an unknown language', [0x80, 6, 0x0301 + rnd(3), pick([0x0407, 0x040c, 0x0411, 1, 0xffff]), 1 + rnd(255)]],
    () => ['GET_DESCRIPTOR host-to-device', [0x00, 6, 0x0100, 0, 18]],
    () => ['GET_DESCRIPTOR with wLength 0', [0x80, 6, 0x0100, 0, 0]],
    () => ['SET_ADDRESS beyond 127', [0x00, 5, 128 + rnd(65408), 0, 0]],
    () => ['SET_ADDRESS while configured', [0x00, 5, 1 + rnd(127), 0, 0]],
    () => ['SET_ADDRESS with data', [0x00, 5, 1, 0, 1 + rnd(64)]],
    () => ['SET_CONFIGURATION to an unknown value', [0x00, 9, 2 + rnd(254), 0, 0]],
    () => ['SET_CONFIGURATION device-to-host', [0x80, 9, 1, 0, 1]],
    () => ['GET_CONFIGURATION wrong length', [0x80, 8, 0, 0, pick([0, 2, 8, 64])]],
    () => ['GET_STATUS wrong length', [0x80, 0, 0, 0, pick([1, 3, 8, 64])]],
    () => ['SET_FEATURE unknown selector', [0x00, 3, 3 + rnd(65533), 0, 0]],
    () => ['SET_FEATURE TEST_MODE', [0x00, 3, 2, (1 + rnd(5)) << 8, 0]],
    () => ['CLEAR_FEATURE on a missing endpoint', [0x02, 1, 0, pick([0x01, 0x04, 0x84, 0x8f, 0x7f]), 0]],
    () => ['GET_STATUS of a missing interface', [0x81, 0, 0, 3 + rnd(253), 2]],
    () => ['GET_STATUS of a missing endpoint', [0x82, 0, 0, pick([0x01, 0x02, 0x04, 0x84, 0x8f]), 2]],
    () => ['SET_INTERFACE to a missing alternate', [0x01, 11, 1 + rnd(255), rnd(2), 0]],
    () => ['GET_INTERFACE of a missing interface', [0x81, 10, 0, 3 + rnd(253), 1]],
    () => ['HID GET_DESCRIPTOR of an unknown class type', [0x81, 6, (pick([0x23, 0x24, 0x01, 0x02]) << 8), rnd(2), 64]],
    () => ['HID report descriptor of a missing interface', [0x81, 6, 0x2200, 2 + rnd(254), 255]],
    () => ['HID request to a missing interface', [pick([0x21, 0xa1]), pick([1, 2, 3, 9, 10, 11]), rnd(65536), 2 + rnd(254), rnd(64)]],
    () => ['unknown HID request', [pick([0x21, 0xa1]), pick([0, 4, 5, 6, 7, 8, 12, 0xff]), rnd(65536), rnd(2), rnd(64)]],
    () => ['GET_REPORT of a feature/output report', [0xa1, 1, (pick([2, 3, 0, 4]) << 8) | rnd(5), rnd(2), 64]],
    () => ['GET_REPORT of an unknown report ID', [0xa1, 1, 0x0100 | (5 + rnd(250)), 1, 64]],
    () => ['GET_REPORT with a report ID on the boot interface', [0xa1, 1, 0x0100 | (1 + rnd(254)), 0, 8]],
    () => ['SET_REPORT of an input report', [0x21, 9, 0x0100, 0, 1]],
    () => ['SET_REPORT too long for the LEDs', [0x21, 9, 0x0200, 0, 2 + rnd(63)]],
    () => ['SET_REPORT larger than EP0 can take', [0x21, 9, 0x0200, 0, 65 + rnd(1000)]],
    () => ['SET_PROTOCOL beyond 1', [0x21, 0x0b, 2 + rnd(65534), 0, 0]],
    () => ['GET_PROTOCOL wrong length', [0xa1, 3, 0, 0, pick([0, 2, 8])]],
    () => ['SET_IDLE with data', [0x21, 0x0a, 0, 0, 1 + rnd(8)]],
    () => ['SET_IDLE for an unknown report ID', [0x21, 0x0a, 5 + rnd(250), 1, 0]],
    () => ['GET_IDLE wrong length', [0xa1, 2, 0, 0, pick([0, 2, 4])]],
    () => ['SYNCH_FRAME on an interrupt endpoint', [0x82, 12, 0, 0x81, 2]],
    () => ['SET_DESCRIPTOR', [0x00, 7, 0x0100, 0, 18]],
  ];
  for (let i = 0; i < n; i++) {
    const [what, [bm, req, v, idx, len]] = pick(templates)();
    yield { what, pkt: setup(bm, req, v & 0xffff, idx & 0xffff, len & 0xffff), bm };
  }
}

test('300 malformed setup packets: each answered with STALL, nothing else changes', () => {
  const bad = [];
  let count = 0;
  for (const m of malformed(0x4b53544c, 300)) {
    const out = (m.bm & 0x80) ? null : new Uint8Array(m.pkt[6] | (m.pkt[7] << 8));
    const c = host.xfer(m.pkt, out);
    count++;
    if (c.result !== 'stall') bad.push(`${m.what} [${hex(m.pkt)}]: ${c.result}`);
    if (s.board.halted) break;
  }
  assert(count === 300, `only ${count} requests sent (${s.board.halted})`);
  assert(bad.length === 0, `${bad.length} not stalled: ${bad.slice(0, 5).join('; ')}`);
  const c = xfer(0x80, 8, 0, 0, 1);
  assert(c.result === 'ok' && c.bytes[0] === 1, 'still configured');
  assert(host.address === 1, 'address unchanged');
  assert(host.errors.length === 0, host.errors.join('; '));
});

test('the keyboard still types after the malformed requests', () => {
  const got = tap(0 * s.cfg.cols + 0); // Q
  assert(got.length === 2 && got[0].data[2] === 0x14 && got[1].data[2] === 0, `reports: ${got.map((r) => hex(r.data))}`);
});

test('standard requests: GET_STATUS, endpoint halt and clear (data toggle back to DATA0)', () => {
  let c = xfer(0x80, 0, 0, 0, 2);
  assert(c.result === 'ok' && c.bytes.length === 2, 'GET_STATUS(device)');
  assert(xfer(0x02, 3, 0, 0x81, 0).result === 'ok', 'SET_FEATURE(ENDPOINT_HALT, 0x81)');
  c = xfer(0x82, 0, 0, 0x81, 2);
  assert(c.result === 'ok' && c.bytes[0] === 1, `GET_STATUS(0x81) halted: ${hex(c.bytes)}`);
  assert(xfer(0x02, 1, 0, 0x81, 0).result === 'ok', 'CLEAR_FEATURE(ENDPOINT_HALT, 0x81)');
  c = xfer(0x82, 0, 0, 0x81, 2);
  assert(c.result === 'ok' && c.bytes[0] === 0, 'GET_STATUS(0x81) after clear');
  const got = tap(0 * s.cfg.cols + 1); // W
  assert(got.length === 2 && got[0].data[2] === 0x1a, `typing after clear: ${got.map((r) => hex(r.data))}`);
  // An odd number of reports, then SET_INTERFACE: the next report must be DATA0 again (the host
  // model flags a wrong PID as an error).
  const n = s.reports.length;
  s.matrix.set(0 * s.cfg.cols + 1, true);
  s.board.run(s.board.nanos + 10 * MS);
  assert(s.reports.length === n + 1, 'one report while W is held');
  assert(xfer(0x01, 11, 0, 0, 0).result === 'ok', 'SET_INTERFACE(0, alt 0)');
  s.matrix.set(0 * s.cfg.cols + 1, false);
  s.board.run(s.board.nanos + 20 * MS);
  assert(s.reports.length === n + 2 && s.reports[n + 1].data[2] === 0, 'release after SET_INTERFACE');
  assert(host.errors.length === 0, host.errors.join('; '));
});

test('suspend, then a key press wakes the host (remote wake-up)', () => {
  assert(xfer(0x00, 3, 1, 0, 0).result === 'ok', 'SET_FEATURE(DEVICE_REMOTE_WAKEUP)');
  let c = xfer(0x80, 0, 0, 0, 2);
  assert(c.bytes[0] & 2, 'GET_STATUS shows remote wake-up enabled');
  host.suspend();
  s.board.run(s.board.nanos + 20 * MS);
  const n = s.reports.length;
  s.matrix.set(0 * s.cfg.cols + 2, true); // E
  s.board.run(s.board.nanos + 30 * MS);
  assert(host.wakeups === 1, `${host.wakeups} wake-ups signalled`);
  s.matrix.set(0 * s.cfg.cols + 2, false);
  s.board.run(s.board.nanos + 30 * MS);
  const got = s.reports.slice(n);
  assert(got.length === 2 && got[0].data[2] === 0x08, `reports after resume: ${got.map((r) => hex(r.data))}`);
  assert(xfer(0x00, 1, 1, 0, 0).result === 'ok', 'CLEAR_FEATURE(DEVICE_REMOTE_WAKEUP)');
});

test('the USB session dissects in tshark with no malformed or expert-error fields', () => {
  writeFileSync(pcapPath, s.pcap.bytes());
  const text = execFileSync('tshark', ['-r', pcapPath, '-V'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const malformed = text.split('\n').filter((l) => /Malformed|\[Expert Info \((Error|Warning)/.test(l));
  assert(malformed.length === 0, `${malformed.length} problems, e.g. ${malformed.slice(0, 3).join(' | ')}`);
  const frames = (text.match(/^Frame \d+:/gm) || []).length;
  assert(frames > 650, `${frames} frames`);
  for (const what of ['DEVICE DESCRIPTOR', 'CONFIGURATION DESCRIPTOR', 'INTERFACE DESCRIPTOR', 'ENDPOINT DESCRIPTOR', 'HID DESCRIPTOR', 'STRING DESCRIPTOR', 'HID Report'])
    assert(text.includes(what), `tshark did not show a ${what}`);
  for (const what of ['HID Data: 00000a', 'Keyboard g and G', 'Volume Decrement'])
    assert(text.includes(what), `tshark did not decode the report contents (${what})`);
  const stalls = (text.match(/URB status: Broken pipe \(-EPIPE\) \(-32\)/g) || []).length;
  assert(stalls >= 300, `${stalls} stalled URBs in the capture`);
});

test('QK_BOOT reboots into the ROM bootloader (reset_usb_boot) once the key is released', () => {
  const pos = kb.layouts.LAYOUT.layout.findIndex((k) => k.matrix[0] === 3 && k.matrix[1] === 9);
  assert(pos >= 0, 'key 3,9 exists');
  s.matrix.set(3 * s.cfg.cols + 9, true);
  s.board.run(s.board.nanos + 100 * MS);
  assert(!s.board.events.some((x) => x.what === 'bootsel'), 'left while the key was still held');
  assert(s.board.events.some((x) => x.what === 'action' && x.args[0] === 0x7c00), 'QK_BOOT action seen');
  s.matrix.set(3 * s.cfg.cols + 9, false);
  s.board.run(s.board.nanos + 50 * MS);
  const e = s.board.events.find((x) => x.what === 'bootsel');
  assert(e, `no BOOTSEL entry (halted: ${s.board.halted})`);
  assert(e.args[0] === 0 && e.args[1] === 0, `reset_usb_boot(${e.args})`);
});

// A RUN-pin reset keeps SRAM and clears the watchdog's reset reason: a second Board started with
// the first one's SRAM is exactly that.
test('double-tap reset: a second reset within 500 ms enters BOOTSEL, a later one boots', () => {
  const img = { uf2: new Uint8Array(readFileSync(imagePath)) };
  const first = new Session(img);
  first.board.run(200 * MS);
  const again = new Session({ ...img, sram: first.board.mcu.sram.slice() });
  again.board.run(50 * MS);
  assert(again.board.events.some((e) => e.what === 'bootsel'), `reset at 200 ms: no BOOTSEL (${again.board.halted})`);
  const late = new Session(img);
  late.board.run(800 * MS);
  const normal = new Session({ ...img, sram: late.board.mcu.sram.slice() });
  assert(normal.host.waitAttach(normal.board.nanos + 300 * MS), 'reset at 800 ms: the keyboard did not start');
  assert(!normal.board.events.some((e) => e.what === 'bootsel'), 'reset at 800 ms went to BOOTSEL');
});

console.log(`rp2040 usb: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
