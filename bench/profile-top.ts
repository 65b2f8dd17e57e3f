/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the top functions by self time, and self
 * time per source file (node_modules grouped by package), so hot spots can be named by file:line.
 *
 *   node dist/bench/profile-top.js <file.cpuprofile> [top=30]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/profile-top.js <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = profile.endTime - profile.startTime;

const shortUrl = (url: string): string => {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
};
const keyOf = (f: CallFrame): string =>
  `${f.functionName || '(anonymous)'}  ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`;
const groupOf = (url: string): string => {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return shortUrl(url);
};

const byFunction = new Map<string, number>();
const byGroup = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)!.callFrame;
  const key = keyOf(f);
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const g = groupOf(f.url);
  byGroup.set(g, (byGroup.get(g) ?? 0) + us);
}

// Inclusive ("total") time: every function on the sampled stack, counted once per sample.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const seen = new Set<string>();
  for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const f = byId.get(id)!.callFrame;
    if (!f.url || f.url.startsWith('node:') || f.url.includes('/node_modules/')) continue; // own code only
    seen.add(keyOf(f));
  }
  for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled, ${profile.samples.length} samples`);
console.log(`\ntop ${top} functions by self time`);
for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${ms(us)} ${pct(us)}  ${k}`);
console.log(`\ntop ${top} own-code functions by total (inclusive, synchronous) time`);
for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${ms(us)} ${pct(us)}  ${k}`);
console.log(`\nself time by file / package`);
for (const [k, us] of [...byGroup].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${ms(us)} ${pct(us)}  ${k}`);
