// Differential fuzz (the issue: "fuzz both builds with random faults at random positions:
// same result, same error message, nothing corrupted, nothing read twice").
//
// Every case runs on the WebAssembly build and on the reference, clean, then with one or
// two faults (NaN, ±Infinity, negatives, -0, and for plain arrays strings, null, undefined,
// holes, objects, BigInts, booleans, getters that return a fault or throw) at random
// positions (anywhere, the first and last element, row boundaries, chunk boundaries),
// then without its getters, then clean again. Checked each time:
//   - both builds: the same error (class and message), or values within
//       |wasm - ref| <= 1e-14 S + 1e-300 (1e-6 S + 1e-35 where the float32 kernel runs),
//     S = sum(|term| + x) per row by the oracle's loop; identical (Object.is) below 32
//     elements, where both builds run the same twin;
//   - the oracle (test/helpers/fuzz.ts): the expected error for faults and sums; the value
//     of a plain double loop for the clean families, within (1e-14 + 2.3e-16 cols) S;
//     exact zeros: KL(P||P) with every p in [eps, 1], JS(P, P), the entropy of one-hot rows;
//   - nothing corrupted: inputs (values, holes, getters) and other live workspace views
//     unchanged after every call; the clean case gives Object.is-identical results after a
//     fault; getters that call both builds (on the same workspace) change nothing;
//   - nothing read twice: every getter element is read exactly once per call (zero times
//     after a getter that throws, in reading order: all of p, then q).
// Size: FUZZ_RUNS cases per property (default 300, about 11 s here); FUZZ_RUNS=20000 on demand;
// FUZZ_SEED changes the seed (default 42), FUZZ_SHRINK=1 lets fast-check shrink a failure.
import { describe, it, expect, afterAll } from "vitest";
import fc from "fast-check";
import * as wasm from "../src/index.js";
import * as ref from "../src/reference.js";
import {

  type Case, type Cell, type Env, type Outcome, type Fn, type Container, type Opts,
  BUILDS, FNS, CLEAN, caseArb, cellsOf, describeCase, expectedSumError, expectedValueError, invoke, isRoot,
  logBase, makeEnv, materialize, measureOf, options, oracleRows, outcome, sameOutcome, show, takesQ, verifySentinels,
  within, isRows, familyValues,
} from "./helpers/fuzz.js";

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 300));
/** A property's time limit: vitest's 120 s, or 30 ms a case for the long runs on demand (20 000 cases took 110-180 s). */
const LIMIT = Math.max(120_000, 30 * RUNS);
const SEED = Number(process.env.FUZZ_SEED ?? 42);

const stats = {
  cases: 0,
  perFamily: {} as Record<string, number>,
  faults: 0,
  perFault: {} as Record<string, number>,
  errorsCompared: 0,
  valuesCompared: 0,
  oracleValues: 0,
  oracleErrors: 0,
  exactZeros: 0,
  readsChecked: 0,
  nestedCalls: 0,
  argumentCases: 0,
  maxRatio64: 0,
  maxRatio32: 0,
};
const bump = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };

const env: Env = makeEnv();

const F32: ReadonlySet<Container> = new Set(["f32", "ws32", "ws32sub"]);

class Discrepancy extends Error {}
function fail(c: Case, what: string): never {
  throw new Discrepancy(`${what}\n  case: ${describeCase(c)}`);
}

/** Runs one build on cells: fresh containers, the call, then every "nothing corrupted / read once" check. */
function runOne(c: Case, api: typeof ref, name: string, cells: { p: Cell[]; q: Cell[] }, stage: string) {
  const P = materialize(c.pKind, cells.p, env);
  const Q = takesQ(c.fn) ? (c.alias ? P : materialize(c.qKind, cells.q, env)) : undefined;
  try {
    const o = options(c);
    const before = env.nestedCalls;
    const out = outcome(() => invoke(api, c.fn, P.x, Q?.x, c.cols, o));
    stats.nestedCalls += env.nestedCalls - before;
    try {
      P.verify();
      Q?.verify();
      verifySentinels(env);
    } catch (e) {
      fail(c, `${name} (${stage}): ${(e as Error).message}`);
    }
    // reads: once each, in order p then q; none after a getter that throws
    let stopped = false;
    for (const [arg, cs] of Q === undefined || Q === P ? [[P, cells.p]] as const : [[P, cells.p], [Q, cells.q]] as const) {
      const throwAt = cs.findIndex((x) => x.t === "throw");
      for (const [i, count] of arg.counts) {
        // q passed as the very object p: read once as p and once as q
        const want = stopped || (throwAt >= 0 && i > throwAt) ? 0 : Q === P ? 2 : 1;
        stats.readsChecked++;
        if (count.n !== want) fail(c, `${name} (${stage}): element ${i} of ${arg === P ? "p" : "q"} read ${count.n} times, want ${want}`);
        count.n = 0;
      }
      if (throwAt >= 0 && arg.kind === "array") stopped = true;
    }
    return { out, P, Q };
  } finally {
    P.release();
    if (Q !== undefined && Q !== P) Q.release();
  }
}

