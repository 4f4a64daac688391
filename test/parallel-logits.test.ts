// kl-wasm/parallel, the logits family (src/parallel/logits.ts): every function's result is kl-wasm/logits' synchronous
// call's, bit for bit (losses, per-row values, gradients, softmax outputs), and its errors the same, over shapes (one
// row, short rows, rows longer than the engine's staging, 65 536 values), float64 / float32 / plain arrays, shared and
// ordinary buffers, every reduction, temperature (extreme ones too), direction, scaleT2, labelSmoothing, ignoreIndex,
// weights, gradients of either type, -Infinity masks and fully masked rows; bad values in any part; a crashed worker;
// both SIMD builds. The sources run here with the built worker (dist/parallel-worker.js: `npm test` builds first).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { rng, same, agree, useBuiltWorker, hasRelaxedSimd, switchMidCall } from "./helpers/parallel.js";

useBuiltWorker();

const { createPool } = await import("../src/parallel.js");
const { TUNING } = await import("../src/parallel/api.js");
const { CRASH_TASK } = await import("../src/parallel/pool.js");
const sync = await import("../src/logits.js");

type Pool = ReturnType<typeof createPool> & { [k: string]: any };
type Arr = Float64Array | Float32Array;

let pool: Pool, every: Pool, copies: Pool, three: Pool;
beforeAll(async () => {
  pool = createPool({ threads: 2 }) as Pool;                                                // the measured threshold
  every = createPool({ threads: 2, [TUNING]: { logits: 1 } } as never) as Pool;              // shared inputs: always split
  copies = createPool({ threads: 2, [TUNING]: { logits: 1, logitsCopies: true } } as never) as Pool; // and others copied
  three = createPool({ threads: 3, [TUNING]: { logits: 1, logitsCopies: true } } as never) as Pool;
  await Promise.all([pool.ready(), every.ready(), copies.ready(), three.ready()]);
});
afterAll(async () => {
  for (const p of [pool, every, copies, three]) await p.close();
});
const pools = () => [pool, every, copies, three];

/** rows × cols logits: spread over [-s, s], a share of -Infinity (masked) entries, optionally a fully masked row. */
function logits(rand: () => number, rows: number, cols: number, f32: boolean, onShared: boolean, masked = 0.05, fullRow = -1): Arr {
  const n = rows * cols, buf = onShared ? new SharedArrayBuffer(n * (f32 ? 4 : 8)) : new ArrayBuffer(n * (f32 ? 4 : 8));
  const x = f32 ? new Float32Array(buf) : new Float64Array(buf), s = 1 + 20 * rand();
  for (let i = 0; i < n; i++) x[i] = rand() < masked ? -Infinity : (2 * rand() - 1) * s;
  if (fullRow >= 0 && fullRow < rows) x.fill(-Infinity, fullRow * cols, (fullRow + 1) * cols);
  return x;
}
const kinds = ["f64", "f32", "plain", "f64s", "f32s"] as const;
type Kind = (typeof kinds)[number];
function input(rand: () => number, rows: number, cols: number, kind: Kind, fullRow = -1): Arr | number[] {
  const x = logits(rand, rows, cols, kind.startsWith("f32"), kind.endsWith("s"), 0.05, fullRow);
  return kind === "plain" ? Array.from(x) : x;
}
const gradOf = (n: number, f32: boolean, onShared: boolean): Arr => {
  const buf = onShared ? new SharedArrayBuffer(n * (f32 ? 4 : 8)) : new ArrayBuffer(n * (f32 ? 4 : 8));
  return f32 ? new Float32Array(buf) : new Float64Array(buf);
};

/** The synchronous call with its own gradient array, then each pool's with another, compared (value and gradient). */
async function withGrad(n: number, f32: boolean, onShared: boolean, f: (g: Arr) => unknown, g: (p: Pool, g: Arr) => Promise<unknown>): Promise<void> {
  const want = gradOf(n, f32, false).fill(NaN);
  let value: unknown, err: Error | undefined;
  try { value = f(want); } catch (e) { err = e as Error; }
  for (const p of pools()) {
    const got = gradOf(n, f32, onShared).fill(NaN);
    if (err !== undefined) {
      const e = await g(p, got).then(() => undefined, (x) => x as Error);
      expect(e, `expected ${err.message}`).toBeInstanceOf(err.constructor);
      expect(e!.message).toBe(err.message);
      continue;
    }
    same(await g(p, got), value);
    same(got, want);
  }
}

