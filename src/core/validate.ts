// Argument checks shared by the WebAssembly facade and the pure-TS reference,
// so that both throw the same errors for the same bad input.
import { Sum } from "./sum.js";

/**
 * A vector of numbers as the functions accept it: a Float64Array or Float32Array (the
 * float32 kernels take Float32Array pairs), another numeric typed array (read as
 * float64), or an array of numbers. BigInt arrays, DataViews and other array-likes are
 * rejected with a TypeError.
 */
export type Vector = Float64Array | Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array
  | Int32Array | Uint32Array | readonly number[];

/** Options of entropy and of every measure: the unit, and how sums other than 1 are treated. */
export interface EntropyOptions {
  /** Logarithm base: nats by default (e), 2 gives bits, 10 gives hartleys/dits. */
  base?: number;
  /**
   * How sums other than 1 are treated.
   * - left out (the default): every vector (every row) must sum to 1 within √ε of its
   *   precision (1.5e-8 for float64, 3.5e-4 for float32 input: NumPy's rule for
   *   probabilities); otherwise a RangeError says what it sums to. Checked in the same pass.
   * - `true`: divide by the sum first, as `scipy.stats.entropy` does (counts, weights).
   * - `false`: compute the formula as given (the seed's behaviour, no check).
   */
  normalize?: boolean;
}

/** Options of klDivergence and crossEntropy: EntropyOptions and the clip of q. */
export interface DivergenceOptions extends EntropyOptions {
  /** q is clipped to [eps, 1] (to [eps * sum q, sum q] before normalising) where p > 0. Default 1e-15 (the seed's clip); 0 gives SciPy's exact answer (+Infinity where q = 0 < p). */
  eps?: number;
}

/** Options of the Jensen–Shannon measures (no clip: M > 0 wherever p or q is). */
export interface JensenShannonOptions extends EntropyOptions {
  /**
   * The weights [π, 1 − π] of P and Q: JS_π = π KL(P‖M) + (1 − π) KL(Q‖M), M = πP + (1 − π)Q.
   * Two finite numbers ≥ 0 summing to 1 within 1.5e-8 (used as given). Default [½, ½].
   */
  weights?: readonly number[] | Float64Array;
}

/** How a measure treats sums: "check" (the default), normalise first, or compute as given. */
export type Normalize = "check" | true | false;

/** Parsed options: what every implementation needs to compute a result. */
export interface Parsed {
  /** Divide the result in nats by this (1 for nats). */
  logBase: number;
  normalize: Normalize;
  eps: number;
  /** The order α (Rényi) or q (Tsallis) of the divergence family; undefined elsewhere. */
  alpha?: number;
  /** Checked weights (Jensen–Shannon); undefined means equal weights. */
  weights?: Float64Array;
}

const KNOWN = ["base", "normalize"] as const;
const KNOWN_EPS = ["base", "normalize", "eps"] as const;
const KNOWN_WEIGHTS = ["base", "normalize", "weights"] as const;

// alpha and weights as own keys: an options object that leaves them out never reads Object.prototype's
const DEFAULTS: Parsed = Object.freeze({ logBase: 1, normalize: "check", eps: 1e-15, alpha: undefined, weights: undefined });

/** Options of a measure: `base`, `normalize` and `eps` (with takesEps) or `weights` (with takesWeights, k weights). */
export function parseOptions(fn: string, opts: DivergenceOptions | JensenShannonOptions | undefined, takesEps: boolean,
                             takesWeights = false, k = 2): Parsed {
  return parseMeasureOptions(fn, opts, takesEps ? KNOWN_EPS : takesWeights ? KNOWN_WEIGHTS : KNOWN, k);
}