/** Read values of cells as numbers (valid only when there is no value error). */
const nums = (cs: Cell[]) => cs.map((x) => (x as { v: number }).v);

function compare(c: Case, stage: string, res: Outcome[], read: { p: Cell[]; q: Cell[] | undefined }, faulted: boolean) {
  const [r, w] = res;
  const o: Opts = options(c) ?? {};
  const n = c.rows * c.cols;
  const expErr = expectedValueError(c.fn, read.p, read.q, c.rows, c.cols, o);
  const ctx = () => `reference: ${show(r)}\n  wasm:      ${show(w)}`;
  if (expErr !== undefined) {
    stats.oracleErrors++;
    for (const [name, x] of [["reference", r], ["wasm", w]] as const) {
      if (x.ok || x.cls !== expErr.cls || x.msg !== expErr.msg) {
        fail(c, `${stage}: ${name} should throw ${expErr.cls}: ${expErr.msg}\n  ${ctx()}`);
      }
    }
    stats.errorsCompared++;
    return;
  }
  if (!r.ok || !w.ok) {
    if (r.ok || w.ok || r.cls !== w.cls || r.msg !== w.msg) fail(c, `${stage}: the builds differ\n  ${ctx()}`);
    stats.errorsCompared++;
  }
  const P = nums(read.p), Q = read.q === undefined ? undefined : nums(read.q);
  const m = measureOf(c.fn), root = isRoot(c.fn), lb = Math.abs(logBase(o));
  const { value: ov, S } = oracleRows(m, P, Q, c.rows, c.cols, o);
  const clean = CLEAN.has(c.family) && !faulted;
  // the default check, by the oracle (clean families)
  if (clean && o.normalize === undefined && ov.every((v) => !Number.isNaN(v))) {
    const se = expectedSumError(c.fn, P, Q, c.pKind, c.qKind, c.rows, c.cols);
    if (se !== undefined) {
      stats.oracleErrors++;
      const [pre, post] = se.msg.split("#");
      for (const [name, x] of [["reference", r], ["wasm", w]] as const) {
        const got = !x.ok && x.cls === se.cls && x.msg.startsWith(pre) && x.msg.endsWith(post)
          ? Number(x.msg.slice(pre.length, x.msg.length - post.length)) : NaN;
        if (!(Math.abs(got - se.sum) <= 5e-7 * Math.abs(se.sum) + 1e-12)) {
          fail(c, `${stage}: ${name} should throw ${se.cls}: ${se.msg.replace("#", String(se.sum))}\n  ${ctx()}`);
        }
      }
      return;
    }
  }
  if (!r.ok || !w.ok) {
    if (clean) fail(c, `${stage}: a clean case threw\n  ${ctx()}`);
    return;
  }
  if (r.values.length !== c.rows || w.values.length !== c.rows) fail(c, `${stage}: ${c.rows} values expected\n  ${ctx()}`);
  stats.valuesCompared++;
  // the builds
  const f32 = F32.has(c.pKind) && (Q === undefined || F32.has(c.qKind)) && !(m === "entropy" && o.normalize === true);
  for (let k = 0; k < c.rows; k++) {
    const a = r.values[k], b = w.values[k];
    if (n < 32) {
      if (!Object.is(a, b)) fail(c, `${stage}: below 32 elements both builds run the twin: row ${k} differs\n  ${ctx()}`);
      continue;
    }
    const tol = (f32 ? 1e-6 * S[k] + 1e-35 : 1e-14 * S[k] + 1e-300) / lb;
    if (!within(a, b, tol, root)) {
      fail(c, `${stage}: row ${k}: |wasm - ref| = ${Math.abs(a - b)} > ${tol} (${f32 ? "1e-6" : "1e-14"} S, S = ${S[k]})\n  ${ctx()}`);
    }
    if (!root && Number.isFinite(a) && S[k] > 1e-280 && Number.isFinite(S[k])) {
      const ratio = (Math.abs(a - b) * lb) / S[k];
      if (f32) stats.maxRatio32 = Math.max(stats.maxRatio32, ratio);
      else stats.maxRatio64 = Math.max(stats.maxRatio64, ratio);
    }
  }
  // the oracle's values (clean families)
  if (clean) {
    stats.oracleValues++;
    for (let k = 0; k < c.rows; k++) {
      const want = root ? Math.sqrt(Math.max(0, ov[k] / logBase(o))) : ov[k] / logBase(o);
      const tol = ((1e-14 + 2.3e-16 * c.cols) * S[k] + 1e-300) / lb;
      for (const [name, x] of [["reference", r], ["wasm", w]] as const) {
        const got = x.values[k];
        const tolB = F32.has(c.pKind) && name === "wasm" && f32 ? tol + (1e-6 * S[k] + 1e-35) / lb : tol;
        if (!within(got, want, tolB, root)) {
          fail(c, `${stage}: row ${k}: ${name} = ${got}, the oracle's plain loop = ${want} (tolerance ${tolB})\n  ${ctx()}`);
        }
      }
    }
  }
  // exact zeros
  const eps = o.eps ?? 1e-15;
  for (let k = 0; k < c.rows; k++) {
    const lo = k * c.cols, hi = lo + c.cols;
    const Pr = P.slice(lo, hi), Qr = Q?.slice(lo, hi);
    const same = Qr !== undefined && Pr.every((v, i) => Object.is(v, Qr[i]) || (v === 0 && Qr[i] === 0));
    let exact = false;
    if (m === "js" && same) exact = true;
    if (m === "kl" && same) {
      let s = 0;
      for (const v of Pr) s += v;
      const scale = o.normalize === true ? s : 1;
      exact = Pr.every((v) => v === 0 || (v / scale >= eps && v / scale <= 1));
    }
    if (m === "entropy") {
      const nz = Pr.filter((v) => v !== 0);
      exact = nz.length === 1 && (o.normalize === true || nz[0] === 1);
    }
    if (!exact) continue;
    stats.exactZeros++;
    for (const [name, x] of [["reference", r], ["wasm", w]] as const) {
      if (x.values[k] !== 0) fail(c, `${stage}: row ${k}: ${name} = ${x.values[k]}, exactly 0 expected (${m === "entropy" ? "one-hot" : "P = Q"})\n  ${ctx()}`);
    }
  }
}

