// Differential fuzz of the discrete measures: the WebAssembly build (kl-wasm) against the
// pure-TS reference (kl-wasm/reference), and both against a plain oracle written here
// (a double loop with Math.log, and the error rule of the issue, written from its wording).
//
// A case is a small record (fast-check shrinks it): the function, a value family, the
// shape, the containers of p and q, the options, one or two faults at chosen positions,
// the elements of plain arrays that are counting (and possibly re-entrant) getters, and a
// seed from which the values themselves are drawn (mulberry32, so a case is reproducible
// from its record alone: `describeCase` prints it).
import fc from "fast-check";
import * as wasm from "../../src/index.js";
import * as ref from "../../src/reference.js";

// ------------------------------------------------------------------ functions
export const FNS = [
  "entropy", "klDivergence", "crossEntropy", "jensenShannon", "jensenShannonDistance",
  "entropyRows", "klDivergenceRows", "crossEntropyRows", "jensenShannonRows", "jensenShannonDistanceRows",
] as const;
export type Fn = (typeof FNS)[number];
type Measure = "entropy" | "kl" | "cross" | "js";

export function measureOf(fn: Fn): Measure {
  if (fn.startsWith("entropy")) return "entropy";
  if (fn.startsWith("kl")) return "kl";
  if (fn.startsWith("cross")) return "cross";
  return "js";
}
export const isRows = (fn: Fn): boolean => fn.endsWith("Rows");
export const isRoot = (fn: Fn): boolean => fn.startsWith("jensenShannonDistance");
export const takesQ = (fn: Fn): boolean => measureOf(fn) !== "entropy";
export const takesEps = (fn: Fn): boolean => measureOf(fn) === "kl" || measureOf(fn) === "cross";

type AnyApi = typeof ref;
export const BUILDS: ReadonlyArray<readonly ["wasm" | "reference", AnyApi]> = [["reference", ref], ["wasm", wasm as unknown as AnyApi]];

/** Calls fn of `api` the way a user would (cols only for the Rows forms, q only where it is taken). */
export function invoke(api: AnyApi, fn: Fn, p: unknown, q: unknown, cols: unknown, o: unknown): number | Float64Array {
  const a = api as unknown as Record<string, (...args: unknown[]) => number | Float64Array>;
  const args: unknown[] = [p];
  if (takesQ(fn)) args.push(q);
  if (isRows(fn)) args.push(cols);
  if (o !== undefined) args.push(o);
  return a[fn](...args);
}

// ------------------------------------------------------------------ outcomes
export type Outcome =
  | { ok: true; values: number[] }
  | { ok: false; cls: string; msg: string };

export function outcome(f: () => number | Float64Array): Outcome {
  try {
    const v = f();
    return { ok: true, values: typeof v === "number" ? [v] : Array.from(v) };
  } catch (e) {
    if (e instanceof Error) return { ok: false, cls: e.constructor.name, msg: e.message };
    return { ok: false, cls: "(thrown non-Error)", msg: String(e) };
  }
}

export const show = (o: Outcome): string =>
  o.ok ? `values [${o.values.slice(0, 6).map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(", ")}${o.values.length > 6 ? ", ..." : ""}]`
    : `${o.cls}: ${o.msg}`;

/** Object.is on every value, or the same class and message. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.ok !== b.ok) return false;
  if (!a.ok || !b.ok) return !a.ok && !b.ok && a.cls === b.cls && a.msg === b.msg;
  return a.values.length === b.values.length && a.values.every((v, i) => Object.is(v, b.values[i]));
}

// ------------------------------------------------------------------ random values
// the suite's seeded generator (mulberry32), from the shared test data helpers
import { rng } from "./random.js";
export { rng };

export const FAMILIES = [
  "prob", "probZeros", "sparse", "oneHot", "nearOneHot", "softmax32", "counts", "same", "qZeros",
  "huge", "subnormal", "wide",
] as const;
export type Family = (typeof FAMILIES)[number];
/** Families whose values a plain double loop computes without over- or underflow: the oracle's domain. */
export const CLEAN: ReadonlySet<Family> = new Set(["prob", "probZeros", "sparse", "oneHot", "nearOneHot", "softmax32", "counts", "same", "qZeros"]);

