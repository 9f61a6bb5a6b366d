#!/usr/bin/env node
// Kestrel's RP2040 emulator harness (rp2040js). Commands:
//
//   serve                 jobs as JSON lines on stdin, results as lines on stdout (used by
//                         `kestrel test --target rp2040` and `kestrel emulate`; see README.md)
//   run IMAGE [EVENTS]    boot a .uf2/.bin (config already in it), play "T ROW,COL down|up"
//                         lines, print raw report lines
//   uf2 IN.bin OUT.uf2    wrap a flash image as a UF2 (family RP2040)
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Session } from './session.mjs';
import { uf2Encode } from './board.mjs';

const MS = 1_000_000;

function loadImage(path) {
  const bytes = new Uint8Array(readFileSync(path));
  return path.endsWith('.uf2') ? { uf2: bytes } : { image: bytes };
}

function hex(b) { return Buffer.from(b).toString('hex'); }

// "R <made> <ep> <hex> <received>": times in µs from scenario time 0; `made` is when the
// firmware queued the report (what the host simulation's times mean), `received` when the host
// got it at its endpoint's next poll.
function reportLine(s, r) {
  return `R ${s.relUs(r.madeNs).toFixed(3)} ${r.ep} ${hex(r.data)} ${s.relUs(r.ns).toFixed(3)}`;
}

const imageCache = new Map();

// One job: {image, config: hex, events: [[t_ms,row,col,down]], end_ms, settle_ms, idle_ms,
// pcap (optional: write the USB session there)}
function runJob(job, out) {
  if (!imageCache.has(job.image)) imageCache.set(job.image, loadImage(job.image));
  const img = imageCache.get(job.image);
  const config = job.config ? new Uint8Array(Buffer.from(job.config, 'hex')) : null;
  const s = new Session({ ...img, config, pcap: !!job.pcap });
  s.start();
  if (s.checks.failures.length) out(`E enumeration: ${s.checks.failures.join('; ')}`);
  const cols = s.cfg.cols;
  const events = (job.events || []).map(([t, row, col, down]) => ({ t, pos: row * cols + col, down: !!down }));
  const endMs = job.end_ms || 0;
  // Run past the last event until the engine's timers are done: the host run's idle time when
  // known, plus room for the deferred debounce and the frames that carry the last reports.
  const quiet = Math.max(endMs, job.idle_ms || 0) + 30;
  const cap = endMs + (job.settle_ms ?? 10000);
  s.play(events, Math.min(quiet, cap));
  // Reports and the actions the firmware dispatched (QK_BOOT, QK_REBOOT, ... seen as probes; the
  // bootloader entry or reboot they cause ends the run), in the order the firmware made them.
  const items = s.reports.map((r) => [r.madeNs, reportLine(s, r)]);
  for (const e of s.board.events)
    if (e.what === 'action') items.push([e.t, `A ${s.relUs(e.t).toFixed(3)} ${e.args[0].toString(16)}`]);
  items.sort((a, b) => a[0] - b[0]);
  for (const [, l] of items) out(l);
  if (s.board.halted && !['bootsel', 'reboot'].includes(s.board.halted)) out(`E firmware stopped: ${s.board.halted}`);
  for (const err of s.host.errors) out(`E usb: ${err}`);
  if (job.pcap) writeFileSync(job.pcap, s.pcap.bytes());
  out('D');
}

async function serve() {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const out = (l) => process.stdout.write(l + '\n');
  for await (const line of rl) {
    if (!line.trim()) continue;
    try {
      runJob(JSON.parse(line), out);
    } catch (e) {
      out(`E harness: ${e.message}`);
      out('D');
    }
  }
}

function runCmd(path, eventsPath) {
  const s = new Session(loadImage(path));
  s.start();
  const cols = s.cfg.cols;
  const events = [];
  if (eventsPath) {
    for (const raw of readFileSync(eventsPath, 'utf8').split('\n')) {
      const l = raw.replace(/#.*/, '').trim();
      if (!l) continue;
      const m = /^(\d+(?:\.\d+)?)\s+(\d+),(\d+)\s+(down|up)$/.exec(l);
      if (!m) throw new Error(`${eventsPath}: cannot read '${l}'`);
      events.push({ t: Number(m[1]), pos: Number(m[2]) * cols + Number(m[3]), down: m[4] === 'down' });
    }
  }
  s.onReport = (r) => console.log(reportLine(s, r));
  s.play(events, (events.length ? events[events.length - 1].t : 0) + 500);
  for (const f of s.checks.failures) console.log(`E ${f}`);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'serve') await serve();
else if (cmd === 'run' && args.length >= 1) runCmd(args[0], args[1]);
else if (cmd === 'uf2' && args.length === 2) writeFileSync(args[1], uf2Encode(new Uint8Array(readFileSync(args[0]))));
else {
  console.error('usage: harness.mjs serve | run IMAGE [EVENTS] | uf2 IN.bin OUT.uf2');
  process.exit(2);
}
