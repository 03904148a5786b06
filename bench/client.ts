// Benchmark 3: the suite client's overhead. One node:http server on 127.0.0.1 answers every
// POST /text-to-image with DOC-10's kind of 200 (an ImageResponse). Four ways to send the same
// request, in short alternating blocks (rounds) on one connection pool (the global undici Agent the
// client installs):
//   bare      undici.request + body.text()               (the floor the issue names)
//   fetch     global fetch + arrayBuffer()               (what the client must use: nock intercepts fetch)
//   fetch+    fetch called exactly as the client calls it (AbortSignal.timeout deadline, redirect manual)
//   client    ApiClient.send (auth header, encoding, capture, redaction of a key) + judge() with the
//             ImageResponse schema from support/schemas (what a spec does per request)
// client ÷ bare is the ratio; the steps between say where the time goes. Wall time is the
// measure; CPU time of the process (server included, the same for every way) is also kept, as it
// moves less when other processes load the machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getGlobalDispatcher, request } from 'undici';
import { ApiClient } from '../support/http/client.ts';
import { judge, type Expectation } from '../support/schemas/expectations.ts';
import { build, minimalDraft } from '../support/data/requests.ts';
import { ImageResponse } from '../support/schemas/index.ts';
import { encodeBody } from '../support/http/wire.ts';
import { intOption, isMain, median } from './lib.ts';

const BODY = JSON.stringify({ images: [{ url: 'https://obj-store.livepeer.cloud/image/abcdef.png', seed: 2_718_281, nsfw: false }] });
/** Not a secret: a key-shaped value so that redaction has something to look for. */
const BENCH_KEY = 'bench-key-7f3a91c2d4e5';

function startServer(): Promise<{ server: Server; url: string }> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

type Way = 'bare' | 'fetch' | 'fetchAsClient' | 'client';

export interface ClientBench {
  /** Median over rounds of the mean wall time of one request, per way of sending it. */
  perRequestMs: Record<Way, number>;
  /** The same for the process's CPU time (user + system). */
  cpuPerRequestMs: Record<Way, number>;
  /** client ÷ bare, wall time: the issue's ratio (median of the rounds' ratios, as every ratio here). */
  ratio: number;
  cpuRatio: number;
  fetchToBare: number;
  fetchOptionsCost: number;
  clientToFetchAsClient: number;
  iterations: number;
  rounds: number;
}

export async function benchClient(rounds: number, iterations = 200): Promise<ClientBench> {
  const { server, url } = await startServer();
  try {
    const client = new ApiClient({
      target: 'studio',
      baseUrl: url,
      key: BENCH_KEY,
      timeouts: { connectMs: 2_000, checkMs: 5_000, generationMs: 10_000 },
    });
    const spec = build(minimalDraft('text-to-image'));
    const encoded = encodeBody(spec.body);
    const target = client.url(spec.path);
    const headers = { 'content-type': encoded.contentType!, authorization: `Bearer ${BENCH_KEY}` };
    const payload = JSON.stringify((spec.body as { value: unknown }).value);
    const dispatcher = getGlobalDispatcher();
    const expectation: Expectation = { summary: '200 ImageResponse', status: 200, body: ImageResponse };

    const ways: Record<Way, () => Promise<void>> = {
      async bare() {
        const res = await request(target, { method: 'POST', headers, body: payload, dispatcher });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`bare: ${res.statusCode}`);
      },
      async fetch() {
        const res = await fetch(target, { method: 'POST', headers, body: payload });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`fetch: ${res.status}`);
      },
      async fetchAsClient() {
        const res = await fetch(target, { method: 'POST', headers, body: payload, redirect: 'manual', signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`fetch+: ${res.status}`);
      },
      async client() {
        const x = await client.send(spec);
        const j = judge({ exchange: x }, expectation);
        if (!j.holds) throw new Error(`client: ${j.reasons.join('; ')}`);
      },
    };
    const order: Way[] = ['bare', 'fetch', 'fetchAsClient', 'client'];

    for (const way of order) for (let i = 0; i < 300; i++) await ways[way](); // warm-up: JIT, sockets
    // Redaction did its work (checked once, outside the timed loops): the key is sent, never captured.
    if (JSON.stringify(await client.send(spec)).includes(BENCH_KEY)) throw new Error('client: the key reached the exchange');
    const wall: Record<Way, number[]> = { bare: [], fetch: [], fetchAsClient: [], client: [] };
    const cpu: Record<Way, number[]> = { bare: [], fetch: [], fetchAsClient: [], client: [] };
    for (let r = 0; r < rounds; r++) {
      // Rotate the order every round so no way always runs first (or right after a GC-heavy one).
      const shift = r % order.length;
      for (const way of [...order.slice(shift), ...order.slice(0, shift)]) {
        const cpuStart = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < iterations; i++) await ways[way]();
        wall[way].push((performance.now() - started) / iterations);
        const used = process.cpuUsage(cpuStart);
        cpu[way].push((used.user + used.system) / 1000 / iterations);
      }
    }
    const med = (m: Record<Way, number[]>) => Object.fromEntries(order.map((w) => [w, median(m[w])])) as Record<Way, number>;
    // Ratios are taken within each round (its ways ran back to back) and their median kept: load
    // from other processes that changes between rounds then cancels out of every ratio.
    const ratio = (m: Record<Way, number[]>, a: Way, b: Way) => median(m[a].map((x, i) => x / m[b][i]!));
    return {
      perRequestMs: med(wall),
      cpuPerRequestMs: med(cpu),
      ratio: ratio(wall, 'client', 'bare'),
      cpuRatio: ratio(cpu, 'client', 'bare'),
      fetchToBare: ratio(wall, 'fetch', 'bare'),
      fetchOptionsCost: ratio(wall, 'fetchAsClient', 'fetch'),
      clientToFetchAsClient: ratio(wall, 'client', 'fetchAsClient'),
      iterations,
      rounds,
    };
  } finally {
    await getGlobalDispatcher().close();
    await new Promise((resolve) => server.close(resolve));
  }
}

if (isMain(import.meta.url)) {
  const rounds = intOption(process.argv, 'runs', 'BENCH_RUNS', 30);
  const iterations = intOption(process.argv, 'iterations', 'BENCH_CLIENT_ITERATIONS', 200);
  console.log(JSON.stringify(await benchClient(rounds, iterations)));
}
