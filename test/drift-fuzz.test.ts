// Differential fuzz of the drift family (issue 12, under the rules of issue 11 section 2):
// kl-wasm/drift (src/drift.ts, WebAssembly binning) against kl-wasm/reference/drift
// (src/reference-drift.ts, pure TS), on histogram, createHistogram().add/merge (and
// fromJSON), histogramEdges (every rule), quantileEdges, the six metrics (counts, and
// samples with bins / edges / edgesFrom / outside / range / nan), categoryCounts,
// wasserstein1 (with weights), ksTest (alternatives, methods) and driftReport (objects of
// columns and matrices, presets).
//
// Every case (test/helpers/drift-fuzz.ts) runs on both builds clean, then with faults at
// random positions (NaN, ±Infinity, negatives, -0, and in plain arrays strings, null,
// undefined, holes, objects, BigInts, booleans, getters returning a fault or throwing),
// then without its getters, then clean again, then clean with Object.prototype polluted
// (bins, smoothing, nan, range, ... set there). Checked each time:
//   - both builds: the same error (class and message), or the same result, Object.is on
//     every leaf (counts, edges, every metric computed by the shared TS code), except the
//     values the discrete family's KL and JS compute (WebAssembly kernels against their
//     twin): |wasm - ref| <= 1e-12 max(1, |ref|) (a distance: its square within 1e-13);
//   - histograms and accumulators of clean inputs equal an independent binning written
//     here from NumPy's rule (searchsorted right, the last edge in the last bin);
//   - errors are TypeError or RangeError naming the function (or the getter's own error); a
//     value that is not a number in a plain array of numbers is never accepted; a whole argument
//     replaced by something that is not a vector (null, a Map, a DataView, a BigInt64Array, a
//     detached workspace view, an empty or sparse array...) gives the same error in both builds;
//   - nothing corrupted: inputs (values, holes, getters) and live workspace views are
//     unchanged; the clean case gives Object.is-identical results after a fault and with a
//     polluted Object.prototype; getters that call both builds (drift and discrete, on the
//     same workspaces) change nothing, neither inside nor outside;
//   - nothing read twice: every getter element is read once per call, or never after the
//     library stopped reading (reads form a prefix of the reading order: the arguments as
//     the library reads them, each by index), once each on success; option keys (and the
//     keys of objects in options) behind counting getters are read at most once, the
//     top-level ones exactly once on success.
// A third property sweeps histograms and accumulators over the sizes where the path changes
// (159-161 samples, 2048 and 20480 for the grid, 8192 / 16384 per staged piece of a heap array
// and 4096 / 8192 per piece of a workspace view (float64 / float32; 2048 / 4096 were the 16 KiB
// pieces of before), 33000, FINE_SAMPLES for the fine cells) with faults at chunk boundaries.
// Size: FUZZ_RUNS cases per property (default 200, about 10 s here); FUZZ_RUNS=20000 on
// demand; FUZZ_SEED changes the seed (default 42); FUZZ_SHRINK=1 lets fast-check shrink;
// FUZZ_STRICT=0 tolerates (and counts) the failures listed below (K1-K4, fixed) instead of failing (K5 is not tolerated);
// FUZZ_VERBOSE=1 prints every clean error and every argument-level fault's outcome.
import { describe, it, expect, afterAll } from "vitest";
import fc from "fast-check";
import { type Cell, type Container, materialize, verifySentinels, type Arg } from "./helpers/fuzz.js";
import {
  type DCase, type DFn, type ArgSpec, type Built, type DOutcome, type DriftApi, DBUILDS, DFNS, NOT_VECTORS, build, caseArb, doutcome,
  dshow, faulted, firstDifference, flatten, identical, makeDriftEnv, countingOptions, withPollution, nums,
} from "./helpers/drift-fuzz.js";
import * as W from "../src/drift.js";
import * as R from "../src/reference-drift.js";
import { FINE_SAMPLES } from "../src/drift/wasm.js";

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 200));
const SEED = Number(process.env.FUZZ_SEED ?? 42);

