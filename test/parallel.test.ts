// kl-wasm/parallel: every function's result is the synchronous call's, bit for bit, and its errors the same (random
// shapes below and above the thresholds, float64 / float32 / mixed / plain arrays / other typed arrays, on
// SharedArrayBuffer and on ordinary buffers, every option); a worker that crashes rejects its call and is
// replaced; close(); 10^4 calls leave no workers or heap behind. The sources run here with the built worker
// (dist/parallel-worker.js: `npm test` builds first), and the built entries (ESM and CommonJS) once each.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useBuiltWorker, rng, dist, same, agree, hasRelaxedSimd, switchMidCall } from "./helpers/parallel.js";

useBuiltWorker();
const { createPool } = await import("../src/parallel.js");
const { TUNING, makePool } = await import("../src/parallel/api.js");
const { CRASH_TASK } = await import("../src/parallel/pool.js");
const sync = await import("../src/index.js");
const pw = await import("../src/pairwise.js");
const { CHUNK } = await import("../src/core/wasm.js");

type Pool = ReturnType<typeof createPool> & { [k: string]: any };
/** The pool's workers alive, and a job that crashes one ("throw" an uncaught error, or "exit"): the hidden __pool. */
const workers = (p: Pool): number => p.__pool?.size ?? 0;
const crash = (p: Pool, how: string): Promise<unknown> => p.__pool.one({ task: CRASH_TASK, payload: how });

let pool: Pool, every: Pool;
beforeAll(async () => {
  pool = createPool({ threads: 2 }) as Pool;                                         // measured thresholds
  every = createPool({ threads: 2, [TUNING]: { rows: 1, pairs: 1 } } as never) as Pool; // everything to the workers
  await Promise.all([pool.ready(), every.ready()]);
});
afterAll(async () => {
  await pool.close();
  await every.close();
});

const ONE = ["entropy"] as const;
const TWO = ["klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance"] as const;