const shapes: Array<[number, number]> = [[1, 50], [2, 8], [3, 17], [7, 100], [33, 3], [64, 1000], [3, 70000], [2, 32768]];
const kindsFor = (rows: number, cols: number) => (rows * cols > 5e4 ? (["f32s", "f64"] as const) : kinds);
/** f over every shape and input kind (two kinds for the large shapes), with a generator seeded by `seed`. */
async function forShapes(seed: number, f: (rand: () => number, rows: number, cols: number, kind: Kind) => Promise<void>): Promise<void> {
  const rand = rng(seed);
  for (const [rows, cols] of shapes) for (const kind of kindsFor(rows, cols)) await f(rand, rows, cols, kind);
}

describe("where calls run", () => {
  it("shared inputs from the threshold on go to every worker in parts; ordinary buffers, one row and small calls stay here", async () => {
    const count = (p: Pool) => {
      const seen: number[] = [], run = p.__pool.run.bind(p.__pool);
      p.__pool.run = (jobs: Array<{ task: string }>) => { seen.push(jobs.filter((j) => j.task === "logits").length); return run(jobs); };
      return seen;
    };
    const rand = rng(11), big = [256, 1024] as const, small = [4, 1000] as const;
    const ts = logits(rand, big[0] * big[1], 1, true, true), ss = logits(rand, big[0] * big[1], 1, true, true);
    const seenPool = count(pool), seenCopies = count(copies);
    await pool.klDivergenceLogits(ts, ss, big[1]);                         // 2^18 values on shared memory: split
    await pool.klDivergenceLogits(ts.slice(), ss.slice(), big[1]);         // ordinary buffers: here
    await pool.klDivergenceLogits(ts.subarray(0, 4000), ss.subarray(0, 4000), small[1]); // below the threshold: here
    await pool.logSumExpRows(ts, ts.length);                               // one row: here
    await copies.crossEntropyLogits(ts.slice(), new Int32Array(big[0]), big[1]); // copied (TUNING logitsCopies)
    expect(seenPool).toEqual([2]);
    expect(seenCopies).toEqual([2]);
  });
});

describe("klDivergenceLogits: bit for bit", () => {
  it("shapes, input kinds, reductions, temperatures, directions, scaleT2", async () => {
    await forShapes(1, async (rand, rows, cols, kind) => {
      const t = input(rand, rows, cols, kind, rows > 2 ? 1 : -1), s = input(rand, rows, cols, kind);
      for (const o of [undefined, { temperature: 2 }, { reduction: "none" }, { reduction: "sum", direction: "reverse" },
        { reduction: "mean", temperature: 0.5, scaleT2: true }, { temperature: 1e-7 }, { direction: "reverse", reduction: "none", temperature: 3 }] as const) {
        for (const p of pools()) await agree(() => sync.klDivergenceLogits(t, s, cols, o as never), () => p.klDivergenceLogits(t, s, cols, o as never));
      }
    });
  });

  it("gradients (float32 and float64, on shared memory or not), every reduction and direction", async () => {
    await forShapes(2, async (rand, rows, cols, kind) => {
      const t = input(rand, rows, cols, kind, rows > 2 ? 2 : -1), s = input(rand, rows, cols, kind, rows > 4 ? 3 : -1);
      for (const o of [{ temperature: 2 }, { reduction: "none", direction: "reverse" }, { reduction: "sum", scaleT2: true, temperature: 4 },
        { reduction: "mean", direction: "reverse", temperature: 0.7 }] as const) {
        for (const [f32, sh] of [[true, true], [false, false], [true, false], [false, true]]) {
          await withGrad(rows * cols, f32, sh, (g) => sync.klDivergenceLogits(t, s, cols, { ...o, grad: g } as never),
            (p, g) => p.klDivergenceLogits(t, s, cols, { ...o, grad: g } as never));
        }
      }
    });
  });
});