function runCase(c: Case): void {
  stats.cases++;
  bump(stats.perFamily, c.family);
  const clean = cellsOf(c, false);
  const readOf = (cells: { p: Cell[]; q: Cell[] }) => {
    // what the library reads: the same containers made once more (deterministic)
    const P = materialize(c.pKind, cells.p, env), Q = takesQ(c.fn) ? materialize(c.qKind, cells.q, env) : undefined;
    P.release(); Q?.release();
    return { p: P.read, q: Q?.read };
  };
  const first = BUILDS.map(([name, api]) => runOne(c, api, name, clean, "clean").out);
  compare(c, "clean", first, readOf(clean), false);
  if (c.faults.length === 0 && c.getters.length === 0) return;

  stats.faults += c.faults.length;
  for (const f of c.faults) bump(stats.perFault, f.value);
  const faulted = cellsOf(c, true);
  const withGetters = BUILDS.map(([name, api]) => runOne(c, api, name, faulted, "faulted").out);
  compare(c, "faulted", withGetters, readOf(faulted), c.faults.some((f) => f.value !== "-0"));
  // the same values without getters (a getter fault becomes its value; a throwing getter stays)
  const plain = {
    p: faulted.p.map((x): Cell => (x.t === "get" ? { t: "v", v: x.v } : x)),
    q: faulted.q.map((x): Cell => (x.t === "get" ? { t: "v", v: x.v } : x)),
  };
  BUILDS.forEach(([name, api], b) => {
    const out = runOne(c, api, name, plain, "faulted, no getters").out;
    if (!sameOutcome(out, withGetters[b])) {
      fail(c, `${name}: getters (re-entrant: ${c.reenter}) changed the outcome: ${show(withGetters[b])} vs ${show(out)} without`);
    }
  });
  // clean again: nothing left over from the fault
  BUILDS.forEach(([name, api], b) => {
    const out = runOne(c, api, name, clean, "clean after the fault").out;
    if (!sameOutcome(out, first[b])) fail(c, `${name}: the clean case after a fault: ${show(out)}, before: ${show(first[b])}`);
  });
}