/** parseOptions over any list of known keys among base, normalize, eps and weights (k of them). */
export function parseMeasureOptions(fn: string, opts: object | undefined, known: readonly string[], k = 2): Parsed {
  if (opts === undefined || opts === null) return DEFAULTS;
  const o = checkOptions(fn, opts as DivergenceOptions & JensenShannonOptions, known);
  const logBase = logBaseOf(fn, o.base);
  let eps = 1e-15;
  if (o.eps !== undefined) {
    eps = o.eps;
    if (typeof eps !== "number" || !(eps >= 0 && eps < 1)) {
      throw new RangeError(`${fn}: eps must be a number in [0, 1), got ${show(eps)}`);
    }
  }
  const normalize = flag(fn, "normalize", o.normalize);
  const weights = o.weights === undefined ? undefined : parseWeights(fn, o.weights, k);
  return { logBase, normalize: normalize ?? "check", eps, alpha: undefined, weights };
}

/**
 * Weights of k distributions (k = 0: any length, checked later): read once into a Float64Array, each a finite
 * number >= 0 (the values' errors, named weights[i]), summing to 1 within 1.5e-8 (compensated sum).
 */
export function parseWeights(fn: string, w: unknown, k: number): Float64Array {
  const v = vector(fn, "weights", w);
  const i = findBad(v);
  if (i >= 0) throw badValue(fn, "weights", v, i);
  checkWeightCount(fn, v.length, k);
  const acc = new Sum();
  for (let j = 0; j < v.length; j++) acc.add(v[j]);
  if (!(Math.abs(acc.value - 1) <= F64_TOLERANCE)) {
    throw new RangeError(`${fn}: weights sum to ${formatSum(acc.value)}, not 1`);
  }
  return Float64Array.from(v);
}

/** Throws unless there are k weights (k = 0: no count to check yet). */
export function checkWeightCount(fn: string, n: number, k: number): void {
  if (k > 0 && n !== k) throw new RangeError(`${fn}: weights must have ${k} values (one per distribution), got ${n}`);
}

/** An order α (Rényi) or q (Tsallis): a number >= 0, Infinity only where `infinite`. */
export function checkOrder(fn: string, name: string, v: unknown, infinite: boolean): number {
  if (typeof v === "number" && v >= 0 && (infinite || v < Infinity)) return v;
  throw new RangeError(`${fn}: ${name} must be a${infinite ? "" : " finite"} number >= 0${infinite ? " (Infinity allowed)" : ""}, got ${show(v)}`);
}

/** A value as an error message shows it: strings quoted (so "0" is not mistaken for 0). */
export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v !== "object") return String(v);
  return Array.isArray(v) ? "an array" : `an object (${(v as object).constructor?.name ?? "Object"})`;
}

/** A boolean option: undefined (left out) or a boolean; anything else is a TypeError. */
export function flag(fn: string, name: string, v: unknown): boolean | undefined {
  if (v === undefined || typeof v === "boolean") return v;
  throw new TypeError(`${fn}: ${name} must be true or false, got ${show(v)}`);
}

/** How far from 1 a sum may be for the default check: sqrt(epsilon) of the input's precision
 *  (NumPy's rule for probabilities in Generator.choice). */
export function sumTolerance(x: Vector): number {
  return x instanceof Float32Array ? F32_TOLERANCE : F64_TOLERANCE;
}
export const F64_TOLERANCE = 1.4901161193847656e-8;
export const F32_TOLERANCE = 3.4526698300124393e-4;

/**
 * Throws unless row `row` of x sums to 1 within sumTolerance (the default, normalize left
 * out). `s` is the sum an engine took in its pass (float32 kernels add in float32 within a
 * block): where it is not well inside the tolerance, the row is summed again here, in
 * float64 with compensation, and that sum decides and is the one the message names, so
 * both builds say the same.
 */
export function checkSumIsOne(fn: string, name: string, x: Vector, s: number, row: number, rows: number, cols: number): void {
  const tol = sumTolerance(x);
  if (Math.abs(s - 1) <= tol / 2) return;
  const acc = new Sum();
  for (let i = row * cols, end = i + cols; i < end; i++) acc.add(x[i]);
  s = acc.value;
  if (Math.abs(s - 1) <= tol) return;
  const where = rows > 1 ? `row ${row} of ${name}` : name;
  throw new RangeError(`${fn}: ${where} sums to ${formatSum(s)}, not 1; pass normalize: true for counts or weights, ` +
    "or normalize: false to compute as given");
}