/** Each row of x divided by its sum in float64 (rows of zeros stay zeros). */
function normRows(x: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * cols; i < (r + 1) * cols; i++) s += x[i];
    if (s > 0) for (let i = r * cols; i < (r + 1) * cols; i++) x[i] /= s;
  }
}

/** p and q of a family, rows x cols, row-major, as float64 numbers (before the containers). */
export function familyValues(family: Family, rows: number, cols: number, seed: number): [Float64Array, Float64Array] {
  const r = rng(seed), n = rows * cols;
  const p = new Float64Array(n), q = new Float64Array(n);
  const fill = (x: Float64Array, f: (i: number) => number) => { for (let i = 0; i < n; i++) x[i] = f(i); };
  switch (family) {
    case "prob": fill(p, () => r()); fill(q, () => r()); normRows(p, rows, cols); normRows(q, rows, cols); break;
    case "probZeros":
      fill(p, () => (r() < 0.1 ? 0 : r())); fill(q, () => (r() < 0.1 ? 0 : r()));
      normRows(p, rows, cols); normRows(q, rows, cols); break;
    case "sparse": {
      fill(p, () => (r() < 0.9 ? 0 : r())); fill(q, () => (r() < 0.9 ? 0 : r()));
      // at least one nonzero a row (most of the time: a row of zeros stays possible)
      for (let k = 0; k < rows; k++) {
        if (r() < 0.95) p[k * cols + Math.floor(r() * cols)] = r() + 0.01;
        if (r() < 0.95) q[k * cols + Math.floor(r() * cols)] = r() + 0.01;
      }
      normRows(p, rows, cols); normRows(q, rows, cols); break;
    }
    case "oneHot":
      for (let k = 0; k < rows; k++) p[k * cols + Math.floor(r() * cols)] = 1;
      fill(q, () => r()); normRows(q, rows, cols);
      if (r() < 0.3) q.set(p); // one-hot against itself
      break;
    case "nearOneHot": {
      for (let k = 0; k < rows; k++) {
        const d = Math.pow(10, -3 - 9 * r()), hot = Math.floor(r() * cols);
        for (let i = 0; i < cols; i++) p[k * cols + i] = i === hot ? 1 - d : cols > 1 ? d / (cols - 1) : 0;
      }
      fill(q, () => r()); normRows(q, rows, cols); break;
    }
    case "softmax32": {
      // float32 softmax outputs: logits ~ U(-s, s), exp and sum in float32
      const scale = 1 + 20 * r();
      for (const x of [p, q]) {
        for (let k = 0; k < rows; k++) {
          let s = Math.fround(0);
          const base = k * cols;
          for (let i = 0; i < cols; i++) { x[base + i] = Math.fround(Math.exp(Math.fround(scale * (2 * r() - 1)))); s = Math.fround(s + x[base + i]); }
          for (let i = 0; i < cols; i++) x[base + i] = Math.fround(x[base + i] / s);
        }
      }
      break;
    }
    case "counts": fill(p, () => Math.floor(r() * (r() < 0.5 ? 5 : 1000))); fill(q, () => Math.floor(r() * 200)); break;
    case "same": fill(p, () => (r() < 0.1 ? 0 : r())); normRows(p, rows, cols); q.set(p); break;
    case "qZeros":
      fill(p, () => r()); fill(q, () => (r() < 0.3 ? 0 : r()));
      normRows(p, rows, cols); normRows(q, rows, cols); break;
    case "huge": {
      const pick = () => { const u = r(); return u < 0.3 ? 1e300 * r() : u < 0.5 ? 1.7e308 * r() : u < 0.6 ? 1.7e308 : u < 0.8 ? r() : 0; };
      fill(p, pick); fill(q, pick); break;
    }
    case "subnormal": {
      const pick = () => { const u = r(); return u < 0.3 ? 5e-324 * Math.ceil(r() * 4) : u < 0.6 ? 1e-310 * r() : u < 0.7 ? 0 : u < 0.85 ? 1e-300 * r() : r(); };
      fill(p, pick); fill(q, pick); break;
    }
    case "wide": fill(p, () => Math.pow(10, -300 + 600 * r())); fill(q, () => (r() < 0.1 ? 0 : Math.pow(10, -300 + 600 * r()))); break;
  }
  return [p, q];
}

