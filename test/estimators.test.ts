// Entropy and MI from counts by the bias-corrected estimators, and the MI permutation test:
// both builds (kl-wasm + kl-wasm/mutual, and kl-wasm/reference) against
// test/fixtures/estimators.json (scripts/fixtures/estimators.py: each estimator's formula
// in mpmath; the permutation test's algorithm run in Python with sklearn's MI), the same
// bits in both builds, the same errors, hostile inputs. Bounds as in docs/estimators.md:
//   - every estimator but "plugin": within 1e-14 |H| (measured 2.1e-16; Grassberger 1.1e-15);
//   - "plugin" is entropy(p, { normalize: true }): discrete.md's 1e-14 (H + 1);
//   - MI by H(X) + H(Y) − H(X,Y): within 1e-14 (H(X) + H(Y) + H(X,Y)), absolute;
//   - the permutation test: the fixture's p-value exactly, its MI within 1e-15 + 1e-14 MI.
import { describe, it, expect } from "vitest";
import * as W from "../src/index.js";
import * as M from "../src/mutual.js";
import * as R from "../src/reference.js";
import { polluted } from "./helpers/pollution.js";
import { rng } from "./helpers/random.js";
import fx from "./fixtures/estimators.json";

type Opt = Record<string, unknown>;
const ESTIMATORS = ["plugin", "millerMadow", "chaoShen", "shrinkage", "grassberger"] as const;

/** The options a fixture key names: an estimator, or "dirichlet:<prior>". */
function optionsOf(key: string): Opt {
  if (!key.startsWith("dirichlet:")) return { estimator: key };
  const a = key.slice(10);
  return { dirichlet: Number.isNaN(Number(a)) ? a : Number(a) };
}