describe("discrete: bit for bit", () => {
  const shapes: Array<[number, number]> = [[1, 5], [1, 100], [3, 1000], [1, CHUNK], [1, CHUNK + 1], [1, 3 * CHUNK + 17], [2, 2 * CHUNK + 5],
    [3, CHUNK * 2], [5, CHUNK + 100], [257, 33], [1000, 64], [40, 2000]];
  const optionSets: Array<Record<string, unknown> | undefined> = [undefined, { normalize: true }, { normalize: false }, { base: 2 }];
  // only shared inputs go to the workers (the others run here: copies do not pay for these kernels), and agree too
  const kinds = ["f64", "f32", "mixed", "shared64", "shared32", "sharedMixed", "plain"] as const;

  it("every function, shape, input kind and option, dispatched at any size", async () => {
    const rand = rng(1);
    for (const [rows, cols] of shapes) {
      for (const kind of kinds) {
        if (kind === "plain" && rows * cols > 50000) continue;
        const f32 = kind === "f32" || kind === "shared32", sh = kind.startsWith("shared");
        let p: any = dist(rand, rows, cols, f32 || kind === "sharedMixed", sh), q: any = dist(rand, rows, cols, f32, sh);
        if (kind === "mixed") p = Float32Array.from(p);
        if (kind === "plain") { p = Array.from(p); q = Array.from(q); }
        for (const o of optionSets) {
          for (const fn of ONE) {
            if (rows === 1) await agree(() => (sync as any)[fn](p, o), () => every[fn](p, o));
            await agree(() => (sync as any)[`${fn}Rows`](p, cols, o), () => every[`${fn}Rows`](p, cols, o));
          }
          for (const fn of TWO) {
            if (rows === 1) await agree(() => (sync as any)[fn](p, q, o), () => every[fn](p, q, o));
            await agree(() => (sync as any)[`${fn}Rows`](p, q, cols, o), () => every[`${fn}Rows`](p, q, cols, o));
          }
        }
      }
    }
  });

  it("eps (0: poles), weights, estimators, counts, other typed arrays", async () => {
    const rand = rng(2);
    for (const [rows, cols] of [[1, 3 * CHUNK + 1], [6, 5000], [1, 20000]] as const) {
      const p = dist(rand, rows, cols, false, true), q = dist(rand, rows, cols, false, true);
      for (const o of [{ eps: 0 }, { eps: 1e-8 }, { eps: 0, normalize: true }, { eps: 1e-300, normalize: true }]) {
        await agree(() => sync.klDivergenceRows(p, q, cols, o), () => every.klDivergenceRows(p, q, cols, o));
        await agree(() => sync.crossEntropyRows(p, q, cols, o), () => every.crossEntropyRows(p, q, cols, o));
      }
      for (const o of [{ weights: [0.3, 0.7] }, { weights: [0.5, 0.5], normalize: true }]) {
        await agree(() => sync.jensenShannonRows(p, q, cols, o), () => every.jensenShannonRows(p, q, cols, o));
      }
      const counts = Int32Array.from(p, (v) => Math.round(v * 1e6));
      for (const o of [{ estimator: "millerMadow" }, { estimator: "plugin" }, { normalize: true }]) {
        await agree(() => sync.entropyRows(counts, cols, o as never), () => every.entropyRows(counts, cols, o as never));
      }
    }
  });

  it("values that need the exact mode (subnormals), in one part only: the call reruns here, whole", async () => {
    const rand = rng(3);
    for (const [rows, cols] of [[1, 4 * CHUNK], [100, 300]] as const) {
      const p = dist(rand, rows, cols, false, true) as Float64Array, q = dist(rand, rows, cols, false, true) as Float64Array;
      p[p.length - 3] = 5e-320;
      q[q.length - 5] = 1e-310;
      for (const o of [undefined, { normalize: false }, { eps: 0 }, { normalize: true }]) {
        for (const fn of TWO) await agree(() => (sync as any)[`${fn}Rows`](p, q, cols, o), () => every[`${fn}Rows`](p, q, cols, o));
        await agree(() => sync.entropyRows(p, cols, o as never), () => every.entropyRows(p, cols, o as never));
      }
      // eps: 0 and a q = 0 under p > 0 in the last part: +Infinity
      const q0 = q.slice();
      q0[q0.length - 1] = 0;
      p[p.length - 1] = 0.001;
      await agree(() => sync.klDivergenceRows(p, q0, cols, { eps: 0, normalize: false }), () => every.klDivergenceRows(p, q0, cols, { eps: 0, normalize: false }));
    }
  });

  it("above the measured threshold (the default pool): 10^6 elements, one vector and rows", async () => {
    const rand = rng(4), p = dist(rand, 1, 1e6, false, true), q = dist(rand, 1, 1e6, false, true);
    for (const fn of TWO) await agree(() => (sync as any)[fn](p, q), () => pool[fn](p, q));
    await agree(() => sync.entropy(p, { normalize: true }), () => pool.entropy(p, { normalize: true }));
    await agree(() => sync.klDivergenceRows(p, q, 1000), () => pool.klDivergenceRows(p, q, 1000));
    const p32 = Float32Array.from(p), q32 = Float32Array.from(q);
    await agree(() => sync.jensenShannonDistanceRows(p32, q32, 500), () => pool.jensenShannonDistanceRows(p32, q32, 500));
  });

  it("back-to-back calls whose jobs are settled from shared memory (workers freed before their replies): each the synchronous bits", async () => {
    // dispatch releases a job whose worker has begun once every run is done: the worker's late reply must not settle
    // the next call's job, and the next call must find the worker free (or queue behind it) and still agree
    const rand = rng(23), inner = every.__pool, release = inner.release;
    let released = 0;
    inner.release = (job: unknown) => { released++; release.call(inner, job); };
    try {
      for (let c = 0; c < 60; c++) {
        const rows = 50 + (c % 7) * 40, cols = 257 + c;
        const p = dist(rand, rows, cols, false, true), q = dist(rand, rows, cols, false, true);
        const want = sync.klDivergenceRows(p, q, cols), got = await every.klDivergenceRows(p, q, cols);
        same(got, want);
        if (c % 10 === 0) same(await every.jensenShannonRows(p, q, cols), sync.jensenShannonRows(p, q, cols));
      }
    } finally {
      inner.release = release;
    }
    expect(released).toBeGreaterThan(0); // some calls did take that path
    every.__pool.release({ task: "rows", payload: null }); // a job that is not running: nothing happens
    expect(workers(every)).toBe(2);
  });

  it("runs taken by the calling thread alone, beside one worker or beside three: the same bits and errors", async () => {
    // TUNING helpers: the workers taking runs beside the calling thread (the default: one fewer than the cores)
    const pools = [0, 1, 3].map((helpers) => createPool({ threads: 3, [TUNING]: { rows: 1, helpers } } as never) as Pool);
    const rand = rng(17);
    try {
      for (const [rows, cols] of [[1000, 64], [3, 1000], [40, 2000], [1, 3 * CHUNK + 17], [5, CHUNK + 100], [2, 20 * CHUNK]] as const) {
        const p = dist(rand, rows, cols, false, true) as Float64Array, q = dist(rand, rows, cols, false, true) as Float64Array;
        const bad = p.slice(), tiny = q.slice();
        bad[bad.length - 2] = NaN;        // in the last run
        tiny[(rows * cols) >> 1] = 1e-310; // a run in the middle reruns in the exact mode
        for (const o of [undefined, { normalize: true }, { eps: 0, normalize: false }]) {
          for (const each of pools) {
            for (const fn of TWO) await agree(() => (sync as any)[`${fn}Rows`](p, q, cols, o), () => each[`${fn}Rows`](p, q, cols, o));
            await agree(() => sync.klDivergenceRows(bad, q, cols, o), () => each.klDivergenceRows(bad, q, cols, o));
            await agree(() => sync.crossEntropyRows(p, tiny, cols, o), () => each.crossEntropyRows(p, tiny, cols, o));
            if (rows === 1) await agree(() => sync.entropy(p, o as never), () => each.entropy(p, o as never));
          }
        }
      }
      // concurrent calls: runs of one call that nobody else is free to take are the calling thread's
      const p = dist(rand, 300, 500, false, true), q = dist(rand, 300, 500, false, true);
      await Promise.all(Array.from({ length: 6 }, (_, i) => agree(() => sync.jensenShannonRows(p, q, 500), () => pools[i % 3].jensenShannonRows(p, q, 500))));
    } finally {
      await Promise.all(pools.map((x) => x.close()));
    }
  });

  it("errors: the synchronous call's, whichever part the bad value is in", async () => {
    const rand = rng(5), cols = 3 * CHUNK, p = dist(rand, 2, cols, false, true) as Float64Array, q = dist(rand, 2, cols, false, true) as Float64Array;
    const cases: Array<(p: Float64Array, q: Float64Array) => void> = [
      (p) => { p[2 * cols - 2] = NaN; }, (_p, q) => { q[cols + 7] = -1; }, (p) => { p[5] = Infinity; },
      (p) => { p[cols + 9] = 0.5; }, (_p, q) => { q.fill(0, cols, 2 * cols); },
    ];
    for (const hurt of cases) {
      const a = p.slice(), b = q.slice();
      hurt(a, b);
      for (const o of [undefined, { normalize: true }, { normalize: false }]) {
        for (const fn of TWO) await agree(() => (sync as any)[`${fn}Rows`](a, b, cols, o), () => every[`${fn}Rows`](a, b, cols, o));
        await agree(() => sync.klDivergence(a, b, o), () => every.klDivergence(a, b, o));
        await agree(() => sync.entropyRows(a, cols, o), () => every.entropyRows(a, cols, o));
      }
    }
    // bad arguments: options, cols, lengths, types, non-numbers in plain arrays (read once)
    const plain: unknown[] = Array.from(p.subarray(0, 1000)); plain[700] = "x";
    await agree(() => sync.klDivergence(plain as number[], Array.from(q.subarray(0, 1000))), () => every.klDivergence(plain as number[], Array.from(q.subarray(0, 1000))));
    await agree(() => sync.klDivergence(p, q, { eps: 2 }), () => every.klDivergence(p, q, { eps: 2 }));
    await agree(() => sync.klDivergence([] as number[], q, { bogus: 1 } as never), () => every.klDivergence([] as number[], q, { bogus: 1 } as never));
    await agree(() => sync.klDivergenceRows(p, q, 7), () => every.klDivergenceRows(p, q, 7));
    await agree(() => sync.klDivergence(p, q.subarray(1)), () => every.klDivergence(p, q.subarray(1)));
    await agree(() => sync.entropy("x" as never), () => every.entropy("x" as never));
    let reads = 0;
    const getters = Array.from({ length: 5000 }, () => 1 / 5000);
    Object.defineProperty(getters, 17, { get: () => { reads++; return 1 / 5000; } });
    await every.entropy(getters);
    expect(reads).toBe(1);
  });
});

