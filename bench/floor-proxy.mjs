// The floor of the measuring method (issue 16): a server that does nothing but write answers it
// already holds. Sits in front of a catalog (UPSTREAM), fetches each distinct path once and keeps
// status, content type and body bytes; every later request for that path is written from memory by
// Node's own http server, keep-alive, as fast as anything on this machine can answer it.
// load.mjs run twice through it with SKIP_INGEST=1 (its random names and cursors are the same
// both times) measures in its second pass what the client, the loopback and an idle server cost,
// so a ratio against Backstage that needs a faster answer than this is out of reach of any server.
//
//   UPSTREAM=http://127.0.0.1:8089/api/catalog PORT=8090 node bench/floor-proxy.mjs
import http from 'node:http';

const upstream = (process.env.UPSTREAM || 'http://127.0.0.1:8089/api/catalog').replace(/\/+$/, '');
const port = Number(process.env.PORT || 8090);
const auth = process.env.PORTAL_AUTH;
const kept = new Map();
let misses = 0;
let hits = 0;

const server = http.createServer(async (req, res) => {
  const path = req.url.replace(/^\/api\/catalog/, '');
  let answer = kept.get(path);
  if (answer === undefined) {
    misses++;
    const r = await fetch(upstream + path, { headers: auth ? { authorization: auth } : {} });
    answer = { status: r.status, type: r.headers.get('content-type') || 'application/json',
               body: Buffer.from(await r.arrayBuffer()) };
    if (r.status === 200 && req.method === 'GET') kept.set(path, answer);
  } else {
    hits++;
  }
  res.writeHead(answer.status, { 'content-type': answer.type, 'content-length': answer.body.length });
  res.end(answer.body);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`floor proxy on ${port} -> ${upstream}`));
process.on('SIGTERM', () => { console.log(`hits ${hits}, misses ${misses}, kept ${kept.size}`); process.exit(0); });