/** The error a call throws (constructor and message), or "ok". */
function thrown(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

describe("entropy with an estimator: against the formulas (mpmath)", () => {
  const inputs = (c: number[]) => [c, Float64Array.from(c), ...(c.every((v) => v < 2 ** 24) ? [Float32Array.from(c)] : []),
    ...(c.every((v) => v < 2 ** 31) ? [Int32Array.from(c)] : [])];
  it("every count vector, estimator and input type, both builds", () => {
    let worst = 0, n = 0;
    for (const e of fx.entropy) {
      for (const [key, ex] of Object.entries(e.expected)) {
        const o = optionsOf(key);
        for (const x of inputs(e.counts)) {
          const w = W.entropy(x as number[], o), r = R.entropy(x as number[], o);
          if (key === "plugin") {
            expect(Math.abs(w - ex), `${e.name} ${key}`).toBeLessThanOrEqual(1e-14 * (Math.abs(ex) + 1));
            expect(Math.abs(r - ex), `${e.name} ${key}`).toBeLessThanOrEqual(1e-14 * (Math.abs(ex) + 1));
            expect(w).toBe(W.entropy(x as number[], { normalize: true }));
          } else {
            expect(Object.is(w, r), `${e.name} ${key}: ${w} ${r}`).toBe(true);
            expect(Math.abs(r - ex), `${e.name} ${key}: ${r} vs ${ex}`).toBeLessThanOrEqual(1e-14 * Math.abs(ex));
            if (ex !== 0) worst = Math.max(worst, Math.abs(r - ex) / Math.abs(ex));
          }
          n++;
        }
      }
      // SciPy's float64 digamma on the direct formula: within its own cancellation
      expect(Math.abs(R.entropy(e.counts, { estimator: "grassberger" }) - e.scipyGrassberger)).toBeLessThanOrEqual(1e-13);
    }
    console.log(`estimators: ${n} values; worst relative error ${worst.toExponential(2)}`);
  });

  it("random counts (rows of 1…300 bins, sparse to large): both builds the same bits; Miller–Madow = plug-in + (m − 1)/(2N)", () => {
    const r = rng(77);
    const OPTS: Opt[] = [...ESTIMATORS.slice(1).map((e) => ({ estimator: e })), ...["jeffreys", "laplace", "perks", "minimax", 0.3].map((a) => ({ dirichlet: a }))];
    for (let t = 0; t < 60; t++) {
      const cols = 1 + Math.floor(r() * 300), rows = 1 + Math.floor(r() * 4), scale = [1, 3, 100, 1e6][t % 4];
      const x = Float64Array.from({ length: rows * cols }, () => (r() < 0.3 ? 0 : Math.floor(r() * r() * scale)));
      for (let i = 0; i < rows; i++) x[i * cols] += 1; // no row sums to 0
      for (const o of OPTS) {
        const w = W.entropyRows(x, cols, o), rr = R.entropyRows(Array.from(x), cols, o);
        expect(Array.from(w)).toEqual(Array.from(rr));
        for (const v of w) expect(Number.isFinite(v)).toBe(true);
      }
      for (let i = 0; i < rows; i++) {
        const row = x.subarray(i * cols, (i + 1) * cols), n = row.reduce((a, v) => a + v, 0), m = row.filter((v) => v > 0).length;
        const mm = W.entropy(row, { estimator: "millerMadow" }), pl = W.entropy(row, { estimator: "plugin" });
        expect(Math.abs(mm - pl - (m - 1) / (2 * n))).toBeLessThanOrEqual(1e-14 * (pl + 1));
      }
    }
  });

  it("Dirichlet: { dirichlet: a } is { estimator: 'dirichlet', a }; named priors are their numbers", () => {
    const c = [3, 1, 0, 7, 2];
    for (const a of [0.5, 1, 0.2, Math.sqrt(13) / 5, 0, 3]) {
      expect(W.entropy(c, { dirichlet: a })).toBe(W.entropy(c, { estimator: "dirichlet", a }));
    }
    expect(W.entropy(c, { dirichlet: "jeffreys" })).toBe(W.entropy(c, { dirichlet: 0.5 }));
    expect(W.entropy(c, { dirichlet: "laplace" })).toBe(W.entropy(c, { dirichlet: 1 }));
    expect(W.entropy(c, { dirichlet: "perks" })).toBe(W.entropy(c, { dirichlet: 1 / 5 }));
    expect(W.entropy(c, { dirichlet: "minimax" })).toBe(W.entropy(c, { dirichlet: Math.sqrt(13) / 5 }));
    // a = 0 is the plug-in estimate (to rounding)
    expect(W.entropy(c, { dirichlet: 0 })).toBeCloseTo(W.entropy(c, { normalize: true }), 15);
  });

  it("base, normalize: true, rows", () => {
    const c = [5, 0, 2, 1, 1, 9];
    for (const est of ESTIMATORS) {
      const h = R.entropy(c, { estimator: est });
      expect(R.entropy(c, { estimator: est, base: 2 })).toBe(h / Math.LN2);
      expect(W.entropy(c, { estimator: est, normalize: true })).toBe(W.entropy(c, { estimator: est }));
    }
    // rows: each row as its own vector (K = cols bins)
    const rows = [4, 0, 1, 1, 1, 1, 0, 0, 7, 2, 2, 3];
    for (const o of [...ESTIMATORS.map((e) => ({ estimator: e })), { dirichlet: "perks" }, { dirichlet: 2, base: 10 }] as Opt[]) {
      const w = W.entropyRows(rows, 4, o), r = R.entropyRows(Float64Array.from(rows), 4, o);
      for (let i = 0; i < 3; i++) {
        const one = R.entropy(rows.slice(4 * i, 4 * i + 4), o);
        if (o.estimator === "plugin") expect(Math.abs(w[i] - one)).toBeLessThanOrEqual(1e-15);
        else { expect(w[i]).toBe(one); expect(r[i]).toBe(one); }
      }
    }
  });

  it("entropy without an estimator is unchanged; inherited estimator keys are never read", () => {
    const p = [0.5, 0.25, 0.25];
    const plain = W.entropy(p), plainR = R.entropy(p), counts = W.entropy([2, 1, 1], { normalize: true });
    const mi = M.mutualInformation([1, 2, 3, 4], 2, { counts: true });
    polluted({ estimator: "chaoShen", dirichlet: 1, a: 2 }, () => {
      expect(W.entropy(p)).toBe(plain);
      expect(R.entropy(p)).toBe(plainR);
      expect(W.entropy(p, {})).toBe(plain);
      expect(W.entropy([2, 1, 1], { normalize: true })).toBe(counts);
      expect(W.entropyRows(p, 3, { base: Math.E })[0]).toBeCloseTo(plain, 15);
      expect(M.mutualInformation([1, 2, 3, 4], 2, { counts: true })).toBe(mi);
      expect(R.mutualInformation([1, 2, 3, 4], 2, { counts: true })).toBe(mi);
    });
  });

  it("each option is read once, before anything is computed", () => {
    for (const api of [W, R]) {
      const reads: Record<string, number> = {};
      const o = {} as Opt;
      for (const [k, v] of [["estimator", "dirichlet"], ["a", "perks"], ["base", 2], ["normalize", true]] as const) {
        Object.defineProperty(o, k, { enumerable: true, get: () => { reads[k] = (reads[k] ?? 0) + 1; return v; } });
      }
      expect(api.entropy([4, 0, 1], o)).toBe(R.entropy([4, 0, 1], { dirichlet: 1 / 3, base: 2 }));
      expect(reads).toEqual({ estimator: 1, a: 1, base: 1, normalize: 1 });
    }
  });
});

describe("entropy with an estimator: errors, the same in both builds", () => {
  const cases: [string, () => [unknown, Opt?, number?], string][] = [
    ["non-integer", () => [[1, 2.5, 3], { estimator: "chaoShen" }], "RangeError: entropy: p[1] is not an integer count (2.5)"],
    ["non-integer float32", () => [Float32Array.from([1, 0.5]), { estimator: "grassberger" }], "RangeError: entropy: p[1] is not an integer count (0.5)"],
    ["negative", () => [[1, -2, 3], { estimator: "millerMadow" }], "RangeError: entropy: p[1] is negative (-2); values must be finite and >= 0"],
    ["negative after a non-integer", () => [[1.5, -2], { estimator: "millerMadow" }], "RangeError: entropy: p[1] is negative (-2); values must be finite and >= 0"],
    ["NaN", () => [[1, NaN], { estimator: "shrinkage" }], "RangeError: entropy: p[1] is NaN (NaN); values must be finite and >= 0"],
    ["Infinity", () => [[Infinity, 1], { dirichlet: 1 }], "RangeError: entropy: p[0] is infinite (Infinity); values must be finite and >= 0"],
    ["not a number", () => [[1, "2"], { estimator: "millerMadow" }], "TypeError: entropy: p[1] is not a number (string)"],
    ["null element", () => [[1, null], { estimator: "plugin" }], "TypeError: entropy: p[1] is not a number (null)"],
    ["sums to 0", () => [[0, 0, 0], { estimator: "chaoShen" }], "RangeError: entropy: cannot normalize: p sums to 0"],
    ["sums to 0, dirichlet", () => [[0, 0], { dirichlet: 1 }], "RangeError: entropy: cannot normalize: p sums to 0"],
    ["plugin sums to 0", () => [[0, 0], { estimator: "plugin" }], "RangeError: entropy: cannot normalize: p sums to 0"],
    ["plugin takes weights", () => [[0.5, 1.5], { estimator: "plugin" }], "ok"],
    ["total beyond 2^53", () => [[2 ** 53, 1], { estimator: "millerMadow" }], "RangeError: entropy: p sums to 9007199254740992; counts must total less than 2^53 (to be exact)"],
    ["total overflows", () => [[1e308, 1e308], { estimator: "grassberger" }], "RangeError: entropy: p sums to Infinity; counts must total less than 2^53 (to be exact)"],
    ["huge counts with plugin (weights)", () => [[1e308, 1e308], { estimator: "plugin" }], "ok"],
    ["subnormal count", () => [[5e-324, 1], { estimator: "chaoShen" }], "RangeError: entropy: p[0] is not an integer count (5e-324)"],
    ["empty", () => [[], { estimator: "grassberger" }], "RangeError: entropy: p is empty"],
    ["unknown estimator", () => [[1, 2], { estimator: "nsb" }], "RangeError: entropy: estimator must be one of \"plugin\", \"millerMadow\", \"chaoShen\", \"shrinkage\", \"grassberger\", \"dirichlet\", got \"nsb\""],
    ["estimator not a string", () => [[1, 2], { estimator: 1 }], "RangeError: entropy: estimator must be one of \"plugin\", \"millerMadow\", \"chaoShen\", \"shrinkage\", \"grassberger\", \"dirichlet\", got 1"],
    ["dirichlet without a", () => [[1, 2], { estimator: "dirichlet" }], "RangeError: entropy: a must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got undefined"],
    ["a without dirichlet", () => [[1, 2], { a: 1 }], "RangeError: entropy: give the Dirichlet pseudocount once, as { dirichlet: a } or { estimator: \"dirichlet\", a }"],
    ["a with another estimator", () => [[1, 2], { estimator: "chaoShen", a: 1 }], "RangeError: entropy: give the Dirichlet pseudocount once, as { dirichlet: a } or { estimator: \"dirichlet\", a }"],
    ["dirichlet with another estimator", () => [[1, 2], { estimator: "shrinkage", dirichlet: 1 }], "RangeError: entropy: give the Dirichlet pseudocount once, as { dirichlet: a } or { estimator: \"dirichlet\", a }"],
    ["dirichlet and a", () => [[1, 2], { estimator: "dirichlet", dirichlet: 1, a: 1 }], "RangeError: entropy: give the Dirichlet pseudocount once, as { dirichlet: a } or { estimator: \"dirichlet\", a }"],
    ["dirichlet with estimator dirichlet", () => [[1, 2], { estimator: "dirichlet", dirichlet: "laplace" }], "ok"],
    ["negative prior", () => [[1, 2], { dirichlet: -1 }], "RangeError: entropy: dirichlet must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got -1"],
    ["NaN prior", () => [[1, 2], { dirichlet: NaN }], "RangeError: entropy: dirichlet must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got NaN"],
    ["infinite prior", () => [[1, 2], { estimator: "dirichlet", a: Infinity }], "RangeError: entropy: a must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got Infinity"],
    ["unknown prior", () => [[1, 2], { dirichlet: "uniform" }], "RangeError: entropy: dirichlet must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got \"uniform\""],
    ["prior as a string number", () => [[1, 2], { dirichlet: "1" }], "RangeError: entropy: dirichlet must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got \"1\""],
    ["normalize false", () => [[1, 2], { estimator: "millerMadow", normalize: false }], "RangeError: entropy: an estimator takes counts and divides by their total; normalize: false cannot be combined with it"],
    ["normalize not a boolean", () => [[1, 2], { estimator: "millerMadow", normalize: 1 }], "TypeError: entropy: normalize must be true or false, got 1"],
    ["bad base", () => [[1, 2], { estimator: "millerMadow", base: 1 }], "RangeError: entropy: base must be a finite number > 0 and != 1, got 1"],
    ["unknown option", () => [[1, 2], { estimator: "millerMadow", eps: 0 }], "TypeError: entropy: unknown option 'eps'"],
    // an estimator key left undefined is no estimator: the default sum check
    ["undefined estimator with a base", () => [[1, 2], { estimator: undefined, base: 2 }],
      "RangeError: entropy: p sums to 3, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given"],
    ["rows: bad cols", () => [[1, 2, 3], { estimator: "grassberger" }, 2], "RangeError: entropyRows: cols (2) does not divide the length (3)"],
    ["rows: a row sums to 0", () => [[1, 2, 0, 0], { estimator: "grassberger" }, 2], "RangeError: entropyRows: cannot normalize: row 1 of p sums to 0"],
    ["rows: non-integer in row 1", () => [[1, 2, 0, 0.5], { estimator: "chaoShen" }, 2], "RangeError: entropyRows: p[3] is not an integer count (0.5)"],
  ];
  for (const [name, make, message] of cases) {
    it(name, () => {
      const [x, o, cols] = make();
      const w = thrown(() => (cols === undefined ? W.entropy(x as number[], o) : W.entropyRows(x as number[], cols, o)));
      const r = thrown(() => (cols === undefined ? R.entropy(x as number[], o) : R.entropyRows(x as number[], cols, o)));
      expect(w).toBe(r);
      expect(w).toBe(message);
    });
  }
});

describe("mutualInformation with an estimator: against H(X) + H(Y) − H(X,Y) (mpmath)", () => {
  it("every table and estimator, both builds", () => {
    for (const t of fx.tables) {
      const rows = t.table.length / t.cols;
      const marg = (k: string) => {
        const a = Array.from({ length: rows }, (_, i) => t.table.slice(i * t.cols, (i + 1) * t.cols).reduce((s, v) => s + v, 0));
        const b = Array.from({ length: t.cols }, (_, j) => a.reduce((s, _v, i) => s + t.table[i * t.cols + j], 0));
        const o = optionsOf(k);
        return R.entropy(a, o) + R.entropy(b, o) + R.entropy(t.table, o);
      };
      for (const [key, ex] of Object.entries(t.expected)) {
        const o = optionsOf(key);
        for (const x of [t.table, Float64Array.from(t.table), Float32Array.from(t.table), Uint16Array.from(t.table)]) {
          const w = M.mutualInformation(x as number[], t.cols, o), r = R.mutualInformation(x as number[], t.cols, { counts: true, ...o });
          if (key === "plugin") {
            expect(Math.abs(w - ex)).toBeLessThanOrEqual(1e-14 * (ex + 1));
            expect(Math.abs(r - ex)).toBeLessThanOrEqual(1e-14 * (ex + 1));
            expect(w).toBe(M.mutualInformation(x as number[], t.cols));
          } else {
            expect(Object.is(w, r), `${t.name} ${key}`).toBe(true);
            expect(Math.abs(r - ex), `${t.name} ${key}`).toBeLessThanOrEqual(1e-14 * marg(key));
          }
        }
      }
    }
  });

  it("corrected estimates are not clipped: below 0 on an independent table", () => {
    const t = [10, 20, 20, 40];
    expect(M.mutualInformation(t, 2)).toBe(0);
    expect(M.mutualInformation(t, 2, { estimator: "millerMadow" })).toBeLessThan(0);
    expect(M.mutualInformation(t, 2, { estimator: "millerMadow", base: 2 })).toBe(M.mutualInformation(t, 2, { estimator: "millerMadow" }) / Math.LN2);
  });

  const errors: [string, unknown, number, Opt, string][] = [
    ["non-integer count", [1, 2.5, 3, 4], 2, { estimator: "chaoShen" }, "RangeError: mutualInformation: pxy[1] is not an integer count (2.5)"],
    ["negative count", [1, -2, 3, 4], 2, { estimator: "chaoShen" }, "RangeError: mutualInformation: pxy[1] is negative (-2); values must be finite and >= 0"],
    ["counts: false", [1, 2, 3, 4], 2, { estimator: "grassberger", counts: false }, "RangeError: mutualInformation: counts: false cannot be combined with estimator \"grassberger\""],
    ["counts not a boolean", [1, 2, 3, 4], 2, { estimator: "grassberger", counts: "yes" }, "TypeError: mutualInformation: counts must be true or false, got \"yes\""],
    ["unknown estimator", [1, 2, 3, 4], 2, { estimator: "ml" }, "RangeError: mutualInformation: estimator must be one of \"plugin\", \"millerMadow\", \"chaoShen\", \"shrinkage\", \"grassberger\", \"dirichlet\", got \"ml\""],
    ["a without dirichlet", [1, 2, 3, 4], 2, { a: 0.5 }, "RangeError: mutualInformation: give the Dirichlet pseudocount once, as { dirichlet: a } or { estimator: \"dirichlet\", a }"],
    ["bad prior", [1, 2, 3, 4], 2, { dirichlet: -0.5 }, "RangeError: mutualInformation: dirichlet must be a number >= 0 or one of \"jeffreys\", \"laplace\", \"perks\", \"minimax\", got -0.5"],
    ["total beyond 2^53", [2 ** 52, 2 ** 52, 0, 1], 2, { estimator: "shrinkage" }, "RangeError: mutualInformation: pxy sums to 9007199254740992; counts must total less than 2^53 (to be exact)"],
    ["sums to 0", [0, 0, 0, 0], 2, { estimator: "shrinkage" }, "RangeError: mutualInformation: cannot normalize: pxy sums to 0"],
    ["bad cols", [1, 2, 3], 2, { estimator: "shrinkage" }, "RangeError: mutualInformation: cols (2) does not divide the length (3)"],
    ["estimator on jointEntropy", [1, 2, 3, 4], 2, { estimator: "shrinkage" }, "TypeError: jointEntropy: unknown option 'estimator'"],
    ["plugin with weights is fine", [0.5, 1, 2, 3], 2, { estimator: "plugin" }, "ok"],
  ];
  for (const [name, t, cols, o, message] of errors) {
    it(`errors: ${name}`, () => {
      const call = name.includes("jointEntropy")
        ? (api: typeof R) => () => api.jointEntropy(t as number[], cols, o as never)
        : (api: typeof R) => () => api.mutualInformation(t as number[], cols, o as never);
      const w = thrown(call(M as unknown as typeof R)), r = thrown(call(R));
      expect(w).toBe(r);
      expect(w).toBe(message);
    });
  }
});

describe("mutualInformationTest", () => {
  it("the fixtures: the p-value of the documented algorithm exactly, sklearn's MI", () => {
    for (const t of fx.tests) {
      for (const api of [M, R]) {
        for (const [a, b] of [[t.a, t.b], [Int32Array.from(t.a), Int32Array.from(t.b)], [Float64Array.from(t.a), Uint32Array.from(t.b)]]) {
          const res = api.mutualInformationTest(a as number[], b as number[], { permutations: t.permutations, seed: t.seed });
          expect(res.pvalue, t.name).toBe(t.pvalue);
          expect(Math.abs(res.mi - t.mi)).toBeLessThanOrEqual(1e-15 + 1e-14 * t.mi);
          expect(res.mi).toBe(api.mutualInformationLabels(a as number[], b as number[]));
        }
      }
    }
  });

  it("the same result in both builds, reproducible by seed, b not modified; n = 5000 (the WebAssembly counts)", () => {
    const r = rng(5), n = 5000;
    const a = Int32Array.from({ length: n }, () => Math.floor(r() * 6));
    const b = Int32Array.from(a, (v) => (r() < 0.02 ? v : Math.floor(r() * 4)) - 7);
    const copy = b.slice();
    const w = M.mutualInformationTest(a, b, { permutations: 200, seed: 42 });
    expect(R.mutualInformationTest(a, b, { permutations: 200, seed: 42 })).toEqual(w);
    expect(M.mutualInformationTest(a, b, { permutations: 200, seed: 42 })).toEqual(w);
    expect(b).toEqual(copy);
    expect(M.mutualInformationTest(a, b, { permutations: 200, seed: 42, base: 2 })).toEqual({ mi: w.mi / Math.LN2, pvalue: w.pvalue });
    // the defaults: 1000 permutations, seed 0
    const d = M.mutualInformationTest(a.subarray(0, 300), b.subarray(0, 300));
    expect(d).toEqual(R.mutualInformationTest(a.subarray(0, 300), b.subarray(0, 300), { permutations: 1000, seed: 0 }));
    expect((d.pvalue * 1001) % 1).toBeCloseTo(0, 9);
  });

  it("independent labels: p-values roughly uniform over seeds; dependent: 1 / (permutations + 1)", () => {
    const ps: number[] = [];
    for (let s = 0; s < 200; s++) {
      const r = rng(1000 + s), n = 60;
      const a = Array.from({ length: n }, () => Math.floor(r() * 3)), b = Array.from({ length: n }, () => Math.floor(r() * 3));
      ps.push(R.mutualInformationTest(a, b, { permutations: 99, seed: s }).pvalue);
    }
    const below = (x: number) => ps.filter((p) => p <= x).length / ps.length;
    // binomial(200, x) spreads: ±3.5 standard deviations
    for (const x of [0.05, 0.1, 0.25, 0.5, 0.75]) expect(Math.abs(below(x) - x)).toBeLessThanOrEqual(3.5 * Math.sqrt((x * (1 - x)) / 200) + 0.01);
    expect(Math.min(...ps)).toBeGreaterThanOrEqual(0.01);
    const r = rng(3), a = Array.from({ length: 200 }, () => Math.floor(r() * 4)), b = a.map((v) => (r() < 0.9 ? v : 0));
    expect(M.mutualInformationTest(a, b, { permutations: 999, seed: 9 }).pvalue).toBe(1 / 1000);
    // a single class on either side: MI 0, every permutation ties
    expect(M.mutualInformationTest([1, 1, 1], [0, 1, 2], { permutations: 10 })).toEqual({ mi: 0, pvalue: 1 });
  });

  const errors: [string, unknown, unknown, unknown, string][] = [
    ["different lengths", [1, 2], [1], undefined, "RangeError: mutualInformationTest: a and b must have the same length, got 2 and 1"],
    ["empty", [], [], undefined, "RangeError: mutualInformationTest: a is empty"],
    ["non-integer label", [1, 2.5], [1, 2], undefined, "RangeError: mutualInformationTest: a[1] is not an integer label (2.5)"],
    ["NaN label", [1, 2], [NaN, 2], undefined, "RangeError: mutualInformationTest: b[0] is not an integer label (NaN)"],
    ["not an array", "ab", [1, 2], undefined, "TypeError: mutualInformationTest: a must be a Float64Array, Float32Array or number[], got string"],
    ["permutations 0", [1, 2], [1, 2], { permutations: 0 }, "RangeError: mutualInformationTest: permutations must be an integer >= 1, got 0"],
    ["permutations 1.5", [1, 2], [1, 2], { permutations: 1.5 }, "RangeError: mutualInformationTest: permutations must be an integer >= 1, got 1.5"],
    ["permutations a string", [1, 2], [1, 2], { permutations: "10" }, "RangeError: mutualInformationTest: permutations must be an integer >= 1, got \"10\""],
    ["permutations Infinity", [1, 2], [1, 2], { permutations: Infinity }, "RangeError: mutualInformationTest: permutations must be an integer >= 1, got Infinity"],
    ["seed -1", [1, 2], [1, 2], { seed: -1 }, "RangeError: mutualInformationTest: seed must be a seed, an integer in [0, 2^32), got -1"],
    ["seed 2^32", [1, 2], [1, 2], { seed: 2 ** 32 }, "RangeError: mutualInformationTest: seed must be a seed, an integer in [0, 2^32), got 4294967296"],
    ["seed 0.5", [1, 2], [1, 2], { seed: 0.5 }, "RangeError: mutualInformationTest: seed must be a seed, an integer in [0, 2^32), got 0.5"],
    ["bad base", [1, 2], [1, 2], { base: -1 }, "RangeError: mutualInformationTest: base must be a finite number > 0 and != 1, got -1"],
    ["unknown option", [1, 2], [1, 2], { average: "min" }, "TypeError: mutualInformationTest: unknown option 'average'"],
    ["options not an object", [1, 2], [1, 2], 5, "TypeError: mutualInformationTest: options must be an object, got number"],
  ];
  for (const [name, a, b, o, message] of errors) {
    it(`errors: ${name}`, () => {
      const w = thrown(() => M.mutualInformationTest(a as number[], b as number[], o as never));
      const r = thrown(() => R.mutualInformationTest(a as number[], b as number[], o as never));
      expect(w).toBe(r);
      expect(w).toBe(message);
    });
  }

  it("inherited option keys are never read", () => {
    const a = [0, 1, 0, 1, 1, 0, 2, 2], b = [1, 1, 0, 0, 1, 0, 2, 1];
    const clean = M.mutualInformationTest(a, b, { permutations: 50 });
    polluted({ permutations: 3, seed: 7, base: 2 }, () => {
      expect(M.mutualInformationTest(a, b, { permutations: 50 })).toEqual(clean);
      expect(R.mutualInformationTest(a, b, { permutations: 50 })).toEqual(clean);
    });
  });
});