describe("pairwise: bit for bit", () => {
  const metrics = ["klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance", "hellinger", "totalVariation"] as const;
  it("pairwise, pairwiseCondensed and nearest, every metric, X against Y and itself", async () => {
    const rand = rng(6);
    for (const [m, n, cols] of [[3, 5, 7], [130, 70, 20], [200, 1, 9], [65, 300, 33], [300, 129, 16]] as const) {
      for (const f32 of [false, true]) {
        const X = dist(rand, m, cols, f32, m % 2 === 0), Y = dist(rand, n, cols, f32, false);
        if (m === 130) { X[5] = 0; X[cols + 3] = 1e-320; }
        for (const metric of metrics) {
          for (const o of [{ metric }, { metric, normalize: true }, { metric, float32: true }]) {
            await agree(() => pw.pairwise(X, Y, cols, o), () => every.pairwise(X, Y, cols, o));
            await agree(() => pw.pairwise(X, null, cols, o), () => every.pairwise(X, null, cols, o));
            await agree(() => pw.pairwiseCondensed(X, cols, o), () => every.pairwiseCondensed(X, cols, o));
            await agree(() => pw.nearest(X, Y, cols, { metric, k: Math.min(3, n) }), () => every.nearest(X, Y, cols, { metric, k: Math.min(3, n) }));
            await agree(() => pw.nearest(X, null, cols, { metric, k: 2 }), () => every.nearest(X, null, cols, { metric, k: 2 }));
          }
        }
        await agree(() => pw.pairwise(X, Y, cols, { metric: "klDivergence", eps: 0 }), () => every.pairwise(X, Y, cols, { metric: "klDivergence", eps: 0 }));
      }
    }
  });

  it("the default pool above its threshold; out; errors", async () => {
    const rand = rng(7), X = dist(rand, 300, 100, false, true), Y = dist(rand, 200, 100, false, true);
    await agree(() => pw.pairwise(X, Y, 100, { metric: "jensenShannonDistance" }), () => pool.pairwise(X, Y, 100, { metric: "jensenShannonDistance" }));
    await agree(() => pw.pairwiseCondensed(X, 100, { metric: "hellinger" }), () => pool.pairwiseCondensed(X, 100, { metric: "hellinger" }));
    const out1 = new Float32Array(300 * 200), out2 = new Float32Array(300 * 200);
    pw.pairwise(X, Y, 100, { metric: "jensenShannon", out: out1 });
    expect(await pool.pairwise(X, Y, 100, { metric: "jensenShannon", out: out2 })).toBe(out2);
    same(out2, out1);
    const bad = X.slice(); bad[100 * 150 + 7] = NaN;
    await agree(() => pw.pairwise(bad, Y, 100, { metric: "klDivergence" }), () => pool.pairwise(bad, Y, 100, { metric: "klDivergence" }));
    await agree(() => pw.pairwise(X, Y, 100, { metric: "nope" } as never), () => pool.pairwise(X, Y, 100, { metric: "nope" } as never));
    await agree(() => pw.pairwiseCondensed(X, 100, { metric: "klDivergence" }), () => pool.pairwiseCondensed(X, 100, { metric: "klDivergence" }));
    await agree(() => pw.nearest(X, Y, 100, { metric: "hellinger", k: 0 }), () => pool.nearest(X, Y, 100, { metric: "hellinger", k: 0 }));
  });
});

