// Power cuts while a new keymap.json reaches the keyboard's drive (issue 8): the host saves the
// file, the firmware flushes its cache, builds the config and stores it in the two-slot store.
// Every flash erase/program the firmware makes on the way is recorded (time, range, data); the
// flash at any moment is the flash before plus the operations done by then, and a cut inside an
// operation leaves it half done (a program stops part-way, an erase leaves the sector's bits
// undefined). The chip is started afresh on the flash of hundreds of such moments — random
// times, every boundary between two operations, and operations cut in the middle — and must
// boot, enumerate and type with the old keymap or the new one, never neither.
//
//   node tests/rp2040/drive_powercut.mjs IMAGE.uf2 [POINTS]
import { readFileSync } from 'node:fs';
import { Session } from '../../emu/rp2040/session.mjs';
import { MscHost, HostVolume } from '../../emu/rp2040/msc.mjs';

const [imagePath, pointsArg] = process.argv.slice(2);
const RANDOM_POINTS = Number(pointsArg || 200);
const MS = 1_000_000, FLASH_USED = 0x100000;
const KEY_OLD = 0x14 /* Q */, KEY_NEW = 0x1d /* Z */;
const PROBE_CONFIG = 24;

let seed = 0x2545f491;
const rnd = (n) => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed % n; };

// ---- the write, with every flash operation recorded ------------------------------------------
const s = new Session({ uf2: new Uint8Array(readFileSync(imagePath)) });
s.start();
const msc = new MscHost(s.host, s.info);
msc.attach();
const cache = msc.readUsed(new Uint8Array(1024 * 512)); // the drive is made on this first look
const vol = new HostVolume(cache);
const km = JSON.parse(vol.read('keymap.json'));
km.layers[0][0] = 'KC_Z';

const ops = [];
const board = s.board, trap = board.trap.bind(board);
board.trap = (n) => {
  const r = board.mcu.core.registers;
  if (n === 4) ops.push({ t: board.nanos, kind: 'erase', off: r[0] >>> 0, len: r[1] >>> 0 });
  if (n === 5) {
    const src = r[1] >>> 0, len = r[2] >>> 0, data = new Uint8Array(len);
    for (let i = 0; i < len; i++) data[i] = board.mcu.readUint8(src + i);
    ops.push({ t: board.nanos, kind: 'program', off: r[0] >>> 0, len, data });
  }
  trap(n);
};
let switched = 0;
const probe = board.onProbe;
board.onProbe = (v) => { if (v === PROBE_CONFIG) switched = board.nanos; probe(v); };

const before = board.mcu.flash.slice(0, FLASH_USED);
const tStart = board.nanos;
const prev = vol.bytes();
vol.write('keymap.json', JSON.stringify(km, null, 4) + '\n');
msc.writeChanged(prev, vol.bytes());
board.run(board.nanos + 500 * MS, () => switched > 0);
board.run(board.nanos + 20 * MS);
vol.close();
if (!switched) { console.log('FAIL the new keymap was never switched to'); process.exit(1); }
const tEnd = board.nanos;

// The flash after ops[0..k) and, optionally, ops[k] cut part-way.
function flashAt(k, partial) {
  const f = before.slice();
  const apply = (op, frac) => {
    if (op.kind === 'erase') {
      const n = frac === undefined ? op.len : Math.floor(op.len * frac / 4096) * 4096;
      f.fill(0xff, op.off, op.off + n);
      if (frac !== undefined && n < op.len) // the sector being erased: bits of any value
        for (let i = op.off + n; i < op.off + Math.min(op.len, n + 4096); i++) f[i] = rnd(256);
    } else {
      const n = frac === undefined ? op.len : Math.floor(op.len * frac);
      for (let i = 0; i < n; i++) f[op.off + i] &= op.data[i];
    }
  };
  for (let i = 0; i < k; i++) apply(ops[i]);
  if (partial !== undefined && k < ops.length) apply(ops[k], partial);
  return f;
}

// Boots a fresh chip on `flash`: it must enumerate and key 0,0 must type the old or new key.
function bootAndType(flash) {
  const b = new Session({ image: flash });
  b.start();
  if (b.checks.failures.length) return `enumeration: ${b.checks.failures[0]}`;
  const n = b.reports.length;
  b.matrix.set(0, true);
  b.board.run(b.board.nanos + 20 * MS);
  b.matrix.set(0, false);
  b.board.run(b.board.nanos + 40 * MS);
  const r = b.reports.slice(n).find((x) => x.ep === 1 && x.data[2]);
  if (b.board.halted) return `halted: ${b.board.halted}`;
  return r ? r.data[2] : 'no key report';
}

const points = [];
for (let k = 0; k <= ops.length; k++) points.push({ k, why: 'boundary' });
for (let k = 0; k < ops.length; k++) points.push({ k, partial: (1 + rnd(999)) / 1000, why: 'inside' });
for (let i = 0; i < RANDOM_POINTS; i++) {
  const t = tStart + rnd(Math.max(1, tEnd - tStart));
  const k = ops.filter((o) => o.t <= t).length;
  points.push({ k, partial: rnd(4) === 0 ? rnd(1000) / 1000 : undefined, why: `t=${((t - tStart) / MS).toFixed(3)}ms` });
}

let old = 0, neu = 0;
const bad = [];
for (const p of points) {
  const got = bootAndType(flashAt(p.k, p.partial));
  if (got === KEY_OLD) old++;
  else if (got === KEY_NEW) neu++;
  else bad.push(`cut after ${p.k} of ${ops.length} operations${p.partial !== undefined ? ` (+${p.partial} of the next)` : ''} [${p.why}]: ${got}`);
}
// The end state must be the new keymap, the start the old one.
const last = bootAndType(flashAt(ops.length));
if (last !== KEY_NEW) bad.push(`after every operation: ${last}, not the new key`);
const erases = ops.filter((o) => o.kind === 'erase').length;
console.log(`rp2040 drive power cut: ${points.length} cuts over ${ops.length} flash operations (${erases} erases) in ${((tEnd - tStart) / MS).toFixed(1)} emulated ms: old keymap after ${old}, new after ${neu}, neither after ${bad.length}`);
for (const b of bad.slice(0, 10)) console.log(`FAIL ${b}`);
process.exit(bad.length ? 1 : 0);