function property(arb: fc.Arbitrary<Case>, runs: number): void {
  fc.assert(fc.property(arb, (c) => { runCase(c); }), { seed: SEED, numRuns: runs, endOnFailure: process.env.FUZZ_SHRINK === undefined });
}

// ------------------------------------------------------------------ argument errors
const NOT_VECTORS: Array<[string, () => unknown]> = [
  ["null", () => null], ["undefined", () => undefined], ["number", () => 5], ["string", () => "0.5,0.5"],
  ["object", () => ({ length: 2, 0: 0.5, 1: 0.5 })], ["nullProto", () => Object.create(null)], ["Map", () => new Map()],
  ["function", () => () => 1], ["DataView", () => new DataView(new ArrayBuffer(16))],
  ["BigInt64Array", () => new BigInt64Array(2)], ["empty", () => []], ["emptyF64", () => new Float64Array(0)],
  ["emptyI32", () => new Int32Array(0)],
  ["detached", () => { const w = wasm.createWorkspace(1024); const v = w.f64(2); w.dispose(); return v; }],
];
const BAD_OPTIONS: Array<[string, unknown]> = [
  ["base1", { base: 1 }], ["base0", { base: 0 }], ["baseNeg", { base: -2 }], ["baseNaN", { base: NaN }], ["baseInf", { base: Infinity }],
  ["baseString", { base: "2" }], ["eps1", { eps: 1 }], ["epsNeg", { eps: -1e-9 }], ["epsNaN", { eps: NaN }], ["epsString", { eps: "0" }],
  ["normString", { normalize: "true" }], ["normNum", { normalize: 1 }], ["normNull", { normalize: null }], ["unknown", { bse: 2 }],
  ["unknownAfter", { base: 3, colz: 2 }], ["number", 5], ["string", "base"], ["multi", { base: 0, eps: 2, normalize: "x" }],
];

function vectorError(fn: string, name: string, x: unknown): { cls: string; msg: string } | undefined {
  if ((x instanceof Float64Array || x instanceof Float32Array) && x.length > 0) return undefined;
  if (ArrayBuffer.isView(x)) {
    if (x instanceof DataView || x instanceof BigInt64Array || x instanceof BigUint64Array) {
      return { cls: "TypeError", msg: `${fn}: ${name} must be a Float64Array, Float32Array or number[], got ${x.constructor.name}` };
    }
    let detached = false;
    if (x.byteLength === 0) { try { new Uint8Array(x.buffer); } catch { detached = true; } }
    if (detached) return { cls: "TypeError", msg: `${fn}: ${name} is a view of a disposed workspace (its memory is detached)` };
  } else if (!Array.isArray(x)) {
    const what = x === null ? "null" : typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
    return { cls: "TypeError", msg: `${fn}: ${name} must be a Float64Array, Float32Array or number[], got ${what}` };
  }
  if ((x as ArrayLike<number>).length === 0) return { cls: "RangeError", msg: `${fn}: ${name} is empty` };
  return undefined;
}

function optionsError(fn: Fn, o: unknown): { cls: string; msg: string } | undefined {
  if (o === undefined || o === null) return undefined;
  if (typeof o !== "object") return { cls: "TypeError", msg: `${fn}: options must be an object, got ${typeof o}` };
  const known = measureOf(fn) === "kl" || measureOf(fn) === "cross" ? ["base", "normalize", "eps"] : ["base", "normalize"];
  for (const k of Object.keys(o)) if (!known.includes(k)) return { cls: "TypeError", msg: `${fn}: unknown option '${k}'` };
  const { base, eps, normalize } = o as Record<string, unknown>;
  if (base !== undefined && (typeof base !== "number" || !Number.isFinite(base) || base <= 0 || base === 1)) {
    return { cls: "RangeError", msg: `${fn}: base must be a finite number > 0 and != 1, got ${shown(base)}` };
  }
  if (eps !== undefined && (typeof eps !== "number" || !(eps >= 0 && eps < 1))) {
    return { cls: "RangeError", msg: `${fn}: eps must be a number in [0, 1), got ${shown(eps)}` };
  }
  if (normalize !== undefined && typeof normalize !== "boolean") {
    return { cls: "TypeError", msg: `${fn}: normalize must be true or false, got ${shown(normalize)}` };
  }
  return undefined;
}