/** A sum as people read it: 7 significant digits, no trailing zeros; all of its digits
 *  where 7 would round it to 1 (it is then off by less than 5e-8, but off). */
function formatSum(s: number): string {
  const short = Number(s.toPrecision(7));
  return Number.isFinite(s) && short !== 1 ? String(short) : String(s);
}

function isDetached(x: ArrayBufferView): boolean {
  if (x.byteLength !== 0) return false;
  try {
    new Uint8Array(x.buffer);
    return false;
  } catch {
    return true;
  }
}

/** Throws unless x is a non-empty Float64Array, Float32Array, other numeric typed array or number[]. */
export function checkVector(fn: string, name: string, x: unknown): asserts x is Vector {
  if ((x instanceof Float64Array || x instanceof Float32Array) && x.length > 0) return;
  if (ArrayBuffer.isView(x)) {
    if (x instanceof DataView || x instanceof BigInt64Array || x instanceof BigUint64Array) {
      throw new TypeError(`${fn}: ${name} must be a Float64Array, Float32Array or number[], got ${x.constructor.name}`);
    }
    if (isDetached(x)) {
      throw new TypeError(`${fn}: ${name} is a view of a disposed workspace (its memory is detached)`);
    }
  } else if (!Array.isArray(x)) {
    const what = x === null ? "null" : typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
    throw new TypeError(`${fn}: ${name} must be a Float64Array, Float32Array or number[], got ${what}`);
  }
  if ((x as ArrayLike<number>).length === 0) throw new RangeError(`${fn}: ${name} is empty`);
}

export function checkSameLength(fn: string, p: Vector, q: Vector, names: readonly [string, string] = ["p", "q"]): void {
  if (p.length !== q.length) {
    throw new RangeError(`${fn}: ${names[0]} and ${names[1]} must have the same length, got ${p.length} and ${q.length}`);
  }
}