describe("the pool", () => {
  it("staging memory for copies: the spare is reused while large enough, a larger one replaces it, close() drops it", async () => {
    const { Pool: PoolClass } = await import("../src/parallel/pool.js");
    const p = new PoolClass(1, () => { throw new Error("no workers here"); });
    const a = p.stage(1000);
    expect(a).toBeInstanceOf(SharedArrayBuffer);
    expect(p.stage(1000)).not.toBe(a); // a is taken: a second call gets its own
    p.unstage(a);
    expect(p.stage(800)).toBe(a); // reused: no fresh memory (its page faults) for the next call's copy
    p.unstage(a);
    const b = p.stage(4000);
    expect(b).not.toBe(a);
    p.unstage(b);
    p.unstage(a); // the smaller one is not kept over the larger
    expect(p.stage(10)).toBe(b);
    p.unstage(b);
    await p.close();
    expect(p.stage(10)).not.toBe(b);
  });

  it("histograms of ordinary buffers go through the staging memory: concurrent calls, float32 and int samples, bit for bit", async () => {
    const drift = await import("../src/drift.js");
    const p = createPool({ threads: 2, [TUNING]: { bins: 1 } } as never) as Pool, r = rng(31);
    const xs = [Float64Array.from({ length: 300_001 }, () => r() * 10 - 5), Float32Array.from({ length: 70_000 }, () => r() * 10 - 5),
      Int16Array.from({ length: 5_000 }, () => Math.round(r() * 10 - 5))];
    const e = [-4, -1, 0, 0.5, 3];
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(xs.map((x) => p.histogram(x, e)));
      got.forEach((g: any, i: number) => { const w = drift.histogram(xs[i], e); same(g.counts, w.counts); expect([g.under, g.over]).toEqual([w.under, w.over]); });
    }
    const bad = xs[0].slice(); bad[123_456] = NaN;
    await expect(p.histogram(bad, e)).rejects.toThrow("histogram: samples[123456] is NaN");
    same((await p.histogram(xs[0], e)).counts, drift.histogram(xs[0], e).counts); // the staging memory after an error
    await p.close();
  });

  it("mutualInformationFeatures copies an ordinary X into the staging memory: calls after calls and after an error, bit for bit", async () => {
    const mutual = await import("../src/mutual.js");
    const p = createPool({ threads: 2 }) as Pool, r = rng(32), cols = 4, n = 3000;
    const X = Float64Array.from({ length: n * cols }, () => r()), y = Float64Array.from({ length: n }, (_, i) => X[i * cols] + r() / 4);
    const want = mutual.mutualInformationFeatures(X, y, { cols });
    same(await p.mutualInformationFeatures(X, y, { cols }), want);
    const bad = X.slice(); bad[7 * cols + 2] = NaN;
    const err = (() => { try { mutual.mutualInformationFeatures(bad, y, { cols }); } catch (e) { return (e as Error).message; } })();
    await expect(p.mutualInformationFeatures(bad, y, { cols })).rejects.toThrow(err!);
    same(await p.mutualInformationFeatures(X, y, { cols }), want);
    same(await p.mutualInformationFeatures(Float32Array.from(X), y, { cols }), mutual.mutualInformationFeatures(Float32Array.from(X), y, { cols }));
    await p.close();
  });

  it("a worker that throws or exits rejects its call; the pool replaces it and keeps working", async () => {
    const p = createPool({ threads: 2, [TUNING]: { rows: 1 } } as never) as Pool;
    const x = dist(rng(8), 10, 100, false, true), y = dist(rng(9), 10, 100, false, true);
    const want = sync.klDivergenceRows(x, y, 100);
    same(await p.klDivergenceRows(x, y, 100), want);
    await expect(crash(p, "throw")).rejects.toThrow("crash requested by a test");
    same(await p.klDivergenceRows(x, y, 100), want);
    await expect(crash(p, "exit")).rejects.toThrow(/exited \(code 3\)/);
    const calls = await Promise.all(Array.from({ length: 8 }, () => p.klDivergenceRows(x, y, 100)));
    for (const c of calls) same(c, want);
    expect(workers(p)).toBe(2);
    await p.close();
  });

  it("close() rejects pending calls; calls after it reject; ready, f64/f32, options", async () => {
    const p = createPool({ threads: 2, [TUNING]: { rows: 1 } } as never) as Pool;
    const x = p.f64(1 << 20).fill(1 / (1 << 20));
    expect(x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(p.f32(3)).toBeInstanceOf(Float32Array);
    const pending = p.entropy(x);
    await p.close();
    await expect(pending).rejects.toThrow("kl-wasm/parallel: the pool is closed");
    await expect(p.entropy(x)).rejects.toThrow("kl-wasm/parallel: the pool is closed");
    await expect(p.ready()).rejects.toThrow("the pool is closed");
    await p.close();
    expect(workers(p)).toBe(0);
    expect(() => createPool({ threads: 0 })).toThrow(new RangeError("createPool: threads must be an integer in [1, 256], got 0"));
    expect(() => createPool({ thread: 2 } as never)).toThrow(new TypeError("createPool: unknown option 'thread'"));
    expect(() => p.f64(-1)).toThrow(RangeError);
    expect(createPool().threads).toBeGreaterThanOrEqual(1);
  });

  it("concurrent calls of both families, more than there are workers, each its own answer", async () => {
    const rand = rng(16), calls: Array<Promise<void>> = [];
    for (let c = 0; c < 12; c++) {
      const rows = 3 + c, cols = c % 2 ? 3 * CHUNK + c : 200 + c;
      const p = dist(rand, rows, cols, c % 3 === 0, true), q = dist(rand, rows, cols, c % 3 === 0, true);
      calls.push(agree(() => sync.jensenShannonRows(p, q, cols, { normalize: true }), () => every.jensenShannonRows(p, q, cols, { normalize: true })));
      const X = dist(rand, 70 + c, 16, false, true);
      calls.push(agree(() => pw.nearest(X, null, 16, { metric: "hellinger", k: 3 }), () => every.nearest(X, null, 16, { metric: "hellinger", k: 3 })));
    }
    await Promise.all(calls);
  });

  it("a runtime that refuses to start a worker: the call rejects with its error", async () => {
    const p = makePool({ threads: 2 }, () => { throw new Error("no workers here"); }, { rows: 1 }) as Pool;
    const x = dist(rng(14), 4, 100, false, true);
    await expect(p.entropyRows(x, 100)).rejects.toThrow("no workers here");
    await expect(p.entropyRows(x, 100)).rejects.toThrow("no workers here");
    await p.close();
    // a worker that fails before it has loaded (Deno without read access to its file): the call rejects, no retry loop
    let started = 0;
    const q = makePool({ threads: 2 }, () => {
      started++;
      return { post() {}, terminate() {}, listen(_m, fail) { setTimeout(() => fail(new Error("cannot load")), 1); } };
    }, { rows: 1 }) as Pool;
    await expect(q.entropyRows(x, 100)).rejects.toThrow("cannot load");
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toBeLessThanOrEqual(4);
    await q.close();
  });

  it("the workers run the build of the modules this thread runs (useSimd here switches them too)", async () => {
    const { simdBuild, useSimd } = await import("../src/core/wasm.js");
    const before = simdBuild(), rand = rng(15), n = 1 << 16;
    // values as given (normalize: false), where the two builds' fused multiply-adds differ in the last bits
    // on shared memory (map would return ordinary buffers: calls the calling thread runs)
    const p = new Float64Array(new SharedArrayBuffer(8 * n)), q = new Float64Array(new SharedArrayBuffer(8 * n));
    for (let i = 0; i < n; i++) { p[i] = rand() ** 3; q[i] = rand() ** 3; }
    const X = p.subarray(0, 100 * 64), Y = q.subarray(0, 70 * 64), o = { normalize: false } as const;
    const relaxed = hasRelaxedSimd();
    const seen: number[][] = [];
    try {
      for (const b of relaxed ? ["baseline", "relaxed", "baseline"] as const : ["baseline"] as const) {
        await useSimd(b);
        seen.push([sync.klDivergence(p, q, o), ...sync.jensenShannonRows(p, q, 1024, o),
          ...pw.pairwise(X, Y, 64, { metric: "klDivergence", normalize: false })]);
        await agree(() => sync.klDivergence(p, q, o), () => every.klDivergence(p, q, o));
        await agree(() => sync.jensenShannonRows(p, q, 1024, o), () => every.jensenShannonRows(p, q, 1024, o));
        await agree(() => pw.pairwise(X, Y, 64, { metric: "klDivergence", normalize: false }), () => every.pairwise(X, Y, 64, { metric: "klDivergence", normalize: false }));
      }
    } finally {
      await useSimd(before);
    }
    // the builds differ on these inputs, so the workers' agreement above is not by chance
    if (relaxed) expect(seen[1].some((v, i) => !Object.is(v, seen[0][i]))).toBe(true);
  });

  it("a call runs in the build of its start: queued parts posted after a useSimd switch do not mix the builds", async () => {
    const { simdBuild, useSimd } = await import("../src/core/wasm.js");
    const relaxed = hasRelaxedSimd();
    if (!relaxed) return;
    const before = simdBuild(), o = { metric: "jensenShannon", normalize: true } as const;
    const X = new Float64Array(256 * 64).map((_, i) => 1 + Math.sin(i) ** 2), Y = new Float64Array(128 * 64).map((_, i) => 1 + Math.cos(1.3 * i) ** 2);
    const want: Record<string, Float64Array> = {};
    try {
      for (const b of ["baseline", "relaxed"] as const) { await useSimd(b); want[b] = pw.pairwise(X, Y, 64, o) as Float64Array; }
      expect(want.baseline.some((v, i) => !Object.is(v, want.relaxed[i]))).toBe(true); // the builds differ here
      for (const [from, to] of [["baseline", "relaxed"], ["relaxed", "baseline"]] as const) {
        await useSimd(from);
        const calls = Array.from({ length: 4 }, () => every.pairwise(X, Y, 64, o)); // 8 parts, 2 workers: most queued
        await useSimd(to);
        for (const m of await Promise.all(calls)) same(m, want[from]);
      }
    } finally {
      await useSimd(before);
    }
  });

  it("discrete: a step after a useSimd switch runs on the workers in the call's build, not on the calling thread's", async () => {
    if (!hasRelaxedSimd()) return;
    const rand = rng(18), rows = 64, cols = 4096;
    // values as given (normalize: true: the sums of p and q, then the kernel: three steps), where the builds differ
    const p = every.f64(rows * cols), q = every.f64(rows * cols), o = { normalize: true };
    for (let i = 0; i < p.length; i++) { p[i] = rand() ** 3; q[i] = rand() ** 3; } // on shared memory: to the workers
    await switchMidCall(() => sync.klDivergenceRows(p, q, cols, o), () => every.klDivergenceRows(p, q, cols, o)); // its first step runs now, the next ones after the switch
  });

  it("options are read once per call; a pool call made from an options getter leaves the outer call's hook in place", async () => {
    const mutual = await import("../src/mutual.js"), drift = await import("../src/drift.js");
    const n = 1 << 19, p = every.f64(n).fill(1 / n), q = every.f64(n).fill(1 / n);
    p[0] *= 2; q[1] *= 3;
    const kl = sync.klDivergence(p, q, { normalize: true, base: 2 });
    // getters: once each (the synchronous call's count), whatever the rounds
    let reads = 0;
    same(await every.klDivergence(p, q, { base: 2, get normalize() { reads++; return true; } }), kl);
    expect(reads).toBe(1);
    const first = () => { let k = 0; return { normalize: true, get base() { return k++ === 0 ? 2 : undefined; } }; };
    same(await every.klDivergence(p, q, first()), sync.klDivergence(p, q, first()));
    // nested pool calls, each family's hook: the outer and the inner calls give the synchronous values
    const x = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i * 1.7) + i / 5000);
    const s = Float64Array.from({ length: 1000 }, (_, i) => i % 10);
    const X = new Float64Array(300 * 64).map((_, i) => 1 + (i % 7));
    const inner: Array<Promise<unknown>> = [];
    const nest = <T extends object>(o: T, key: string, value: unknown, call: () => Promise<unknown>) =>
      Object.defineProperty(o, key, { enumerable: true, get() { inner.push(call()); return value; } });
    same(await every.entropyKNN(x, nest({}, "k", 3, () => every.entropyKNN(x, { k: 3 }))), mutual.entropyKNN(x, { k: 3 }));
    expect((await every.histogram(s, [0, 5, 10], nest({}, "nan", "raise", () => every.histogram(s, [0, 1, 2])))).counts)
      .toEqual(drift.histogram(s, [0, 5, 10], { nan: "raise" }).counts);
    same(await every.pairwise(X, null, 64, nest({ metric: "hellinger" }, "normalize", true, () => every.pairwise(X, null, 64, { metric: "hellinger", normalize: true }))),
      pw.pairwise(X, null, 64, { metric: "hellinger", normalize: true }));
    same(await every.klDivergence(p, q, nest({ base: 2 }, "normalize", true, () => every.klDivergence(q, p, { normalize: true }))), kl);
    const [a, b, c, d] = await Promise.all(inner);
    same(a, mutual.entropyKNN(x, { k: 3 }));
    expect((b as { counts: unknown }).counts).toEqual(drift.histogram(s, [0, 1, 2]).counts);
    same(c, pw.pairwise(X, null, 64, { metric: "hellinger", normalize: true }));
    same(d, sync.klDivergence(q, p, { normalize: true }));
  });

  it("an inline pool (no workers) runs the synchronous functions", async () => {
    const p = makePool({ threads: 4 }, undefined) as Pool;
    expect(p.threads).toBe(0);
    const x = dist(rng(10), 4, 1000), y = dist(rng(11), 4, 1000);
    same(await p.klDivergenceRows(x, y, 1000), sync.klDivergenceRows(x, y, 1000));
    same(await p.pairwise(x, y, 1000, { metric: "hellinger" }), pw.pairwise(x, y, 1000, { metric: "hellinger" }));
    await expect(p.klDivergence(x, y.subarray(1))).rejects.toThrow(RangeError);
    await p.close();
    await expect(p.entropy(x)).rejects.toThrow("closed");
  });

  it("10^4 calls: no worker, heap or listener left behind", async () => {
    const p = createPool({ threads: 2, [TUNING]: { rows: 1 } } as never) as Pool;
    const x = p.f64(64).fill(1 / 8), y = p.f64(64).fill(1 / 8);
    const round = async (k: number) => { for (let i = 0; i < k; i += 50) await Promise.all(Array.from({ length: 50 }, () => p.klDivergenceRows(x, y, 8))); };
    const gc = (globalThis as { gc?: () => void }).gc!;
    await round(1000);
    gc(); gc();
    const before = process.memoryUsage().heapUsed;
    await round(10000);
    gc(); gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(4 * 2 ** 20);
    expect(workers(p)).toBe(2);
    await p.close();
  });
});

