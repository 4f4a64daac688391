// kl-wasm/parallel, the other families (src/parallel/knn.ts, drift.ts, fit.ts): every function's result is the
// synchronous call's, bit for bit, and its errors the same, on random inputs small and large (below and above the
// split threshold, and everything split: TUNING knn 1), float64 / float32 / plain arrays, every option; the
// features with and without noise, continuous and discrete targets and features. The sources run here with the
// built worker (dist/parallel-worker.js: `npm test` builds first).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { rng, same, agree, useBuiltWorker } from "./helpers/parallel.js";

useBuiltWorker();

const { createPool } = await import("../src/parallel.js");
const { TUNING } = await import("../src/parallel/api.js");
const sync = await import("../src/mutual.js");

type Pool = ReturnType<typeof createPool> & { [k: string]: any };

/** n Gaussian-ish values (sums of uniforms), some rounded (ties), as float64. */
function sample(rand: () => number, n: number, round = 0): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = rand() + rand() + rand() - 1.5;
    x[i] = round > 0 && rand() < 0.2 ? Math.round(v * round) / round : v;
  }
  return x;
}
/** y depending on x's rows (cols columns) plus noise. */
function related(rand: () => number, x: Float64Array, cols: number, yCols = 1): Float64Array {
  const n = x.length / cols, y = new Float64Array(n * yCols);
  for (let i = 0; i < n; i++) for (let c = 0; c < yCols; c++) y[i * yCols + c] = x[i * cols + (c % cols)] * (c + 1) + 0.5 * (rand() - 0.5);
  return y;
}
const labels = (rand: () => number, n: number, k: number) => Int32Array.from({ length: n }, () => Math.floor(rand() * k));

let pool: Pool, every: Pool;
beforeAll(async () => {
  pool = createPool({ threads: 2 }) as Pool;                                      // the measured threshold
  every = createPool({ threads: 2, [TUNING]: { knn: 1, bins: 1, fit: 1 } } as never) as Pool; // every request split
  await Promise.all([pool.ready(), every.ready()]);
});
afterAll(async () => {
  await pool.close();
  await every.close();
});

const kinds = ["f64", "f32", "plain"] as const;
const as = (x: Float64Array, kind: (typeof kinds)[number]) => (kind === "f32" ? Float32Array.from(x) : kind === "plain" ? Array.from(x) : x);

describe("k-NN estimators: bit for bit", () => {
  it("mutualInformationKSG: columns, algorithms, k, options, sizes, input kinds", async () => {
    const rand = rng(1);
    for (const n of [20, 300, 5000]) {
      for (const [xc, yc] of [[1, 1], [2, 1], [2, 2], [3, 1]]) {
        const x = sample(rand, n * xc, 8), y = related(rand, x, xc, yc);
        for (const kind of kinds) {
          if (kind === "plain" && n > 300) continue;
          for (const o of [undefined, { algorithm: 2 }, { k: 5, base: 2 }, { scale: false, clip: false }, { k: 1 }]) {
            const opts = { ...o, xCols: xc, yCols: yc };
            for (const p of [pool, every]) {
              await agree(() => sync.mutualInformationKSG(as(x, kind), as(y, kind), opts), () => p.mutualInformationKSG(as(x, kind), as(y, kind), opts));
            }
          }
        }
      }
    }
  });

  it("conditionalMutualInformation, entropyKNN, klDivergenceKNN, mutualInformationMixed", async () => {
    const rand = rng(2);
    for (const n of [30, 700, 6000]) {
      const x = sample(rand, n * 2, 16), y = related(rand, x, 2), z = sample(rand, n);
      const x2 = sample(rand, (n + 17) * 2), lab = labels(rand, n, 4);
      for (const kind of kinds) {
        if (kind === "plain" && n > 700) continue;
        const X = as(x, kind), Y = as(y, kind), Z = as(z, kind), X2 = as(x2, kind);
        for (const p of [pool, every]) {
          for (const o of [undefined, { k: 4, base: 2 }, { scale: false, clip: false }]) {
            await agree(() => sync.conditionalMutualInformation(X, Y, Z, { ...o, xCols: 2 }), () => p.conditionalMutualInformation(X, Y, Z, { ...o, xCols: 2 }));
            await agree(() => sync.mutualInformationMixed(X, lab, { ...o, xCols: 2 }), () => p.mutualInformationMixed(X, lab, { ...o, xCols: 2 }));
          }
          for (const o of [{ cols: 2 }, { cols: 1, k: 2 }, { cols: 2, metric: "euclidean" as const, base: 2 }, { cols: 2, k: 7 }]) {
            await agree(() => sync.entropyKNN(X, o), () => p.entropyKNN(X, o));
            await agree(() => sync.klDivergenceKNN(X, X2, { cols: o.cols, k: o.k }), () => p.klDivergenceKNN(X, X2, { cols: o.cols, k: o.k }));
          }
        }
      }
    }
  });

  it("mutualInformationFeatures: continuous and discrete targets and features, noise, sizes", async () => {
    const rand = rng(3);
    for (const [n, cols] of [[40, 3], [500, 5], [5000, 6]] as const) {
      const X = new Float64Array(n * cols);
      for (let i = 0; i < X.length; i++) X[i] = (i % cols) % 3 === 2 ? Math.floor(rand() * 5) : rand() * 2 - 1 + (rand() < 0.1 ? 0 : rand());
      const y = Float64Array.from({ length: n }, (_, i) => X[i * cols] + X[i * cols + 1] * 0.5 + rand() * 0.3), lab = labels(rand, n, 3);
      const disc = Array.from({ length: cols }, (_, c) => c % 3 === 2);
      for (const kind of kinds) {
        if (kind === "plain" && n > 500) continue;
        const XX = as(X, kind);
        for (const p of [pool, every]) {
          for (const o of [{}, { noise: 7 }, { k: 5, base: 2 }, { discreteFeatures: disc }, { discreteFeatures: disc, noise: 1 }, { k: 70 },
            { discreteFeatures: [cols - 1, 0] }, { discreteFeatures: true }, { discreteFeatures: [] }]) {
            await agree(() => sync.mutualInformationFeatures(XX, y, { cols, ...o }), () => p.mutualInformationFeatures(XX, y, { cols, ...o }));
            await agree(() => sync.mutualInformationFeatures(XX, lab, { cols, discreteTarget: true, ...o }),
              () => p.mutualInformationFeatures(XX, lab, { cols, discreteTarget: true, ...o }));
          }
        }
      }
    }
  });
});

