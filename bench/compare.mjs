#!/usr/bin/env node
// Prints issue 16's table from load.mjs result files:
//   node bench/compare.mjs <backstage pass 1> <backstage warm> <portal pass 1> <portal warm> [<floor>]
// (any may be an empty string). <floor> is load.mjs's warm pass through bench/floor-proxy.mjs, a
// server that only writes answers it already holds: what the client and the loopback cost, and so
// the best ratio any server could show against Backstage in this sitting ("at most"). Ingest comes from pass 1; latencies, CPU and memory from the warm
// pass (pass 1 when there is no warm one). Ratios are Backstage / Portal for times and costs,
// Portal / Backstage for throughput: above 1 means Portal is ahead.
import fs from 'node:fs';

const [bs1, bs2, p1, p2, floor] = process.argv.slice(2).map(f => (f ? JSON.parse(fs.readFileSync(f, 'utf8')) : undefined));
const side = (pass1, warm) => (pass1 || warm ? { pass1, warm: warm || pass1 } : undefined);
const B = side(bs1, bs2);
const P = side(p1, p2);
const F = floor ? { warm: floor } : undefined;
// The floor says nothing of ingest, server CPU or memory: it only writes bytes it holds.
const FLOOR_ROWS = new Set([1, 2, 3, 4, 5, 6]);

const concCpu = r => {
  const c = r?.latencyMs?.byNameConcurrent;
  return c?.cpu?.serverProcessCpuS !== undefined ? (c.cpu.serverProcessCpuS * 1000) / c.requests : undefined;
};
const rows = [
  ['ingest, POST /locations → all visible and related', 's', s => s.pass1?.ingest && s.pass1.ingest.stitchedMs / 1000, 'lower', '≥ 25×'],
  ['by-query kind=component,spec.lifecycle=production limit=100, p50', 'ms', s => s.warm.latencyMs.byQuery.p50, 'lower', '≥ 6×'],
  ['by-name component (random), p50', 'ms', s => s.warm.latencyMs.byName.p50, 'lower', '≥ 4×'],
  ['entity-facets facet=spec.type, p50', 'ms', s => s.warm.latencyMs.facetsSpecType.p50, 'lower', '≥ 5×'],
  ['entity-facets facet=spec.lifecycle filter=kind=component, p50', 'ms', s => s.warm.latencyMs.facetsLifecycleComponents.p50, 'lower', '≥ 5×'],
  ['cursor walk of all, limit 500, p50', 'ms', s => s.warm.latencyMs.cursorWalkAll.p50, 'lower', '≥ 5×'],
  ['by-name, 8 concurrent clients', 'req/s', s => s.warm.latencyMs.byNameConcurrent?.reqPerSec, 'higher', '≥ 3×'],
  ['server CPU per by-name request (8 clients)', 'ms', s => concCpu(s.warm), 'lower', '≥ 5× less'],
  ['server CPU per by-name request (1 client)', 'ms', s => s.warm.latencyMs.byName.serverCpuMsPerReq, 'lower', ''],
  ['server CPU per by-query request (1 client)', 'ms', s => s.warm.latencyMs.byQuery.serverCpuMsPerReq, 'lower', ''],
  ['server memory (RSS) after the run', 'MiB', s => s.warm.serverMemEnd?.rssMiB, 'lower', '≥ 1.5× less'],
];
const fmt = (v, unit) => (v === undefined || v === null || Number.isNaN(v) ? '–' : `${+v.toFixed(v < 10 ? 2 : 1)} ${unit}`);
const n = (P || B).warm.n;
console.log(`\n### Catalog, ${n} entities: Backstage next to Portal\n`);
for (const [name, s] of [['Backstage', B], ['Portal', P]]) {
  if (s) console.log(`- ${name}: run ${s.warm.run}, ${s.warm.base}, finished ${s.warm.finishedAt}, load average before/after ${s.pass1?.loadavgBefore ?? '?'} / ${s.warm.loadavgAfter ?? '?'}`);
}
const ratioOf = (b, p, better) => (b !== undefined && p !== undefined && b > 0 && p > 0
  ? `${(better === 'lower' ? b / p : p / b).toFixed(1)}×` : '');
console.log(F ? '\n| measure | Backstage | Portal | Portal is | goal | floor | at most |\n|---|---|---|---|---|---|---|'
  : '\n| measure | Backstage | Portal | Portal is | goal |\n|---|---|---|---|---|');
rows.forEach(([name, unit, get, better, goal], i) => {
  const b = B ? get(B) : undefined;
  const p = P ? get(P) : undefined;
  const f = F && FLOOR_ROWS.has(i) ? get(F) : undefined;
  const extra = F ? ` ${fmt(f, unit)} | ${ratioOf(b, f, better)} |` : '';
  console.log(`| ${name} | ${fmt(b, unit)} | ${fmt(p, unit)} | ${ratioOf(b, p, better)} | ${goal} |${extra}`);
});