// ------------------------------------------------------------------ faults
export const FAULT_VALUES = [
  "NaN", "Infinity", "-Infinity", "negative", "negTiny", "-0",
  "string", "null", "undefined", "hole", "object", "numberObject", "bigint", "boolean",
  "getterNaN", "getterString", "getterNegative", "throws",
] as const;
export type FaultValue = (typeof FAULT_VALUES)[number];
export const NUMERIC_FAULTS: ReadonlySet<FaultValue> = new Set(["NaN", "Infinity", "-Infinity", "negative", "negTiny", "-0"]);

export type Where = "random" | "first" | "last" | "rowStart" | "rowEnd" | "chunk";
export interface Fault { target: "p" | "q" | "both"; where: Where; frac: number; value: FaultValue }

export function faultIndex(f: Fault, rows: number, cols: number): number {
  const n = rows * cols, r = Math.min(rows - 1, Math.floor(f.frac * rows));
  switch (f.where) {
    case "first": return 0;
    case "last": return n - 1;
    case "rowStart": return r * cols;
    case "rowEnd": return r * cols + cols - 1;
    case "chunk": {
      // the streaming boundaries (8192 elements a chunk) where they exist
      const marks = [8191, 8192, 16383, 16384, 8193].filter((i) => i < n);
      return marks.length > 0 ? marks[Math.floor(f.frac * marks.length)] : Math.floor(f.frac * n);
    }
    default: return Math.min(n - 1, Math.floor(f.frac * n));
  }
}

/** What a cell of a plain array holds: a value, a hole, or a getter (counting; returning v or throwing). */
export type Cell =
  | { t: "v"; v: unknown }
  | { t: "hole" }
  | { t: "get"; v: unknown; reenter: boolean }
  | { t: "throw"; err: Error };

/** The cell a fault puts in a plain array (for a typed array: the number stored, NaN for non-numbers). */
export function faultCell(value: FaultValue, where: string, reenter: boolean): Cell {
  switch (value) {
    case "NaN": return { t: "v", v: NaN };
    case "Infinity": return { t: "v", v: Infinity };
    case "-Infinity": return { t: "v", v: -Infinity };
    case "negative": return { t: "v", v: -1.5 };
    case "negTiny": return { t: "v", v: -5e-324 };
    case "-0": return { t: "v", v: -0 };
    case "string": return { t: "v", v: "0.25" };
    case "null": return { t: "v", v: null };
    case "undefined": return { t: "v", v: undefined };
    case "hole": return { t: "hole" };
    case "object": return { t: "v", v: { valueOf: () => 0.5 } };
    case "numberObject": return { t: "v", v: new Number(0.5) };
    case "bigint": return { t: "v", v: 1n };
    case "boolean": return { t: "v", v: true };
    case "getterNaN": return { t: "get", v: NaN, reenter };
    case "getterString": return { t: "get", v: "x", reenter };
    case "getterNegative": return { t: "get", v: -2, reenter };
    case "throws": return { t: "throw", err: new Error(`getter throws at ${where}`) };
  }
}

/** The number a typed array stores for a fault (non-numbers: NaN). */
export function faultNumber(value: FaultValue): number {
  const c = faultCell(value, "", false);
  if (c.t === "v" && typeof c.v === "number") return c.v;
  if (c.t === "get" && typeof c.v === "number") return c.v;
  return NaN;
}