const env = makeDriftEnv();

const stats = {
  cases: 0, perFn: {} as Record<string, number>, faults: 0, errorsCompared: 0, valuesCompared: 0, approxCompared: 0,
  maxApprox: 0, maxJsSquare: 0, oracle: 0, cleanOk: {} as Record<string, number>, readsChecked: 0, optionReadsChecked: 0, nestedCalls: 0, polluted: 0,
};
const bump = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };

/**
 * Failures this fuzz found in files it does not own, now fixed: tolerated and counted only when
 * FUZZ_STRICT=0 (the default is strict: any of them fails the run).
 *   K1  psi / klDivergence / ... on samples: an error of the edges computation or of the
 *       binning names histogramEdges or histogram, not the function called (src/drift/metrics.ts
 *       bin()), e.g. psi([-1e308, 1e308], [0, 1], { bins: 1 }): "histogram: edges[0] is NaN".
 *   K2  driftReport reads the keys of its `smoothing` object again for every binned metric
 *       of every column (src/drift/report.ts passes the caller's object on to each metric).
 *   K4  driftReport of matrices takes entries that are not numbers (strings, null, holes, objects)
 *       for NaN: "reference.0[2] is NaN", and drops them silently with nan: "ignore" or a preset
 *       (src/drift/report.ts readTables: strided() copies lose what vector() knew).
 *   K3  categoryCounts reads a missing element (a getter returning NaN, null or undefined) a
 *       second time to name it in the error (src/drift/metrics.ts countCategories).
 *   K5  a rule whose width overflows gives one edge (NumPy's k = 0): the metrics on samples passed
 *       histogram's error on ("histogram: edges must hold at least 2 values"), and driftReport binned
 *       every value into its extra bins and reported psi = JS = 0 (src/drift/edges.ts binEdges).
 */
const STRICT = process.env.FUZZ_STRICT !== "0";
const knownSeen: Record<string, number> = {};
function known(id: string): boolean {
  if (STRICT) return false;
  bump(knownSeen, id);
  return true;
}
const METRIC_FNS = ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance", "totalVariation", "chebyshev"] as const;

class Discrepancy extends Error {}
function fail(c: DCase, what: string): never {
  throw new Discrepancy(`${what}\n  case: ${JSON.stringify(c)}`);
}

/** The names a library error of fn may start with. */
const PREFIXES: Record<DFn, string[]> = {
  histogram: ["histogram:"], accumulate: ["createHistogram:", "Histogram.add:", "Histogram.merge:", "Histogram.fromJSON:"],
  histogramEdges: ["histogramEdges:"], quantileEdges: ["quantileEdges:"], psi: ["psi:"], klDivergence: ["klDivergence:"],
  jensenShannonDistance: ["jensenShannonDistance:"], hellingerDistance: ["hellingerDistance:"], totalVariation: ["totalVariation:"],
  chebyshev: ["chebyshev:"], categoryCounts: ["categoryCounts:"], wasserstein1: ["wasserstein1:"], ksTest: ["ksTest:"],
  driftReport: ["driftReport:"],
};

interface Run { out: DOutcome; mats: Arg[] }