interface ArgCase {
  fn: Fn; n: number; rows: number; badP?: number; badQ?: number; lengthOff: number; cols?: unknown;
  opt?: number; fault: boolean; f32: boolean; seed: number;
}
const argArb: fc.Arbitrary<ArgCase> = fc.record({
  fn: fc.constantFrom(...FNS),
  n: fc.integer({ min: 1, max: 80 }),
  rows: fc.integer({ min: 1, max: 4 }),
  badP: fc.option(fc.nat({ max: NOT_VECTORS.length - 1 }), { nil: undefined, freq: 3 }),
  badQ: fc.option(fc.nat({ max: NOT_VECTORS.length - 1 }), { nil: undefined, freq: 3 }),
  lengthOff: fc.constantFrom(0, 0, 1, -1),
  cols: fc.option(fc.constantFrom<unknown>(0, -3, 1.5, NaN, Infinity, "2", null, undefined, "divisor+1"), { nil: undefined, freq: 3 }),
  opt: fc.option(fc.nat({ max: BAD_OPTIONS.length - 1 }), { nil: undefined, freq: 2 }),
  fault: fc.boolean(),
  f32: fc.boolean(),
  seed: fc.nat(),
});

function runArgCase(a: ArgCase): void {
  stats.argumentCases++;
  const fn = a.fn, cols0 = isRows(fn) ? Math.max(1, Math.floor(a.n / a.rows)) : a.n;
  const rows = isRows(fn) ? Math.max(1, Math.floor(a.n / cols0)) : 1, n = rows * cols0;
  const [P0, Q0] = familyValues("prob", rows, cols0, a.seed);
  const mk = (v: Float64Array, len: number) => {
    const x = a.f32 ? new Float32Array(len) : Array.from({ length: len }, () => 0);
    for (let i = 0; i < len; i++) x[i] = v[i % v.length];
    if (a.fault) x[len - 1] = NaN;
    return x;
  };
  const cols = a.cols === "divisor+1" ? cols0 + 1 : a.cols === undefined ? cols0 : a.cols;
  const opts = a.opt === undefined ? undefined : BAD_OPTIONS[a.opt][1];
  const results = BUILDS.map(([, api]) => {
    const p = a.badP === undefined ? mk(P0, n) : NOT_VECTORS[a.badP][1]();
    const q = a.badQ === undefined ? mk(Q0, Math.max(1, n + a.lengthOff)) : NOT_VECTORS[a.badQ][1]();
    const res = outcome(() => {
      const f = (api as unknown as Record<string, (...x: unknown[]) => number | Float64Array>)[fn];
      const args: unknown[] = [p];
      if (takesQ(fn)) args.push(q);
      if (isRows(fn)) args.push(cols);
      args.push(opts);
      return f(...args);
    });
    return { p, q, res };
  });
  const { p, q } = results[0];
  // the order: options, p, q, lengths, cols, then values
  let want = optionsError(fn, opts) ?? vectorError(fn, "p", p) ?? (takesQ(fn) ? vectorError(fn, "q", q) : undefined);
  const len = (x: unknown) => (x as ArrayLike<number>).length;
  if (want === undefined && takesQ(fn) && len(p) !== len(q)) {
    want = { cls: "RangeError", msg: `${fn}: p and q must have the same length, got ${len(p)} and ${len(q)}` };
  }
  if (want === undefined && isRows(fn)) {
    if (typeof cols !== "number" || !Number.isInteger(cols) || cols < 1) want = { cls: "RangeError", msg: `${fn}: cols must be a positive integer, got ${shown(cols)}` };
    else if (len(p) % cols !== 0) want = { cls: "RangeError", msg: `${fn}: cols (${cols}) does not divide the length (${len(p)})` };
  }
  const tag = `argument case ${JSON.stringify({ ...a, badP: a.badP === undefined ? undefined : NOT_VECTORS[a.badP][0], badQ: a.badQ === undefined ? undefined : NOT_VECTORS[a.badQ][0], opt: a.opt === undefined ? undefined : BAD_OPTIONS[a.opt][0] })}`;
  const [r, w] = results.map((x) => x.res);
  const close = r.ok && w.ok && r.values.every((v, i) => Math.abs(v - w.values[i]) <= (a.f32 ? 1e-6 : 1e-12) * Math.max(1, Math.abs(v)));
  if (!close && !sameOutcome(r, w)) throw new Discrepancy(`${tag}: the builds differ\n  reference: ${show(r)}\n  wasm: ${show(w)}`);
  if (want !== undefined) {
    if (r.ok || r.cls !== want.cls || r.msg !== want.msg) throw new Discrepancy(`${tag}: want ${want.cls}: ${want.msg}, got ${show(r)}`);
  } else if (a.fault) {
    if (r.ok || !/is NaN \(NaN\)/.test(r.msg)) throw new Discrepancy(`${tag}: want the NaN error, got ${show(r)}`);
  }
  stats.errorsCompared += r.ok ? 0 : 1;
}