// ------------------------------------------------------------------ containers
export const CONTAINERS = [
  "f64", "f64sub", "f32", "array", "i32", "u8", "u16", "i16", "u8c", "ws64", "ws64sub", "ws32", "ws32sub", "ws64b",
] as const;
export type Container = (typeof CONTAINERS)[number];
export const TYPED_INT: ReadonlySet<Container> = new Set(["i32", "u8", "u16", "i16", "u8c"]);

/** Workspaces the fuzz allocates views from, and live views in them that no call may touch. */
export interface Env {
  ws1: wasm.Workspace;
  ws2: wasm.Workspace;
  sentinels: Array<{ view: Float64Array | Float32Array; copy: Float64Array | Float32Array }>;
  /** Runs inside re-entrant getters: library calls of both builds on other inputs. */
  nested: () => void;
  nestedCalls: number;
}

export function makeEnv(): Env {
  const ws1 = wasm.createWorkspace(1 << 21), ws2 = wasm.createWorkspace(1 << 20);
  const r = rng(977);
  const sentinels: Env["sentinels"] = [];
  for (const view of [ws1.f64(777), ws1.f32(333), ws2.f64(555), ws2.f32(9)]) {
    for (let i = 0; i < view.length; i++) view[i] = r() < 0.1 ? NaN : (r() - 0.3) * 1e3;
    sentinels.push({ view, copy: view.slice() });
  }
  // nested calls: WebAssembly on the same workspace (views, kernels), the twin, an error
  const np = ws1.f64(4000), nq = ws1.f64(4000), small = [0.25, 0.25, 0.5], big = new Float64Array(9000);
  for (let i = 0; i < 4000; i++) { np[i] = r(); nq[i] = r(); }
  for (let i = 0; i < 9000; i++) big[i] = r() * 3;
  const want: number[] = [];
  const calls = (): number[] => [
    wasm.klDivergence(np, nq, { normalize: true }),
    ...wasm.jensenShannonRows(np, nq, 40, { normalize: true }),
    ref.entropy(small),
    wasm.entropy(big, { normalize: true }),
    ...wasm.crossEntropyRows(big, big, 9000, { normalize: true, eps: 0 }),
    (() => { try { wasm.klDivergence([0.5, NaN, 0.5], small); return 1; } catch { return 0; } })(),
    (() => { try { wasm.entropy(big); return 1; } catch { return 0; } })(),
  ];
  want.push(...calls());
  const env: Env = {
    ws1, ws2, sentinels, nestedCalls: 0,
    nested: () => {
      env.nestedCalls++;
      const got = calls();
      if (!got.every((v, i) => Object.is(v, want[i]))) throw new Error(`nested calls inside a getter changed: ${got} vs ${want}`);
    },
  };
  return env;
}

/** A materialised argument: the object passed, what the library will read, its read counters. */
export interface Arg {
  x: unknown;
  /** What reading x[i] gives (a getter's value; undefined for a hole), or a Cell "throw". */
  read: Cell[];
  /** Read counts of the getter elements (index -> count). */
  counts: Map<number, { n: number }>;
  release: () => void;
  /** Throws if x's content (or its getters and holes) changed since it was made. */
  verify: () => void;
  kind: Container;
}

const TYPED: Record<string, new (n: number) => ArrayLike<number> & { [i: number]: number }> = {
  i32: Int32Array, u8: Uint8Array, u16: Uint16Array, i16: Int16Array, u8c: Uint8ClampedArray,
};