describe("crossEntropyLogits and perplexity: bit for bit", () => {
  it("reductions, labelSmoothing, ignoreIndex, weights, gradients, labels as Int32Array and number[]", async () => {
    await forShapes(3, async (rand, rows, cols, kind) => {
      const x = input(rand, rows, cols, kind, rows > 3 ? 2 : -1);
      const y = Int32Array.from({ length: rows }, (_, r) => (r % 5 === 4 ? -100 : r % 7 === 6 ? 7 : Math.floor(rand() * cols)));
      y.forEach((v, r) => { if (v === 7 && cols <= 7) y[r] = 0; });
      const w = Float64Array.from({ length: cols }, () => (rand() < 0.1 ? 0 : rand() * 2));
      for (const o of [undefined, { reduction: "sum" }, { reduction: "none" }, { labelSmoothing: 0.1 }, { weights: w, reduction: "mean" },
        { weights: Array.from(w), labelSmoothing: 0.3, reduction: "none" }, { ignoreIndex: 7 }, { ignoreIndex: 7, labelSmoothing: 1 }] as const) {
        for (const lab of [y, Array.from(y)]) {
          for (const p of pools()) await agree(() => sync.crossEntropyLogits(x, lab, cols, o as never), () => p.crossEntropyLogits(x, lab, cols, o as never));
        }
        for (const [f32, sh] of [[true, true], [false, false], [false, true]]) {
          await withGrad(rows * cols, f32, sh, (g) => sync.crossEntropyLogits(x, y, cols, { ...o, grad: g } as never),
            (p, g) => p.crossEntropyLogits(x, y, cols, { ...o, grad: g } as never));
        }
      }
      for (const p of pools()) {
        await agree(() => sync.perplexity(x, y, cols), () => p.perplexity(x, y, cols));
        await agree(() => sync.perplexity(x, y, cols, { ignoreIndex: 7 }), () => p.perplexity(x, y, cols, { ignoreIndex: 7 }));
      }
    });
  });

  it("every row ignored, all labels masked", async () => {
    const rand = rng(4), rows = 40, cols = 300;
    const x = logits(rand, rows, cols, true, true, 0.3);
    const ignored = new Int32Array(rows).fill(-100), masked = Int32Array.from({ length: rows }, (_, r) => x.findIndex((v, j) => j >= r * cols && v === -Infinity) - r * cols);
    for (const lab of [ignored, masked]) {
      await withGrad(rows * cols, true, true, (g) => sync.crossEntropyLogits(x, lab, cols, { grad: g }), (p, g) => p.crossEntropyLogits(x, lab, cols, { grad: g }));
    }
  });
});

describe("logSoftmaxRows, softmaxRows, logSumExpRows, entropyLogits: bit for bit", () => {
  it("outputs new, given (either type, shared or not) and in place over the logits", async () => {
    await forShapes(5, async (rand, rows, cols, kind) => {
      const x = input(rand, rows, cols, kind, rows > 2 ? 0 : -1);
      for (const o of [undefined, { temperature: 3 }, { temperature: 1e-8 }] as const) {
        for (const p of pools()) {
          for (const fn of ["logSoftmaxRows", "softmaxRows", "logSumExpRows", "entropyLogits"] as const) {
            await agree(() => sync[fn](x as never, cols, o), () => p[fn](x, cols, o));
          }
        }
        for (const [f32, sh] of [[true, true], [false, false]]) {
          await withGrad(rows * cols, f32, sh, (g) => sync.softmaxRows(x as never, cols, { ...o, out: g }), (p, g) => p.softmaxRows(x, cols, { ...o, out: g }));
        }
      }
      if (kind === "f32s" || kind === "f64s") {
        // in place: out is the logits array itself
        const want = (x as Arr).slice();
        sync.logSoftmaxRows(want, cols, { out: want });
        for (const p of pools()) {
          const mine = logits(() => 0, rows, cols, kind === "f32s", true, 0);
          mine.set(x as Arr);
          same(await p.logSoftmaxRows(mine, cols, { out: mine }), want);
        }
      }
    });
  });
});