describe("the built entries", () => {
  it("a pool never closed lets the process end: after ready(), and after calls that started more workers than ran jobs", () => {
    const entry = new URL("../dist/parallel.js", import.meta.url).href;
    const script = `import { createPool } from ${JSON.stringify(entry)};
      await createPool({ threads: 2 }).ready();
      const pool = createPool({ threads: 4 }), s = Float64Array.from({ length: 100 }, (_, i) => i);
      await Promise.all(Array.from({ length: 4 }, () => pool.histogram(s, [0, 50, 100])));
      for (let i = 0; i < 20; i++) await pool.histogram(s, [0, 50, 100]);
      console.log("done");`;
    // before: the idle, loaded workers kept it alive (killed at the timeout)
    const file = join(mkdtempSync(join(tmpdir(), "kl-parallel-")), "exit.mjs");
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { timeout: 8000, encoding: "utf8" });
    expect([r.signal, r.status, r.stdout.trim(), r.stderr]).toEqual([null, 0, "done", ""]);
  });

  it("ready() rejects with the runtime's error when no worker can load", async () => {
    const p = makePool({ threads: 2 }, () => {
      let fail: (e: Error) => void = () => {};
      queueMicrotask(() => fail(new Error("cannot load the worker")));
      return { post() {}, listen(_m, f) { fail = f; }, terminate() {} };
    });
    await expect(p.ready()).rejects.toThrow("cannot load the worker");
    await p.close();
  });

  it("ESM and CommonJS, a call each", async () => {
    const file = (f: string) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url));
    const esm = await import(/* @vite-ignore */ file("parallel.js"));
    const cjs = createRequire(import.meta.url)(file("parallel.cjs"));
    const x = dist(rng(12), 1, 1 << 19, false, true), y = dist(rng(13), 1, 1 << 19, false, true);
    const want = sync.klDivergence(x, y);
    for (const m of [esm, cjs]) {
      const p = m.createPool({ threads: 2 });
      expect(await p.klDivergence(x, y)).toBe(want);
      await p.close();
    }
  });
});