/** Builds the container `kind` from cells (typed containers store the cells' numbers). */
export function materialize(kind: Container, cells: Cell[], env: Env): Arg {
  const n = cells.length;
  const num = (c: Cell): number => {
    const v = c.t === "v" || c.t === "get" ? c.v : NaN;
    return typeof v === "number" ? v : NaN;
  };
  if (kind === "array") {
    const arr: unknown[] = new Array(n);
    const counts = new Map<number, { n: number }>();
    const getters = new Map<number, () => unknown>();
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      if (c.t === "v") arr[i] = c.v;
      else if (c.t === "get" || c.t === "throw") {
        const count = { n: 0 };
        counts.set(i, count);
        const get = c.t === "throw"
          ? () => { count.n++; throw c.err; }
          : () => { count.n++; if (c.reenter) env.nested(); return c.v; };
        getters.set(i, get);
        Object.defineProperty(arr, i, { get, enumerable: true, configurable: true });
      }
      // holes: never assigned (new Array(n) has holes)
    }
    const verify = () => {
      if (arr.length !== n) throw new Error(`array length changed: ${arr.length} vs ${n}`);
      for (let i = 0; i < n; i++) {
        const c = cells[i], d = Object.getOwnPropertyDescriptor(arr, i);
        if (c.t === "hole") { if (d !== undefined) throw new Error(`hole at ${i} was filled`); continue; }
        if (d === undefined) throw new Error(`element ${i} was deleted`);
        if (c.t === "v") { if (!Object.is(d.value, c.v)) throw new Error(`element ${i} changed: ${String(d.value)} vs ${String(c.v)}`); }
        else if (d.get !== getters.get(i)) throw new Error(`getter at ${i} was replaced`);
      }
    };
    const read: Cell[] = cells.map((c) => (c.t === "hole" ? { t: "v", v: undefined } : c.t === "get" ? { t: "v", v: c.v } : c));
    return { x: arr, read, counts, release: () => {}, verify, kind };
  }
  let x: Float64Array | Float32Array | ArrayLike<number>;
  let release = () => {};
  switch (kind) {
    case "f64": x = new Float64Array(n); break;
    case "f64sub": x = new Float64Array(n + 5).subarray(3, 3 + n); break;
    case "f32": x = new Float32Array(n); break;
    case "ws64": case "ws64b": {
      const ws = kind === "ws64" ? env.ws1 : env.ws2, v = ws.f64(n);
      x = v; release = () => ws.release(v); break;
    }
    case "ws32": { const v = env.ws1.f32(n); x = v; release = () => env.ws1.release(v); break; }
    case "ws64sub": { const v = env.ws1.f64(n + 1); x = v.subarray(1); release = () => env.ws1.release(v); break; }
    case "ws32sub": { const v = env.ws1.f32(n + 1); x = v.subarray(1); release = () => env.ws1.release(v); break; }
    default: x = new TYPED[kind](n);
  }
  const t = x as { [i: number]: number; length: number };
  for (let i = 0; i < n; i++) t[i] = num(cells[i]);
  const snapshot = Array.from(t as ArrayLike<number>);
  const read: Cell[] = snapshot.map((v) => ({ t: "v", v }));
  const verify = () => {
    for (let i = 0; i < n; i++) {
      if (!Object.is(t[i], snapshot[i])) throw new Error(`${kind} input changed at ${i}: ${t[i]} vs ${snapshot[i]}`);
    }
  };
  return { x, read, counts: new Map(), release, verify, kind };
}

export function verifySentinels(env: Env): void {
  for (const { view, copy } of env.sentinels) {
    for (let i = 0; i < view.length; i++) {
      if (!Object.is(view[i], copy[i])) throw new Error(`a live workspace view changed at ${i}: ${view[i]} vs ${copy[i]}`);
    }
  }
}

// ------------------------------------------------------------------ options
export interface Opts { base?: number; normalize?: boolean; eps?: number }
export const logBase = (o: Opts): number => (o.base === undefined ? 1 : Math.log(o.base));

// ------------------------------------------------------------------ the oracle
const sumTol = (kind: Container) => (kind === "f32" || kind === "ws32" || kind === "ws32sub" ? 3.4526698300124393e-4 : 1.4901161193847656e-8);