describe("mutualInformationFeatures' part (the workers' blocks, src/knn/api.ts)", () => {
  it("the values of the features in `part` (any order) are the whole call's, bit for bit, with both engines", async () => {
    const { makeKnnApi } = await import("../src/knn/api.js");
    const { wasmKnnEngine } = await import("../src/knn/wasm.js");
    const { wasmMutualEngine } = await import("../src/mutual/wasm.js");
    const { twinKnnEngine } = await import("../src/knn/twin.js");
    const { referenceMutualEngine } = await import("../src/mutual/twin.js");
    const rand = rng(11);
    for (const api of [makeKnnApi(wasmKnnEngine, wasmMutualEngine), makeKnnApi(twinKnnEngine, referenceMutualEngine)]) {
      for (const [n, cols] of [[60, 5], [3000, 7]] as const) {
        const X = new Float64Array(n * cols);
        for (let i = 0; i < X.length; i++) X[i] = (i % cols) % 3 === 1 ? Math.floor(rand() * 4) : rand() * 2 - 1;
        const y = Float64Array.from({ length: n }, (_, i) => X[i * cols] + rand() * 0.5), lab = labels(rand, n, 3);
        for (const o of [{}, { discreteFeatures: [1, 4] }, { k: 4, base: 2 }]) {
          for (const [t, o2] of [[y, { cols, ...o }], [lab, { cols, discreteTarget: true, ...o }]] as const) {
            for (const XX of [X, Float32Array.from(X)]) {
              const whole = api.mutualInformationFeatures(XX, t, o2);
              for (const part of [[0], [0, 1, 2], [2, 3, 4], [cols - 1], [1, 3], [cols - 1, 0, 2], [4, 3]]) {
                same(api.mutualInformationFeatures(XX, t, o2, part), Float64Array.from(part, (c) => whole[c]));
              }
            }
          }
        }
      }
    }
  });

  it("uneven blocks: 3 and 5 workers over 4, 7 and 20 features", async () => {
    const rand = rng(12);
    for (const threads of [3, 5]) {
      const p = createPool({ threads }) as Pool;
      for (const cols of [4, 7, 20]) {
        const n = 400, X = Float64Array.from({ length: n * cols }, () => rand() * 2 - 1);
        const y = Float64Array.from({ length: n }, (_, i) => X[i * cols] - X[i * cols + 1] + rand() * 0.2);
        await agree(() => sync.mutualInformationFeatures(X, y, { cols }), () => p.mutualInformationFeatures(X, y, { cols }));
        await agree(() => sync.mutualInformationFeatures(X, y, { cols, discreteFeatures: [cols - 1] }),
          () => p.mutualInformationFeatures(X, y, { cols, discreteFeatures: [cols - 1] }));
      }
      await p.close();
    }
  });
});

