#!/usr/bin/env node
// The web UI's catalog list page over HTTP, from a client in its own process (global fetch,
// keep-alive, whole bodies read), one request at a time: UI_WARMUP (20) unmeasured, then UI_REPS (100) measured.
// Prints JSON: per page the client's p50/p95 and the server's own p50s from its Server-Timing
// header (query, facets, render; the sample app must run with portal.ui.server-timing=true), and
// the server process' CPU per request when SERVER_PID is given.
//   BASE=http://127.0.0.1:8089 RUN_ID=l10000-bench node bench/ui-pages.mjs
import fs from 'node:fs';

const BASE = process.env.BASE || 'http://127.0.0.1:8080';
const RUN = process.env.RUN_ID || 'l10000-bench';
const REPS = Number(process.env.UI_REPS || 100);
const WARMUP = Number(process.env.UI_WARMUP || 20);
const SERVER_PID = process.env.SERVER_PID;

const cpu = () => {
  if (!SERVER_PID) return undefined;
  const st = fs.readFileSync(`/proc/${SERVER_PID}/stat`, 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // ms, USER_HZ 100
};
const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))].toFixed(2);
};

async function page(name, pathFn) {
  const client = [];
  const parts = {};
  for (let i = 0; i < WARMUP + REPS; i++) {
    const path = pathFn(i);
    const t = performance.now();
    const res = await fetch(BASE + path);
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`GET ${path} -> ${res.status} ${body.slice(0, 200)}`);
    if (i === WARMUP) page.cpu0 = cpu();
    if (i < WARMUP) continue;
    client.push(ms);
    for (const m of (res.headers.get('server-timing') || '').split(',')) {
      const [k, d] = m.trim().split(';dur=');
      if (d !== undefined) (parts[k] ||= []).push(Number(d));
    }
  }
  const c1 = cpu();
  const out = { page: name, p50: q(client, 0.5), p95: q(client, 0.95) };
  for (const [k, v] of Object.entries(parts)) out[`server_${k}_p50`] = q(v, 0.5);
  if (page.cpu0 !== undefined) out.serverCpuMsPerReq = +((c1 - page.cpu0) / REPS).toFixed(2);
  return out;
}

const results = [];
results.push(await page('/portal/catalog', () => '/portal/catalog'));
results.push(await page('/portal/catalog?kind=Component&lifecycle=production',
  () => '/portal/catalog?kind=Component&lifecycle=production'));
results.push(await page('/portal/catalog?q=<term>', i => `/portal/catalog?q=${RUN}-comp-${String(i % 100).padStart(3, '0')}`));
// a later page: the first page's "next" link
const first = await (await fetch(`${BASE}/portal/catalog`)).text();
const next = (first.match(/href="([^"]*cursor=[^"]*)"/) || [])[1]?.replaceAll('&amp;', '&');
if (next) results.push(await page('/portal/catalog?cursor=… (second page)', () => next));
results.push(await page('/portal (home, counts per kind)', () => '/portal'));
console.log(JSON.stringify({ base: BASE, reps: REPS, loadavg: fs.readFileSync('/proc/loadavg', 'utf8').trim(), results }, null, 2));