/** Neumaier sum (the oracle's only refinement over the plain loop). */
class Acc {
  s = 0; c = 0;
  add(v: number) { const t = this.s + v; this.c += Math.abs(this.s) >= Math.abs(v) ? (this.s - t) + v : (v - t) + this.s; this.s = t; }
  get value() { return Number.isFinite(this.s) ? this.s + this.c : this.s; }
}

/**
 * The error the rule says, from what the library reads (p, q as `read` cells), or undefined:
 * a throwing getter (in reading order: all of p, then q), then the first bad value by index
 * over p and q (p before q at an index), then with normalize: true the sums (0 or overflow)
 * in row order, p before q.
 */
export function expectedValueError(fn: Fn, p: Cell[], q: Cell[] | undefined, rows: number, cols: number, o: Opts):
  { cls: string; msg: string } | undefined {
  for (const x of q === undefined ? [p] : [p, q]) {
    const c = x.find((c) => c.t === "throw");
    if (c !== undefined && c.t === "throw") return { cls: "Error", msg: c.err.message };
  }
  const bad = (c: Cell, name: string, i: number) => {
    const v = (c as { v: unknown }).v;
    if (typeof v !== "number") return { cls: "TypeError", msg: `${fn}: ${name}[${i}] is not a number (${v === null ? "null" : typeof v})` };
    if (v >= 0 && v < Infinity) return undefined;
    const what = Number.isNaN(v) ? "NaN" : v === Infinity || v === -Infinity ? "infinite" : "negative";
    return { cls: "RangeError", msg: `${fn}: ${name}[${i}] is ${what} (${v}); values must be finite and >= 0` };
  };
  for (let i = 0; i < p.length; i++) {
    const e = bad(p[i], "p", i) ?? (q === undefined ? undefined : bad(q[i], "q", i));
    if (e !== undefined) return e;
  }
  if (o.normalize === true) {
    const nums = (x: Cell[]) => x.map((c) => (c as { v: number }).v);
    const P = nums(p), Q = q === undefined ? undefined : nums(q);
    for (let r = 0; r < rows; r++) {
      for (const [name, x] of Q === undefined ? [["p", P]] as const : [["p", P], ["q", Q]] as const) {
        let s = 0;
        for (let i = r * cols; i < (r + 1) * cols; i++) s += x[i];
        const where = rows > 1 ? ` row ${r} of ${name}` : ` ${name}`;
        // a sum that overflows normalises (by the row scaled down: 9a7b0f4); only 0 cannot
        if (s === 0) return { cls: "RangeError", msg: `${fn}: cannot normalize:${where} sums to 0` };
      }
    }
  }
  return undefined;
}

/** The default check (normalize left out): the first row sum, p before q, not 1 within the container's tolerance. */
export function expectedSumError(fn: Fn, P: number[], Q: number[] | undefined, pKind: Container, qKind: Container,
                                 rows: number, cols: number): { cls: string; msg: string; sum: number } | undefined {
  for (let r = 0; r < rows; r++) {
    for (const [name, x, kind] of Q === undefined ? [["p", P, pKind]] as const : [["p", P, pKind], ["q", Q, qKind]] as const) {
      let s = 0;
      for (let i = r * cols; i < (r + 1) * cols; i++) s += x[i];
      if (Math.abs(s - 1) <= sumTol(kind)) continue;
      const where = rows > 1 ? `row ${r} of ${name}` : name;
      return { cls: "RangeError", msg: `${fn}: ${where} sums to #, not 1; pass normalize: true for counts or weights, or normalize: false to compute as given`, sum: s };
    }
  }
  return undefined;
}