/** One call of one build on fresh containers, then every "nothing corrupted / read once" check. */
function runOne(c: DCase, b: Built, api: DriftApi, name: string, args: ArgSpec[], stage: string,
  how: { optionGetters: boolean; pollute: boolean; argFault?: { arg: number; value: number } }): Run {
  const mats = args.map((a) => materialize(a.kind, a.cells, env));
  try {
    const xs = mats.map((m) => m.x);
    // a whole argument replaced: its elements are never read (left out of the reading order)
    const replaced = how.argFault === undefined || args.length === 0 ? -1 : how.argFault.arg % args.length;
    if (replaced >= 0) xs[replaced] = NOT_VECTORS[how.argFault!.value % NOT_VECTORS.length][1](env);
    const raw = b.options(xs);
    const { o, reads } = how.optionGetters ? countingOptions(raw, env, c.reenter, xs) : { o: raw, reads: new Map<string, { n: number }>() };
    const before = env.nestedCalls;
    const out = doutcome(() => (how.pollute ? withPollution(() => b.call(api, xs, o)) : b.call(api, xs, o)));
    stats.nestedCalls += env.nestedCalls - before;
    const where = `${name} (${stage})`;
    try {
      for (const m of mats) m.verify();
      verifySentinels(env);
    } catch (e) {
      fail(c, `${where}: ${(e as Error).message}\n  outcome: ${dshow(out)}`);
    }
    // library errors: TypeError or RangeError naming the function; a getter's own error as thrown
    if (!out.ok && !/^getter throws at /.test(out.msg)) {
      if ((METRIC_FNS as readonly string[]).includes(c.fn) && /^histogram(Edges)?: /.test(out.msg) && known("K1")) {
        // known (K1): the metrics on samples pass histogramEdges' error on as it is
      } else if ((out.cls !== "TypeError" && out.cls !== "RangeError") || !PREFIXES[c.fn].some((p) => out.msg.startsWith(p))) {
        fail(c, `${where}: an error that does not name ${c.fn} or is not a TypeError / RangeError: ${dshow(out)}`);
      }
    }
    // element reads: a prefix of the reading order (arguments in order, each by index), 1 each on success
    const seq: Array<{ at: string; n: number }> = [];
    mats.forEach((m, k) => {
      if (k === replaced) return;
      for (const [i, count] of [...m.counts].sort((x, y) => x[0] - y[0])) seq.push({ at: `${args[k].name}[${i}]`, n: count.n });
    });
    let stopped = -1;
    seq.forEach((r, k) => {
      stats.readsChecked++;
      if (r.n > 1 && !(r.n === 2 && c.fn === "categoryCounts" && !out.ok && out.msg.startsWith(`categoryCounts: ${r.at} is missing`) && known("K3"))) {
        fail(c, `${where}: element ${r.at} read ${r.n} times\n  outcome: ${dshow(out)}`);
      }
      if (r.n === 0 && stopped < 0) stopped = k;
      if (r.n === 1 && stopped >= 0) fail(c, `${where}: element ${seq[stopped].at} was not read but the later ${r.at} was\n  outcome: ${dshow(out)}`);
      if (r.n === 0 && out.ok) fail(c, `${where}: element ${r.at} was not read, yet the call succeeded: ${dshow(out)}`);
    });
    if (!out.ok) {
      const m = /^getter throws at (.*)$/.exec(out.msg);
      if (m !== null) {
        const last = stopped < 0 ? seq[seq.length - 1] : seq[stopped - 1];
        if (last === undefined || last.at !== m[1]) fail(c, `${where}: the getter at ${m[1]} threw, but the last element read was ${last?.at}`);
      }
    }
    // option reads
    for (const [key, count] of reads) {
      stats.optionReadsChecked++;
      if (count.n > 1 && !(c.fn === "driftReport" && key.startsWith("smoothing.") && known("K2"))) {
        fail(c, `${where}: option ${key} read ${count.n} times\n  outcome: ${dshow(out)}`);
      }
      if (out.ok && !key.includes(".") && count.n !== 1) fail(c, `${where}: option ${key} read ${count.n} times in a call that succeeded`);
    }
    return { out, mats };
  } finally {
    for (const m of mats) m.release();
  }
}