describe("k-NN estimators: errors", () => {
  it("the synchronous call's errors, class and message", async () => {
    const rand = rng(4), n = 5000, x = sample(rand, n * 2), y = related(rand, x, 2);
    const nan = x.slice(); nan[2 * 3001 + 1] = NaN;
    const dup = x.slice(); for (let c = 0; c < 4; c++) dup.set(dup.subarray(2 * 4000, 2 * 4001), 2 * (4001 + c));
    const plain: unknown[] = Array.from(x.subarray(0, 200)); plain[7] = "a";
    const cases: Array<[string, unknown[]]> = [
      ["mutualInformationKSG", [nan, y, { xCols: 2 }]], ["mutualInformationKSG", [y, nan.subarray(0, n)]],
      ["mutualInformationKSG", [x, y, { k: 0 }]], ["mutualInformationKSG", [x, y, { xCols: 3 }]], ["mutualInformationKSG", [x, y, { bogus: 1 }]],
      ["mutualInformationKSG", [plain, plain]], ["mutualInformationKSG", [plain, plain, { xCols: 2, yCols: 2 }]],
      ["entropyKNN", [dup, { cols: 2 }]], ["entropyKNN", [nan, { cols: 2 }]], ["entropyKNN", [x, { metric: "l1" }]],
      ["klDivergenceKNN", [dup, x, { cols: 2 }]], ["klDivergenceKNN", [x, dup, { cols: 2, k: 1 }]],
      ["conditionalMutualInformation", [x, y, nan, { xCols: 2, zCols: 2 }]],
      ["mutualInformationFeatures", [nan, y, { cols: 2 }]], ["mutualInformationFeatures", [x, y, { cols: 2, noise: -1 }]],
      ["mutualInformationFeatures", [plain, y.subarray(0, 100), { cols: 2 }]], ["mutualInformationFeatures", [x, x, { cols: 2, discreteTarget: true }]],
      ["mutualInformationFeatures", [x, y, { cols: 2, discreteFeatures: [5] }]], ["mutualInformationFeatures", [x, y, { cols: 2, discreteFeatures: [true] }]],
      ["mutualInformationFeatures", [x, y, { cols: 2, discreteFeatures: [0, "1"] }]], ["mutualInformationFeatures", [x, y, { cols: 2, k: 0 }]],
      ["mutualInformationMixed", [x, Float64Array.from(y, (v) => v + 0.5), { xCols: 2 }]],
    ];
    for (const [fn, args] of cases) {
      for (const p of [pool, every]) await agree(() => (sync as any)[fn](...args), () => p[fn](...args));
    }
  });
});

describe("k-NN estimators: the pool's state", () => {
  it("a closed pool rejects; an inline pool without the engines rejects, saying why", async () => {
    const { makePool } = await import("../src/parallel/api.js");
    const p = createPool({ threads: 1 }) as Pool, x = sample(rng(5), 100);
    same(await p.entropyKNN(x), sync.entropyKNN(x));
    await p.close();
    for (const call of [() => p.entropyKNN(x), () => p.mutualInformationKSG(x, x), () => p.mutualInformationFeatures(x, x)]) {
      await expect(call()).rejects.toThrow("the pool is closed");
    }
    const inline = makePool({}, undefined) as Pool;
    expect(inline.threads).toBe(0);
    await expect(inline.entropyKNN(x)).rejects.toThrow("need workers");
    await expect(inline.entropyKNN(x, { k: 0 })).rejects.toThrow("entropyKNN: k must be an integer >= 1, got 0");
    await expect(inline.histogram(x, [0, 1])).rejects.toThrow("histogram needs workers");
    await expect(inline.gaussianFit(x, x, { mus: [0], sigmas: [1] })).rejects.toThrow("gaussianFit needs workers");
    await expect(p.histogram(x, [0, 1])).rejects.toThrow("the pool is closed");
    await expect(p.gaussianFit(x, x, { mus: [0], sigmas: [1] })).rejects.toThrow("the pool is closed");
  });
});