describe("errors", () => {
  it("bad values in any part (NaN, +Infinity, overflow at the temperature), in either input: the synchronous error", async () => {
    const rand = rng(6), rows = 16, cols = 5000;
    for (const f32 of [false, true]) {
      for (const at of [0, 3 * cols + 7, 9 * cols, rows * cols - 1]) {
        for (const v of [NaN, Infinity, 1e300]) {
          if (f32 && v === 1e300) continue;
          const t = logits(rand, rows, cols, f32, true), s = logits(rand, rows, cols, f32, true);
          const which = rand() < 0.5 ? t : s;
          which[at] = v;
          if (rand() < 0.5) s[Math.min(rows * cols - 1, at + cols * 5)] = NaN; // a second bad value, in a later part
          const o = { temperature: v === 1e300 ? 1e-10 : 2 };
          for (const p of pools()) {
            await agree(() => sync.klDivergenceLogits(t, s, cols, o), () => p.klDivergenceLogits(t, s, cols, o));
            await agree(() => sync.logSumExpRows(which, cols, o), () => p.logSumExpRows(which, cols, o));
          }
          const y = Int32Array.from({ length: rows }, () => Math.floor(rand() * cols));
          if (v !== 1e300) {
            // a gradient on ordinary memory: written as the synchronous call writes it (the rows before the error's)
            await withGrad(rows * cols, f32, false, (g) => sync.crossEntropyLogits(which, y, cols, { grad: g }),
              (p, g) => p.crossEntropyLogits(which, y, cols, { grad: g }));
          }
        }
      }
    }
  });

  it("an options getter that throws rejects the promise (no synchronous throw); a plain weights array is read once", async () => {
    const rand = rng(8), rows = 64, cols = 4096, x = logits(rand, rows, cols, true, true, 0), y = new Int32Array(rows);
    const thrower = { get temperature(): number { throw new RangeError("from a getter"); } };
    for (const p of pools()) {
      for (const call of [() => p.crossEntropyLogits(x, y, cols, thrower), () => p.klDivergenceLogits(x, x, cols, thrower),
        () => p.entropy(new Float64Array([0.5, 0.5]), thrower), () => p.pairwise(new Float64Array([0.5, 0.5]), null, 2, thrower)]) {
        let promise: Promise<unknown> | undefined;
        expect(() => { promise = call(); }).not.toThrow();
        await expect(promise).rejects.toThrow("from a getter");
      }
      // weights: a plain array whose getters count reads (the synchronous call reads each once)
      let reads = 0;
      const weights = Array.from({ length: cols }, (_, i) => i);
      const counted = weights.map((_, i) => i).reduce((a, i) => Object.defineProperty(a, i, { get: () => { reads++; return 1 + (i % 3); }, enumerable: true }), [] as number[]);
      counted.length = cols;
      const want = sync.crossEntropyLogits(x, y, cols, { weights: Array.from({ length: cols }, (_, i) => 1 + (i % 3)) });
      reads = 0;
      same(await p.crossEntropyLogits(x, y, cols, { weights: counted }), want);
      expect(reads).toBe(cols);
    }
  });

  it("bad arguments and options: the synchronous error", async () => {
    const rand = rng(7), rows = 8, cols = 10000, x = logits(rand, rows, cols, true, true), y = new Int32Array(rows);
    const cases: Array<[string, unknown[]]> = [
      ["klDivergenceLogits", [x, x.subarray(1), cols]],
      ["klDivergenceLogits", [x, x, 7]],
      ["klDivergenceLogits", [x, x, cols, { reduction: "avg" }]],
      ["klDivergenceLogits", [x, x, cols, { direction: "up" }]],
      ["klDivergenceLogits", [x, x, cols, { temperature: 0 }]],
      ["klDivergenceLogits", [x, x, cols, { grad: new Float32Array(3) }]],
      ["klDivergenceLogits", [x, x, cols, { scaleT2: 1 }]],
      ["klDivergenceLogits", [x, "x", cols]],
      ["klDivergenceLogits", [x, x, cols, { bogus: 1 }]],
      ["crossEntropyLogits", [x, new Float64Array(rows), cols]],
      ["crossEntropyLogits", [x, [0, 1, 2, 3, 4, 5, 6, cols], cols]],
      ["crossEntropyLogits", [x, y.subarray(1), cols]],
      ["crossEntropyLogits", [x, y, cols, { reduction: "batchmean" }]],
      ["crossEntropyLogits", [x, y, cols, { labelSmoothing: 2 }]],
      ["crossEntropyLogits", [x, y, cols, { weights: [1, 2] }]],
      ["crossEntropyLogits", [x, y, cols, { weights: new Float64Array(cols).fill(-1) }]],
      ["crossEntropyLogits", [x, y, cols, { ignoreIndex: 0.5 }]],
      ["perplexity", [x, y, cols, { labelSmoothing: 0.1 }]],
      ["softmaxRows", [x, cols, { out: new Float64Array(5) }]],
      ["logSoftmaxRows", [[1, 2, "3", 4], 2]],
      ["logSumExpRows", [null, 2]],
      ["entropyLogits", [x, cols, { temperature: -1 }]],
    ];
    for (const [fn, a] of cases) {
      for (const p of pools()) await agree(() => (sync as any)[fn](...a), () => p[fn](...a));
    }
  });

  it("a crashed worker rejects its job; the next logits call runs on a new worker, bit for bit", async () => {
    const p = createPool({ threads: 2, [TUNING]: { logits: 1 } } as never) as Pool;
    const rand = rng(8), rows = 64, cols = 4000, t = logits(rand, rows, cols, true, true), s = logits(rand, rows, cols, true, true);
    const want = sync.klDivergenceLogits(t, s, cols, { temperature: 2 });
    same(await p.klDivergenceLogits(t, s, cols, { temperature: 2 }), want);
    await expect(p.__pool.one({ task: CRASH_TASK, payload: "exit" })).rejects.toThrow(/exited/);
    await expect(p.__pool.one({ task: CRASH_TASK, payload: "throw" })).rejects.toThrow("crash requested by a test");
    same(await p.klDivergenceLogits(t, s, cols, { temperature: 2 }), want);
    await p.close();
    await expect(p.klDivergenceLogits(t, s, cols)).rejects.toThrow("the pool is closed");
  });
});