/** Both builds: identical, or the KL / JS values within their bound. */
function compareBuilds(c: DCase, b: Built, stage: string, r: DOutcome, w: DOutcome): void {
  if (!r.ok || !w.ok) {
    if (!identical(r, w)) fail(c, `${stage}: the builds differ\n  reference: ${dshow(r)}\n  wasm:      ${dshow(w)}`);
    stats.errorsCompared++;
    return;
  }
  stats.valuesCompared++;
  if (r.leaves.length !== w.leaves.length) fail(c, `${stage}: the builds' results differ in shape: ${firstDifference(r, w)}`);
  for (let i = 0; i < r.leaves.length; i++) {
    const [p, x] = r.leaves[i], [q, y] = w.leaves[i];
    if (p !== q) fail(c, `${stage}: the builds' results differ in shape at ${p} / ${q}`);
    if (Object.is(x, y)) continue;
    const kind = b.approx(p);
    if (kind !== null && typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y)) {
      const d = Math.abs(x - y), tol = 1e-12 * Math.max(1, Math.abs(x));
      stats.approxCompared++;
      if (d <= tol) { stats.maxApprox = Math.max(stats.maxApprox, d / Math.max(1, Math.abs(x))); continue; }
      if (kind === "js" && Math.abs(x * x - y * y) <= 1e-13) { stats.maxJsSquare = Math.max(stats.maxJsSquare, Math.abs(x * x - y * y)); continue; }
    }
    fail(c, `${stage}: the builds differ at ${p}: reference ${x}, wasm ${y}\n  reference: ${dshow(r)}\n  wasm:      ${dshow(w)}`);
  }
}

/** Clean histogram-like results against the independent binning. */
function checkOracle(c: DCase, b: Built, name: string, run: Run): void {
  if (b.oracle === undefined || !run.out.ok) return;
  const read = run.mats.map((m) => m.read.map((x: Cell) => (x as { v: unknown }).v as number));
  const want = flatten(b.oracle(read)).filter(([p]) => !p.endsWith("#type") && !p.endsWith("#class"));
  const got = run.out.leaves.filter(([p]) => !p.endsWith("#type") && !p.endsWith("#class"));
  stats.oracle++;
  const bad = want.findIndex(([p, v], i) => got[i] === undefined || got[i][0] !== p || !Object.is(got[i][1], v));
  if (bad >= 0 || want.length !== got.length) {
    const at = bad >= 0 ? bad : Math.min(want.length, got.length);
    fail(c, `${name}: differs from NumPy's binning at ${want[at]?.[0] ?? got[at]?.[0]}: got ${String(got[at]?.[1])}, NumPy's rule ${String(want[at]?.[1])}`);
  }
}

/** A value that is not a number in a plain array of numbers is never accepted (nor dropped as NaN). */
function checkNonNumbers(c: DCase, args: ArgSpec[], out: DOutcome): void {
  if (!out.ok || c.fn === "categoryCounts") return;
  for (const [k, a] of args.entries()) {
    if (a.kind !== "array" || (c.argFault !== undefined && c.argFault.arg % args.length === k)) continue;
    // a column of categories (strings) in a report (its values plain or behind getters: a column of one value behind
    // a getter is still categories, FUZZ_SEED=29 FUZZ_RUNS=4000)
    const valued = (x: Cell) => x.t === "v" || x.t === "get";
    if (c.fn === "driftReport" && a.cells.some((x) => valued(x) && typeof (x as { v: unknown }).v === "string") &&
        typeof (a.cells.find(valued) as { v: unknown } | undefined)?.v === "string") continue;
    const i = a.cells.findIndex((x) => x.t === "hole" || (valued(x) && typeof (x as { v: unknown }).v !== "number"));
    if (i < 0) continue;
    if (c.fn === "driftReport" && (a.name === "reference" || a.name === "current") && known("K4")) continue;
    fail(c, `${a.name}[${i}] holds a non-number, yet the call succeeded: ${dshow(out)}`);
  }
}