// ------------------------------------------------------------------ tests
describe("differential fuzz: WebAssembly build vs reference vs oracle", () => {
  afterAll(() => {
    const fam = Object.entries(stats.perFamily).map(([k, v]) => `${k} ${v}`).join(", ");
    const fl = Object.entries(stats.perFault).map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(
      `fuzz (seed ${SEED}, FUZZ_RUNS ${RUNS}): ${stats.cases} cases [${fam}]; ${stats.faults} faults [${fl}]; ` +
      `${stats.errorsCompared} errors compared, ${stats.valuesCompared} results compared ` +
      `(worst |wasm - ref| / S: f64 ${stats.maxRatio64.toExponential(2)}, f32 kernel ${stats.maxRatio32.toExponential(2)}), ` +
      `${stats.oracleValues} oracle values, ${stats.oracleErrors} oracle errors, ${stats.exactZeros} exact zeros, ` +
      `${stats.readsChecked} getter reads checked, ${stats.nestedCalls} re-entrant getter calls, ${stats.argumentCases} argument cases`);
  });

  it("clean inputs: every family, shape, container and option", () => {
    property(caseArb({ min: 0, max: 0 }), RUNS);
  }, LIMIT);

  it("one or two faults at random positions, with counting and re-entrant getters", () => {
    property(caseArb({ min: 1, max: 2 }), RUNS);
  }, LIMIT);

  it("argument errors come before values, in the order options, p, q, lengths, cols", () => {
    fc.assert(fc.property(argArb, (a) => { runArgCase(a); }), { seed: SEED, numRuns: RUNS * 2 });
  });

  it("faults at the last element and at chunk boundaries, at the sizes where the path changes", () => {
    const fns: Fn[] = ["klDivergence", "jensenShannonRows", "entropy", "crossEntropyRows"];
    const kinds: Container[] = ["f64", "array", "ws64", "f32", "ws32sub"];
    for (const fn of fns) {
      for (const n of [31, 32, 8192, 8193, 16385]) {
        for (const kind of kinds) {
          for (const where of n < 8192 ? ["last"] as const : ["last", "chunk"] as const) {
            runCase({
              fn, family: "prob", rows: 1, cols: n, pKind: kind, qKind: kind === "f32" ? "ws64" : kind, alias: false,
              normalize: n % 2 === 0 ? true : undefined, base: undefined, eps: undefined,
              faults: [{ target: "q", where, frac: 0.5, value: kind === "array" ? "getterString" : "negative" }],
              getters: kind === "array" ? [{ target: "p", frac: 0.999 }, { target: "q", frac: 0 }] : [],
              reenter: n < 8192, seed: n,
            });
          }
        }
      }
    }
    expect(stats.cases).toBeGreaterThan(0);
  });
});