/** Per row: the measure in nats by a plain loop (normalize true: divided by plain sums), and S = sum(|term| + x). */
export function oracleRows(m: Measure, P: number[], Q: number[] | undefined, rows: number, cols: number, o: Opts):
  { value: number[]; S: number[] } {
  const eps = o.eps ?? 1e-15, value: number[] = [], S: number[] = [];
  for (let r = 0; r < rows; r++) {
    let sp = 1, sq = 1, dp = 1, dq = 1;
    if (o.normalize === true) {
      sp = 0; sq = 0;
      for (let i = r * cols; i < (r + 1) * cols; i++) { sp += P[i]; if (Q) sq += Q[i]; }
      // a sum beyond the largest double: the row times 2^-128, summed again
      if (sp === Infinity) { dp = 2 ** -128; sp = 0; for (let i = r * cols; i < (r + 1) * cols; i++) sp += P[i] * dp; }
      if (sq === Infinity && Q) { dq = 2 ** -128; sq = 0; for (let i = r * cols; i < (r + 1) * cols; i++) sq += Q[i] * dq; }
    }
    const acc = new Acc();
    let s = 0;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const x = (P[i] * dp) / sp, y = Q ? (Q[i] * dq) / sq : 0;
      let t = 0;
      if (m === "entropy") { if (x > 0) t = -x * Math.log(x); s += Math.abs(t) + x; }
      else if (m === "kl" || m === "cross") {
        if (x > 0) {
          const c = Math.min(Math.max(y, eps), 1);
          const ratio = x / c; // log(x / c) as log x - log c where the quotient over- or underflows
          t = m === "kl" ? x * (ratio < Infinity && ratio >= 2.2250738585072014e-308 ? Math.log(ratio) : Math.log(x) - Math.log(c)) : -x * Math.log(c);
          s += Math.abs(t) + x;
        } else if (P[i] > 0 && Q![i] === 0 && eps === 0) {
          t = Infinity; // p > 0 whose quotient underflowed: p / sp > 0 exactly, against q = 0 unclipped
        }
      } else {
        const mm = x / 2 + y / 2;
        if (x > 0) { const u = (x * Math.log(x / mm)) / 2; t += u; s += Math.abs(u) + x / 2; }
        if (y > 0) { const u = (y * Math.log(y / mm)) / 2; t += u; s += Math.abs(u) + y / 2; }
      }
      acc.add(t);
    }
    value.push(acc.value);
    S.push(s);
  }
  return { value, S };
}

/**
 * |a - b| within tol (in nats, divided by |ln base|), for measures; for the distance
 * (sqrt of the measure) |sqrt x - sqrt y| <= min(sqrt tol, tol / (sqrt x + sqrt y)).
 * Non-finite values must be identical.
 */
export function within(a: number, b: number, tol: number, root: boolean): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b);
  const d = Math.abs(a - b);
  if (!root) return d <= tol;
  return d <= Math.min(Math.sqrt(tol), tol / (a + b || 1)) || d <= tol;
}

// ------------------------------------------------------------------ arbitraries
const shapeArb = fc.oneof(
  { weight: 30, arbitrary: fc.record({ rows: fc.integer({ min: 1, max: 6 }), cols: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 30, arbitrary: fc.record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 12, arbitrary: fc.record({ rows: fc.integer({ min: 1, max: 2 }), cols: fc.integer({ min: 200, max: 5000 }) }) },
  { weight: 3, arbitrary: fc.record({ rows: fc.constant(1), cols: fc.integer({ min: 8185, max: 20000 }) }) },
  { weight: 3, arbitrary: fc.record({ rows: fc.integer({ min: 150, max: 400 }), cols: fc.integer({ min: 21, max: 60 }) }) },
);

const containerArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Container>("f64", "array", "ws64") },
  { weight: 3, arbitrary: fc.constantFrom<Container>("f32", "ws32") },
  { weight: 2, arbitrary: fc.constantFrom<Container>("f64sub", "ws64sub", "ws32sub", "ws64b") },
  { weight: 1, arbitrary: fc.constantFrom<Container>("i32", "u8", "u16", "i16", "u8c") },
);

const faultArb: fc.Arbitrary<Fault> = fc.record({
  target: fc.constantFrom("p", "q", "both") as fc.Arbitrary<Fault["target"]>,
  where: fc.constantFrom<Where>("random", "random", "first", "last", "rowStart", "rowEnd", "chunk"),
  frac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  value: fc.constantFrom(...FAULT_VALUES),
});