function runCase(c: DCase): void {
  stats.cases++;
  bump(stats.perFn, c.fn);
  const b = build(c);
  const plainHow = { optionGetters: false, pollute: false };
  const how = { optionGetters: c.optionGetters, pollute: false };
  const first = DBUILDS.map(([name, api]) => runOne(c, b, api, name, b.args, "clean", how));
  compareBuilds(c, b, "clean", first[0].out, first[1].out);
  bump(stats.cleanOk, `${c.fn} ${first[0].out.ok ? "ok" : "error"}`);
  if (process.env.FUZZ_VERBOSE && !first[0].out.ok) console.log(`${c.fn}: ${dshow(first[0].out)}`);
  first.forEach((run, k) => checkOracle(c, b, `${DBUILDS[k][0]} (clean)`, run));
  if (c.faults.length > 0 || c.getters.length > 0 || c.argFault !== undefined) {
    stats.faults += c.faults.length;
    const fargs = faulted(c, b.args);
    const fhow = { ...how, argFault: c.argFault };
    const withGetters = DBUILDS.map(([name, api]) => runOne(c, b, api, name, fargs, "faulted", fhow).out);
    compareBuilds(c, b, "faulted", withGetters[0], withGetters[1]);
    checkNonNumbers(c, fargs, withGetters[0]);
    if (process.env.FUZZ_VERBOSE && c.argFault !== undefined) {
      console.log(`ARG ${c.fn} ${b.args[c.argFault.arg % b.args.length]?.name} := ${NOT_VECTORS[c.argFault.value % NOT_VECTORS.length][0]}: ${dshow(withGetters[0]).slice(0, 200)}`);
    }
    // the same values without getters (a getter becomes its value; a throwing getter stays)
    const plain = fargs.map((a) => ({ ...a, cells: a.cells.map((x): Cell => (x.t === "get" ? { t: "v", v: x.v } : x)) }));
    DBUILDS.forEach(([name, api], k) => {
      const out = runOne(c, b, api, name, plain, "faulted, no getters", { ...plainHow, argFault: c.argFault }).out;
      if (!identical(out, withGetters[k])) {
        fail(c, `${name}: getters (re-entrant: ${c.reenter}) changed the outcome: ${firstDifference(withGetters[k], out)}`);
      }
    });
    // clean again: nothing left over from the fault
    DBUILDS.forEach(([name, api], k) => {
      const out = runOne(c, b, api, name, b.args, "clean after the fault", plainHow).out;
      if (!identical(out, first[k].out)) fail(c, `${name}: the clean case after a fault: ${firstDifference(first[k].out, out)}`);
    });
  }
  // inherited keys change nothing (some of the cases: it costs a run per build)
  if (c.seed % 3 === 0) {
    stats.polluted++;
    DBUILDS.forEach(([name, api], k) => {
      const out = runOne(c, b, api, name, b.args, "Object.prototype polluted", plainHow).out;
      if (!identical(out, first[k].out)) fail(c, `${name}: keys on Object.prototype changed the outcome: ${firstDifference(first[k].out, out)}`);
    });
  }
}

function property(arb: fc.Arbitrary<DCase>, runs: number): void {
  fc.assert(fc.property(arb, (c) => { runCase(c); }), { seed: SEED, numRuns: runs, endOnFailure: process.env.FUZZ_SHRINK === undefined });
}