describe("builds", () => {
  it("both SIMD builds: the pool's results are the synchronous call's in the build of the call", async () => {
    const { simdBuild, useSimd } = await import("../src/core/wasm.js");
    const before = simdBuild(), rand = rng(9), rows = 32, cols = 8000;
    const t = logits(rand, rows, cols, true, true), s = logits(rand, rows, cols, true, true), y = Int32Array.from({ length: rows }, (_, r) => r * 7);
    try {
      for (const b of ["baseline", "relaxed"] as const) {
        await useSimd(b);
        expect(simdBuild()).toBe(b);
        await withGrad(rows * cols, true, true, (g) => sync.klDivergenceLogits(t, s, cols, { temperature: 2, grad: g }),
          (p, g) => p.klDivergenceLogits(t, s, cols, { temperature: 2, grad: g }));
        await withGrad(rows * cols, false, false, (g) => sync.crossEntropyLogits(t, y, cols, { labelSmoothing: 0.1, grad: g }),
          (p, g) => p.crossEntropyLogits(t, y, cols, { labelSmoothing: 0.1, grad: g }));
      }
    } finally {
      await useSimd(before);
    }
  });

  it("a call runs in the build of its making: a useSimd switch right after it does not reach its parts", async () => {
    if (!hasRelaxedSimd()) return;
    const rand = rng(11), rows = 32, cols = 8000, o = { temperature: 2, reduction: "none" } as const;
    const t = logits(rand, rows, cols, true, true, 0), s = logits(rand, rows, cols, true, true, 0); // float32, where the builds differ
    await switchMidCall(() => sync.klDivergenceLogits(t, s, cols, o), () => every.klDivergenceLogits(t, s, cols, o)); // its parts are posted after the logits code loads
  });

  it("an inline pool (no workers in the runtime) runs the synchronous function", async () => {
    const { makePool } = await import("../src/parallel/api.js");
    const inline = makePool({ threads: 1 }, undefined) as Pool;
    expect(inline.threads).toBe(0);
    const rand = rng(10), x = logits(rand, 4, 100, false, false), y = new Int32Array([1, 2, 3, 4]);
    await agree(() => sync.crossEntropyLogits(x, y, 100, { labelSmoothing: 0.2 }), () => inline.crossEntropyLogits(x, y, 100, { labelSmoothing: 0.2 }));
    await inline.close();
  });
});