export interface Case {
  fn: Fn;
  family: Family;
  rows: number;
  cols: number;
  pKind: Container;
  qKind: Container;
  /** q is the very object p (family "same" only). */
  alias: boolean;
  normalize: boolean | undefined;
  base: number | undefined;
  eps: number | undefined;
  faults: Fault[];
  /** Counting getters on plain arrays: fractions of the length, in p or q. */
  getters: Array<{ target: "p" | "q"; frac: number }>;
  reenter: boolean;
  seed: number;
}

export function caseArb(faults: { min: number; max: number }): fc.Arbitrary<Case> {
  return fc.record({
    fn: fc.constantFrom(...FNS),
    family: fc.constantFrom(...FAMILIES),
    shape: shapeArb,
    pKind: containerArb,
    qKind: fc.option(containerArb, { freq: 2, nil: undefined }),
    alias: fc.boolean(),
    normalize: fc.constantFrom(undefined, true, false),
    base: fc.constantFrom(undefined, undefined, 2, 10, 0.5, 7.5),
    eps: fc.constantFrom(undefined, undefined, 0, 1e-15, 1e-10, 1e-300, 0.01, 5e-324),
    faults: fc.array(faultArb, { minLength: faults.min, maxLength: faults.max }),
    getters: fc.array(fc.record({ target: fc.constantFrom("p", "q") as fc.Arbitrary<"p" | "q">, frac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }) }), { maxLength: 6 }),
    reenter: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  }).map((c) => {
    const rows = isRows(c.fn) ? c.shape.rows : 1, cols = isRows(c.fn) ? c.shape.cols : c.shape.rows * c.shape.cols;
    // counts are for normalize: true most of the time; integer containers hold the count families
    const normalize = c.family === "counts" && c.normalize === undefined && c.seed % 4 !== 0 ? true : c.normalize;
    return {
      fn: c.fn, family: c.family, rows, cols, pKind: c.pKind, qKind: c.qKind ?? c.pKind,
      alias: c.alias && c.family === "same" && c.faults.length === 0 && c.qKind === undefined,
      normalize, base: c.base, eps: takesEps(c.fn) ? c.eps : undefined,
      faults: c.faults, getters: c.getters, reenter: c.reenter, seed: c.seed,
    };
  });
}

export function options(c: Case): Opts | undefined {
  const o: Opts = {};
  if (c.base !== undefined) o.base = c.base;
  if (c.normalize !== undefined) o.normalize = c.normalize;
  if (c.eps !== undefined) o.eps = c.eps;
  return Object.keys(o).length === 0 ? undefined : o;
}

export function describeCase(c: Case): string {
  return JSON.stringify(c);
}

/** The cells of p and q for a case: clean, or with its faults and getters. */
export function cellsOf(c: Case, faulted: boolean): { p: Cell[]; q: Cell[] } {
  const [P, Q] = familyValues(c.family, c.rows, c.cols, c.seed);
  const p: Cell[] = Array.from(P, (v) => ({ t: "v", v }));
  const q: Cell[] = Array.from(Q, (v) => ({ t: "v", v }));
  if (!faulted) return { p, q };
  const n = c.rows * c.cols;
  for (const g of c.getters) {
    const x = g.target === "p" ? p : q, i = Math.min(n - 1, Math.floor(g.frac * n));
    const v = (x[i] as { v: unknown }).v;
    x[i] = { t: "get", v, reenter: c.reenter };
  }
  for (const f of c.faults) {
    const i = faultIndex(f, c.rows, c.cols);
    for (const [name, x] of [["p", p], ["q", q]] as const) {
      if (f.target !== name && f.target !== "both") continue;
      x[i] = faultCell(f.value, `${name}[${i}]`, c.reenter);
    }
  }
  return { p, q };
}