describe("drift differential fuzz: kl-wasm/drift vs kl-wasm/reference/drift", () => {
  afterAll(() => {
    const per = Object.entries(stats.perFn).map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(
      `drift fuzz (seed ${SEED}, FUZZ_RUNS ${RUNS}): ${stats.cases} cases [${per}]; ${stats.faults} faults; ` +
      `${stats.errorsCompared} errors compared, ${stats.valuesCompared} results compared (${stats.approxCompared} KL/JS values ` +
      `within a bound, worst ${stats.maxApprox.toExponential(2)} relative, JS distances near 0: squares within ${stats.maxJsSquare.toExponential(2)}), ${stats.oracle} histograms against NumPy's rule, ` +
      `${stats.readsChecked} getter reads and ${stats.optionReadsChecked} option reads checked, ${stats.nestedCalls} re-entrant getter calls, ` +
      `${stats.polluted} cases with Object.prototype polluted; known failures tolerated: ${JSON.stringify(knownSeen)}; clean outcomes ${JSON.stringify(stats.cleanOk)}`);
  });

  it("clean inputs: every function, family, length and container", () => {
    property(caseArb({ min: 0, max: 0 }), RUNS);
  });

  it("one or two faults at random positions, with counting and re-entrant getters", () => {
    property(caseArb({ min: 1, max: 2 }), RUNS);
  });

  it("histograms and accumulators at the sizes where the path changes, every kind of edges, faults at chunk boundaries", () => {
    // the twin below 160 samples, the engine from 160; heap arrays staged 8192 f64 / 16384 f32 samples a
    // piece (STREAM_PIECE, 64 KiB), workspace views beyond 1 MiB in 4096 / 8192 (32 KiB); the
    // grid over arbitrary edges from 16 samples per cell (2048 samples for 1 bin, 20480 for 10); samples into
    // arbitrary edges (up to 128 bins) count in fine cells from FINE_SAMPLES (2^14)
    const arb = fc.record({
      fn: fc.constantFrom<DFn>("histogram", "histogram", "accumulate"),
      len: fc.constantFrom(159, 160, 161, 2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 16383, 16384, 16385, 20480, 33000,
        FINE_SAMPLES, FINE_SAMPLES + 1),
      kind: fc.constantFrom<Container>("f64", "f32", "array", "ws64", "ws32sub", "f64sub", "i32"),
      edges: fc.nat({ max: 8 }),
      bins: fc.constantFrom(0, 1, 2, 5),
      family: fc.constantFrom("normal", "onEdges", "ties", "subnormal", "signedZero", "infinite") as fc.Arbitrary<DCase["family"]>,
      fault: fc.option(fc.record({
        where: fc.constantFrom<"chunk" | "last" | "first" | "random">("chunk", "chunk", "last", "first", "random"),
        frac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        value: fc.constantFrom("NaN", "NaN", "Infinity", "-Infinity", "-0", "string", "hole", "getterNaN", "throws") as fc.Arbitrary<DCase["faults"][number]["value"]>,
      }), { nil: undefined }),
      nan: fc.constantFrom(0, 1, 2),
      seed: fc.nat(),
    }).map((x): DCase => ({
      fn: x.fn, family: x.family, family2: "onEdges", countFamily: "counts", lens: [x.len, x.len - 1, 160, 1], kinds: [x.kind, x.kind, "f64", "f64"],
      picks: [x.bins, x.edges, 5, x.nan, 0, 1, 0, 0, 0, 0, 0, 0],
      faults: x.fault === undefined ? [] : [{ arg: 1, ...x.fault }], getters: x.kind === "array" ? [{ arg: 1, frac: 0.999 }] : [],
      reenter: x.seed % 2 === 0, optionGetters: x.seed % 3 === 0, badOptions: 1, seed: x.seed,
    }));
    property(arb, Math.max(1, Math.round(RUNS / 2)));
  });

  it("the library works after thrown calls, with the same results", () => {
    const x = Float64Array.from({ length: 20000 }, (_, i) => Math.sin(i) * 3), e = [-3, -1, 0, 0.5, 1, 3];
    for (const [, api] of DBUILDS) {
      const want = [api.histogram(x, e), api.psi(x, x.subarray(100), { bins: 12 }), api.driftReport({ a: x }, { a: x.subarray(5) })];
      const bad = Array.from(x); bad[9000] = NaN;
      expect(() => api.histogram(bad, e)).toThrow("histogram: samples[9000] is NaN");
      const thrower = Array.from(x.subarray(0, 300));
      Object.defineProperty(thrower, 200, { get() { throw new Error("boom"); } });
      expect(() => api.psi(thrower, x, { bins: 3 })).toThrow("boom");
      expect(() => api.driftReport({ a: thrower }, { a: x })).toThrow("boom");
      expect([api.histogram(x, e), api.psi(x, x.subarray(100), { bins: 12 }), api.driftReport({ a: x }, { a: x.subarray(5) })]).toEqual(want);
    }
  });
});