/** Validates cols for a row-major matrix of n elements; returns the row count. */
export function checkCols(fn: string, n: number, cols: unknown): number {
  if (typeof cols !== "number" || !Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${fn}: cols must be a positive integer, got ${show(cols)}`);
  }
  if (n % cols !== 0) throw new RangeError(`${fn}: cols (${cols}) does not divide the length (${n})`);
  return n / cols;
}

/** The first index whose value is not a finite number >= 0 (-0 is fine), or -1. */
export function findBad(x: Vector, from = 0, to = x.length): number {
  for (let i = from; i < to; i++) {
    const v = x[i];
    if (typeof v !== "number" || !(v >= 0 && v < Infinity)) return i;
  }
  return -1;
}

/** Copies made by vector(): where the first element that was not a number stood, and its type. */
const nonNumbers = new WeakMap<object, { index: number; type: string }>();

/**
 * What the engines read for argument `name`: a typed array as it is; a plain array
 * (or anything else checkVector accepts) copied into a Float64Array, reading each
 * element exactly once, before any computation starts (so a getter that calls the
 * library cannot see or disturb a call in progress). An element that is not a number
 * becomes NaN in the copy, and badValue still reports it by its type.
 */
// ------------------------------------------------------------------ typed arrays, read through their slots
// %TypedArray%.prototype's accessors read an array's internal slots: an own `length`, `buffer` or `constructor` on
// the array, or a subclass's species, runs no code through them. The drivers read their inputs this way while a
// call's shared scratch is in use, where code run from such a property could call the library again and
// overwrite it (subarray and slice would ask the array's constructor for the species of their result).
const TYPED = /* @__PURE__ */ Object.getPrototypeOf(Uint8Array.prototype) as object;
const slot = (key: PropertyKey) => Object.getOwnPropertyDescriptor(TYPED, key)!.get! as (this: unknown) => never;
const lengthSlot = /* @__PURE__ */ slot("length"), bufferSlot = /* @__PURE__ */ slot("buffer");
const offsetSlot = /* @__PURE__ */ slot("byteOffset"), tagSlot = /* @__PURE__ */ slot(Symbol.toStringTag);
type Typed = Float64Array | Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;
type View = new (b: ArrayBufferLike, offset: number, length: number) => Typed;
/** The intrinsic constructors by tag; Float16Array where the engine has it (Node >= 24, recent browsers). */
const INTRINSIC = /* @__PURE__ */ ((f16?: View): Record<string, View> => ({
  Float64Array, Float32Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  ...(f16 === undefined ? {} : { Float16Array: f16 }),
}))((globalThis as { Float16Array?: View }).Float16Array);

/** x's length (a typed array's from its slot). */
export const lengthOf = (x: Vector): number => (ArrayBuffer.isView(x) ? lengthSlot.call(x) : x.length);
/** A typed array's buffer and byte offset, from its slots. */
export const viewBuffer = (x: ArrayBufferView): ArrayBufferLike => bufferSlot.call(x);
export const viewOffset = (x: ArrayBufferView): number => offsetSlot.call(x);

/** x[start, start + count) of a typed array: a fresh view of the same memory and element type (of a type not in
 *  the list above, a float64 copy: indexed reads run no code either). */
export function range(x: Vector, start: number, count: number): Vector {
  const C = INTRINSIC[tagSlot.call(x) as string];
  if (C === undefined) {
    const c = new Float64Array(count);
    for (let i = 0; i < count; i++) c[i] = x[start + i];
    return c;
  }
  return new C(bufferSlot.call(x), offsetSlot.call(x) + start * (C as unknown as typeof Float64Array).BYTES_PER_ELEMENT, count);
}

/** A copy of a typed array, of its element type. */
export function copyOf(x: Vector): Vector {
  const v = range(x, 0, lengthOf(x)) as Float64Array, c = new (v.constructor as typeof Float64Array)(v.length);
  c.set(v);
  return c;
}

export function vector(fn: string, name: string, x: unknown): Vector {
  checkVector(fn, name, x);
  if (ArrayBuffer.isView(x)) return x;
  const src = x as ArrayLike<unknown>, n = src.length, out = new Float64Array(n);
  let first = -1, type = "";
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (typeof v === "number") out[i] = v;
    else {
      out[i] = NaN;
      if (first < 0) { first = i; type = v === null ? "null" : typeof v; }
    }
  }
  if (first >= 0) nonNumbers.set(out, { index: first, type });
  return out;
}

/** The type of x[i] if it is not a number: as read, or as it was before vector() copied it. */
export function nonNumberType(x: Vector, i: number): string | undefined {
  const copied = nonNumbers.get(x);
  if (copied?.index === i) return copied.type;
  const v: unknown = x[i];
  return typeof v === "number" ? undefined : v === null ? "null" : typeof v;
}

/** The error for x[i], which findBad reported. */
export function badValue(fn: string, name: string, x: Vector, i: number): Error {
  const v: unknown = x[i], type = nonNumberType(x, i);
  if (type !== undefined) return new TypeError(`${fn}: ${name}[${i}] is not a number (${type})`);
  const what = Number.isNaN(v) ? "NaN" : v === Infinity || v === -Infinity ? "infinite" : "negative";
  return new RangeError(`${fn}: ${name}[${i}] is ${what} (${v}); values must be finite and >= 0`);
}

/** Throws for the first bad value by index (p before q at the same index); returns if there is none. */
export function throwFirstBad(fn: string, p: Vector, q?: Vector): void {
  const i = findBad(p);
  const j = q === undefined ? -1 : findBad(q, 0, i < 0 ? q.length : i + 1);
  if (j >= 0 && (i < 0 || j < i)) throw badValue(fn, "q", q!, j);
  if (i >= 0) throw badValue(fn, "p", p, i);
}

/** Throws unless a row sum can normalise: it must not be 0. (A sum that overflows can:
 *  the twin normalises such a row by the sum of the row scaled down by a power of two.) */
function checkSum(fn: string, name: string, s: number, row: number, rows: number): void {
  if (s > 0) return;
  throw new RangeError(`${fn}: cannot normalize:${rows > 1 ? ` row ${row} of ${name}` : ` ${name}`} sums to 0`);
}

/** A row whose terms reach +Infinity and -Infinity has no value: said the same way by both builds. */
export function throwIfNaN(fn: string, out: Float64Array): void {
  for (let r = 0; r < out.length; r++) {
    if (Number.isNaN(out[r])) throw new RangeError(`${fn}: the sum overflows the range of doubles (terms of both signs reach infinity)`);
  }
}

/** The normalising sums' checks, in row order, p before q within a row. */
export function checkSums(fn: string, sp: Float64Array, sq: Float64Array | undefined): void {
  for (let r = 0; r < sp.length; r++) {
    checkSum(fn, "p", sp[r], r, sp.length);
    if (sq !== undefined) checkSum(fn, "q", sq[r], r, sp.length);
  }
}

/** Throws unless every x[i] is a finite number (grids, samples: any sign). */
export function checkFinite(fn: string, name: string, x: Vector): void {
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (typeof v === "number" && v - v === 0) continue;
    const type = nonNumberType(x, i);
    if (type !== undefined) throw new TypeError(`${fn}: ${name}[${i}] is not a number (${type})`);
    throw new RangeError(`${fn}: ${name}[${i}] is ${Number.isNaN(v as number) ? "NaN" : "infinite"}; values must be finite`);
  }
}

/** A Float64Array copy of x, each value checked in the same pass (checkFinite's errors). */
export function finiteCopy(fn: string, name: string, x: Vector): Float64Array {
  const n = x.length, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = x[i];
    if (typeof v !== "number" || !(v - v === 0)) checkFinite(fn, name, x);
    out[i] = v as number;
  }
  return out;
}

/** Throws unless v is a finite number (and > 0 when positive is set). */
export function checkNumber(fn: string, name: string, v: unknown, positive = false): asserts v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || (positive && !(v > 0))) {
    throw new RangeError(`${fn}: ${name} must be a finite number${positive ? " > 0" : ""}, got ${show(v)}`);
  }
}

/**
 * The options object's own enumerable keys, each read once, into a null-prototype
 * copy: inherited keys (Object.prototype.eps = 0.5) are never seen, unknown own keys
 * are a TypeError, and getters run once, before any computation starts.
 */
export function checkOptions<T extends object>(fn: string, opts: T | undefined, known: readonly string[], within?: string): Partial<T> {
  if (opts === undefined || opts === null) return Object.create(null);
  if (typeof opts !== "object") throw new TypeError(`${fn}: ${within ?? "options"} must be an object, got ${typeof opts}`);
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) {
      // an option's own object (within: its name) says where the key was and which it takes
      throw new TypeError(within === undefined ? `${fn}: unknown option '${key}'` : `${fn}: unknown key '${key}' in ${within} (it takes ${known.join(", ")})`);
    }
    out[key] = (opts as Record<string, unknown>)[key];
  }
  return out as Partial<T>;
}

/** An output array: `out` if given (checked: a Float64Array of length n), else a new one. */
export function outArray(fn: string, out: Float64Array | undefined, n: number): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array)) throw new TypeError(`${fn}: out must be a Float64Array`);
  if (out.length !== n) throw new RangeError(`${fn}: out must have length ${n}, got ${out.length}`);
  return out;
}

/** ln(base) for a `base` option (1, nats, when it is undefined); throws unless base is finite, > 0 and != 1. */
export function logBaseOf(fn: string, base: unknown): number {
  if (base === undefined) return 1;
  if (typeof base !== "number" || !Number.isFinite(base) || base <= 0 || base === 1) {
    throw new RangeError(`${fn}: base must be a finite number > 0 and != 1, got ${show(base)}`);
  }
  return Math.log(base);
}