describe("drift histogram: bit for bit", () => {
  const drift = import("../src/drift.js");
  const binned = (b: any) => [Array.from(b.counts), b.under, b.over, b.nan];
  async function agreeBinned(f: () => any, g: () => Promise<any>) {
    await agree(() => binned(f()), async () => binned(await g()));
  }

  it("sizes, edges, input kinds, options, NaN and errors", async () => {
    const { histogram } = await drift, rand = rng(6);
    const edgeSets = [[0, 1], [-3, -1, 0, 0.5, 2, 3], Array.from({ length: 101 }, (_, i) => -2 + i * 0.04), [-1, -1, 0, 1, 1]];
    for (const n of [50, 5000, 150000, 300001]) {
      const x = Float64Array.from({ length: n }, () => (rand() + rand() + rand() - 1.5) * 2.2);
      x[n >> 1] = Infinity; x[n - 1] = -Infinity; x[3] = 1; x[4] = -1;
      const withNaN = x.slice(); withNaN[Math.floor(n * 0.75)] = NaN; withNaN[n - 2] = NaN;
      const sh = new Float64Array(new SharedArrayBuffer(8 * n)); sh.set(x);
      const inputs: unknown[] = [x, Float32Array.from(x), sh, withNaN, Int32Array.from(x.map((v) => (Number.isFinite(v) ? Math.round(v) : 0)))];
      if (n <= 5000) { const plain: unknown[] = Array.from(withNaN); plain[n - 3] = "s"; inputs.push(Array.from(x), plain); }
      for (const e of edgeSets) {
        for (const s of inputs) {
          for (const o of [undefined, { nan: "ignore" as const }, { out: new Float64Array(e.length - 1) }]) {
            for (const p of [pool, every]) await agreeBinned(() => histogram(s as any, e, o), () => p.histogram(s, e, o));
          }
        }
      }
    }
    // bad edges and options: the synchronous errors
    const x = Float64Array.from({ length: 200000 }, () => rand());
    for (const [e, o] of [[[1, 0], undefined], [[0], undefined], [[0, NaN, 1], undefined], [[0, 1], { nan: "skip" }], [[0, 1], { out: new Float64Array(3) }], [[0, 1], { bogus: 1 }]] as const) {
      await agree(() => histogram(x, e as any, o as any), () => pool.histogram(x, e, o));
    }
  });
});

describe("fit gaussianFit: bit for bit", () => {
  const fit = import("../src/fit.js");
  /** Every number (typed arrays, arrays, objects) the same bits. */
  function deepSame(got: any, want: any, path = "fit"): void {
    if (typeof want === "number") { expect(Object.is(got, want) ? want : got, path).toBe(want); return; }
    if (want === null || typeof want !== "object") { expect(got, path).toBe(want); return; }
    if (ArrayBuffer.isView(want)) { same(got, want); return; }
    expect(Object.keys(got ?? {}).sort(), path).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) deepSame(got[k], want[k], `${path}.${k}`);
  }

  it("grids, directions, refine, input kinds, errors", async () => {
    const { gaussianFit, linspace, mixturePdf } = await fit;
    for (const n of [64, 801]) {
      const x = linspace(-6, 6, n), p = mixturePdf(x, { weights: [0.3, 0.7], mus: [-2, 1.5], sigmas: [0.6, 1.1] });
      const grids = [{ mus: linspace(-4, 4, 9), sigmas: linspace(0.2, 3, 7) }, { mus: linspace(-4, 4, 61), sigmas: linspace(0.2, 3, 41) }];
      for (const g of grids) {
        for (const o of [{}, { direction: "reverse" as const }, { refine: false }, { floor: 1e-12, modeTolerance: 1e-6 }]) {
          const opts = { ...g, ...o };
          for (const pl of [pool, every]) {
            const want = gaussianFit(p, x, opts), got = await pl.gaussianFit(p, x, opts);
            deepSame(got, want);
          }
        }
      }
      // plain arrays and float32
      const g = { mus: Array.from(linspace(-3, 3, 30)), sigmas: Array.from(linspace(0.3, 2, 20)) };
      deepSame(await every.gaussianFit(Array.from(p), Array.from(x), g), gaussianFit(Array.from(p), Array.from(x), g));
      deepSame(await every.gaussianFit(Float32Array.from(p), x, g), gaussianFit(Float32Array.from(p), x, g));
    }
    const x = linspace(-3, 3, 50), p = mixturePdf(x, { weights: [1], mus: [0], sigmas: [1] }), bad = p.slice(); bad[7] = -1;
    const g = { mus: [0, 1], sigmas: [1, 2] };
    for (const args of [[bad, x, g], [p, x, { mus: [0], sigmas: [0] }], [p, x, { ...g, direction: "up" }], [p, x, undefined], [p, x.subarray(1), g], [p, x, { ...g, bogus: 1 }]]) {
      await agree(() => (gaussianFit as any)(...args), () => every.gaussianFit(...(args as [any, any, any])));
    }
  });
});