// The failures this fuzz found (K1-K5 above, fixed), as reproductions.
describe.each(DBUILDS)("failures the fuzz found, fixed (%s)", (_name, api) => {
  it("K1: a metric on samples names itself when the edges cannot be made (not histogram / histogramEdges)", () => {
    // was "histogram: edges[0] is NaN; ..."; and klDivergence([-1.7e308, 1.7e308], [0, 1], { bins: 3 }):
    // "histogramEdges: too many bins for data range: ..."
    expect(() => api.psi([-1e308, 1e308], [0, 1], { bins: 1 })).toThrow(/^psi: /);
    expect(() => api.klDivergence([-1.7e308, 1.7e308], [0, 1], { bins: 3 })).toThrow(/^klDivergence: /);
  });

  it("K2: driftReport reads its smoothing option once", () => {
    let reads = 0;
    const smoothing = { get add() { reads++; return 1; } };
    api.driftReport({ a: [1, 2, 3, 4], b: [1, 1, 2, 2] }, { a: [2, 3, 4, 5], b: [1, 2, 2, 2] }, { metrics: ["psi", "klDivergence"], smoothing });
    expect(reads).toBe(1); // was 4: once per metric and column
  });

  it("K3: categoryCounts reads a missing element once", () => {
    let reads = 0;
    const x: unknown[] = ["a", "b", "c"];
    Object.defineProperty(x, 1, { get() { reads++; return NaN; } });
    expect(() => api.categoryCounts(x, ["a"])).toThrow("categoryCounts: reference[1] is missing (NaN)");
    expect(reads).toBe(1); // was 2
  });

  it("K5: a rule whose width overflows (one edge, no bin) is an error naming the caller, never a metric over no bin", () => {
    // found with FUZZ_RUNS=4000 (seed 42): klDivergence on samples, bins "scott", edgesFrom "both", values near 1e300:
    // "histogram: edges must hold at least 2 values (one bin), got 1"; driftReport gave psi = 0 and JS = 0 for
    // samples that share nothing (every value in the one extra bin above the lone edge)
    const a = [-1e300, 1e300, 0, 5, 7], b = [2e299, 3e299, 4e299, 5e299, 6e299];
    expect(Array.from(api.histogramEdges([...a, ...b], { bins: "scott" }))).toEqual([-1e300]); // NumPy's answer, kept
    for (const fn of ["psi", "klDivergence", "jensenShannonDistance", "hellingerDistance"] as const) {
      expect(() => api[fn](a, b, { bins: "scott", edgesFrom: "both" })).toThrow(new RegExp(`^${fn}: the "scott" rule gives no bin`));
    }
    expect(() => api.driftReport({ x: a }, { x: b }, { bins: "scott", edgesFrom: "both" }))
      .toThrow(/^driftReport: column "x": the "scott" rule gives no bin/);
  });

  it("K4: driftReport of matrices refuses entries that are not numbers (as for objects of columns)", () => {
    const ref = [1, 10, 2, 20, "x", 30, 4, 40, 5, 50, 6, 60] as unknown as number[], cur = [1, 10, 2, 20, 3, 30, 4, 40];
    // was: "RangeError: driftReport: reference.0[2] is NaN" and, with nan: "ignore", a report without the "x"
    expect(() => api.driftReport(ref, cur, { cols: 2, nan: "ignore" })).toThrow(TypeError);
    expect(() => api.driftReport(ref, cur, { cols: 2 })).toThrow(/is not a number \(string\)/);
  });
});

// the builds are the ones under test (a guard against importing the same one twice)
it("the two drift builds are distinct compositions", () => {
  expect(W.histogram).not.toBe(R.histogram);
  expect(DFNS.length).toBe(14);
  void nums;
});