// Minimal reproductions of what the fuzz found (other seeds, FUZZ_RUNS=1500): each is the
// property above on one input, as the rule says it should come out.
describe("cases the fuzz found", () => {
  const msg = (f: () => unknown) => { try { f(); return "(no error)"; } catch (e) { return `${(e as Error).constructor.name}: ${(e as Error).message}`; } };

  it("the default check's message names the same sum in both builds for float32 input (the float64 sum of the values)", () => {
    // found with FUZZ_SEED=3: {"fn":"jensenShannonDistance","family":"probZeros","rows":1,"cols":66,"pKind":"f32",...}
    const p = new Float32Array(32);
    p[7] = 0.18; p[15] = 0.17; p[19] = 0.22; // float64 sum of the float32 values: 0.5700000077486038
    const want = "RangeError: entropy: p sums to 0.57, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given";
    expect(msg(() => ref.entropy(p))).toBe(want);
    expect(msg(() => wasm.entropy(p))).toBe(want);
  });

  it("normalize: true with a subnormal eps clips q / sum q to eps where the quotient underflows (both builds, every path)", () => {
    // found with FUZZ_SEED=6: {"fn":"klDivergenceRows","family":"wide","rows":5,"cols":26,"normalize":true,"eps":5e-324,...}
    for (const eps of [5e-324, 1e-310]) {
      const p = new Float64Array(32), q = new Float64Array(32);
      p[0] = 1; q[0] = 1e-100; q[1] = 1e250; // q0 / sum q = 1e-350 < eps: clipped to eps
      const want = -Math.log(eps);
      for (const [, api] of BUILDS) {
        expect(api.klDivergence(p, q, { normalize: true, eps })).toBeCloseTo(want, 10);
        expect(api.crossEntropy(p, q, { normalize: true, eps })).toBeCloseTo(want, 10);
        expect(api.klDivergence([1, 0], [1e-100, 1e250], { normalize: true, eps })).toBeCloseTo(want, 10);
      }
    }
  });

  it("normalize: true, eps: 0: a p > 0 whose p / sum p underflows still meets q = 0 with +Infinity (both builds, every path)", () => {
    // found with FUZZ_RUNS=20000 (seed 42): {"fn":"crossEntropy","family":"subnormal","rows":1,"cols":32,...,"normalize":true,"eps":0}
    // and {"fn":"klDivergenceRows","family":"wide","rows":153,"cols":30,...}: the twin skipped the term, the kernels gave +Infinity
    for (const [p0, tiny] of [[3, 5e-324], [1e300, 1e-30]]) {
      for (const n of [2, 32, 100]) {
        const p = new Float64Array(n), q = new Float64Array(n);
        p[0] = p0; p[1] = tiny; q[0] = 1; // p[1] / sum p rounds to 0; q[1] = 0
        expect(tiny / (p0 + tiny)).toBe(0);
        for (const [, api] of BUILDS) {
          expect(api.klDivergence(p, q, { normalize: true, eps: 0 })).toBe(Infinity);
          expect(api.crossEntropy(p, q, { normalize: true, eps: 0 })).toBe(Infinity);
          expect(Array.from(api.klDivergenceRows([...p, ...p], [...q, ...q], n, { normalize: true, eps: 0 }))).toEqual([Infinity, Infinity]);
          // with q[1] > 0, or the default eps, the term is below the sum's last bit: the value of the one-term row
          const q2 = q.slice(); q2[1] = 0.5;
          expect(api.klDivergence(p, q2, { normalize: true, eps: 0 })).toBeCloseTo(Math.log(1.5), 12);
          expect(api.klDivergence(p, q, { normalize: true })).toBeCloseTo(0, 12);
        }
      }
    }
  });

  it("a Rows function given cols = null throws the cols error (it is not the one-vector form)", () => {
    // found with the argument property (FUZZ_SEED=4)
    for (const [, api] of BUILDS) {
      expect(msg(() => api.entropyRows([0.5, 0.5], null as unknown as number)))
        .toBe("RangeError: entropyRows: cols must be a positive integer, got null");
      expect(msg(() => api.klDivergenceRows([0.5, 0.5], [0.5, 0.5], null as unknown as number)))
        .toBe("RangeError: klDivergenceRows: cols must be a positive integer, got null");
    }
  });
});

// the builds are the ones under test (a guard against importing the same one twice)
it("the two builds are distinct modules", () => {
  expect(wasm.entropy).not.toBe(ref.entropy);
});

/** How the library's messages show a bad option value (the stated rule): strings quoted,
 *  arrays and objects by kind, everything else as String() gives it. */
function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v !== "object") return String(v);
  return Array.isArray(v) ? "an array" : `an object (${(v as object).constructor?.name ?? "Object"})`;
}
