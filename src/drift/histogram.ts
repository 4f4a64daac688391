// Histograms of raw samples with NumPy's convention, over a binning engine (WebAssembly
// or the pure-TS twin): `histogram()`, and the mergeable `Histogram` accumulator with its
// JSON form. Also the engine interface and the plan (edges checked once, equal width
// detected) that both engines take.
import {
  type Vector, vector, checkFinite, checkOptions, outArray, nonNumberType, show,
} from "../core/validate.js";

// ------------------------------------------------------------------ engine interface
/**
 * Edges prepared once: a checked copy (-0 stored as 0), and whether they are nearly equal
 * width: every interior edge within a quarter of a bin width w = (e_n - e_0) / bins of the
 * grid e_0 + i w, and w at least 2^-30 of the edges' magnitude (so that rounding is far
 * below these margins). Then floor((x - e_0) norm) is off by at most one from the bin, and
 * one correction step against the edges makes it exact (NumPy's equal-bin step); where
 * t = (x - e_0) norm is farther than `eps` from an integer, floor(t) is the bin itself.
 */
export interface BinPlan {
  readonly edges: Float64Array;
  readonly bins: number;
  /** edges[0] and edges[bins]. */
  readonly lo: number;
  readonly hi: number;
  /** bins / (hi - lo) (only used when uniform). */
  readonly norm: number;
  readonly uniform: boolean;
  /** The largest distance of an edge from the grid, in bin widths, plus 2^-16 (rounding); only when uniform. */
  readonly eps: number;
}

/** What one engine call saw besides the bin counts. */
export interface BinTally {
  /** Samples below edges[0] (-Infinity included). */
  under: number;
  /** Samples above edges[bins] (+Infinity included). */
  over: number;
  /** NaN samples (and, in copies of plain arrays, entries that were not numbers). */
  nan: number;
  /** Index of the first NaN sample, -1 if none. */
  firstNaN: number;
}

/**
 * A binning engine. `count` adds the bin counts of every non-NaN sample of x within
 * [edges[0], edges[bins]] into `counts` (length plan.bins; bin i is [e_i, e_{i+1}), the
 * last bin [e_{n-1}, e_n]; samples compared as float64, float32 widened exactly) and
 * returns the rest. It never throws for sample values: NaN policy is the caller's.
 * Every engine gives identical counts for identical input.
 */
export interface BinEngine {
  count(fn: string, x: Vector, plan: BinPlan, counts: Float64Array): BinTally;
}

// ------------------------------------------------------------------ public types
/** Bin counts of samples, with what fell outside the edges. */
export interface Binned {
  /** counts[i]: samples in [edges[i], edges[i + 1]) ([edges[n-1], edges[n]] for the last bin). */
  counts: Float64Array;
  /** Samples below edges[0], -Infinity included. */
  under: number;
  /** Samples above the last edge, +Infinity included. */
  over: number;
  /** NaN samples (0 unless `nan: "ignore"`). */
  nan: number;
}

/** Options of {@link HistogramApi.histogram}. */
export interface HistogramOptions {
  /** A Float64Array of edges.length - 1 elements to hold the counts (it is overwritten; zeros after an error). */
  out?: Float64Array;
  /** "raise" (the default): a NaN sample is a RangeError naming its index; "ignore": NaN samples are counted in `nan`. */
  nan?: "raise" | "ignore";
}

/** Options of {@link MergeableHistogram.add}. */
export type AddOptions = Pick<HistogramOptions, "nan">;

/** The JSON form of a {@link MergeableHistogram} (`toJSON()`, `fromJSON()`). */
export interface HistogramJSON {
  type: "kl-wasm/histogram";
  version: 1;
  edges: number[];
  counts: number[];
  under: number;
  over: number;
  nan: number;
}

// ------------------------------------------------------------------ checks
/** The smallest bin width (relative to the edges' magnitude) that takes the equal-width path. */
const MIN_WIDTH = 2 ** -30;

/**
 * Checks edges (at least 2, finite numbers, non-decreasing; equal neighbours make a
 * zero-width bin, as NumPy allows) and prepares them for the engines. The copy stores
 * -0 as 0 (they bin alike), so edges survive a JSON round trip bit for bit.
 */
export function planBins(fn: string, edgesIn: unknown, name = "edges"): BinPlan {
  const e = vector(fn, name, edgesIn);
  checkFinite(fn, name, e);
  if (e.length < 2) throw new RangeError(`${fn}: ${name} must hold at least 2 values (one bin), got ${e.length}`);
  const edges = new Float64Array(e.length);
  for (let i = 0; i < e.length; i++) {
    const v = e[i] + 0; // -0 -> 0
    if (i > 0 && v < edges[i - 1]) {
      throw new RangeError(`${fn}: ${name} must be non-decreasing, but ${name}[${i}] = ${v} is below ${name}[${i - 1}] = ${edges[i - 1]}`);
    }
    edges[i] = v;
  }
  const bins = edges.length - 1, lo = edges[0], hi = edges[bins];
  const span = hi - lo, norm = bins / span, w = span / bins;
  // the guess is within one bin if every edge is within w/4 of lo + i w and w is far above
  // the rounding unit of the edges (so that this check itself is exact to ~2^-22 w, and the
  // guess's own rounding, <= 2^-27 for t <= 2^24, is smaller still)
  let uniform = span > 0 && span < Infinity && norm > 0 && norm < Infinity && bins <= 2 ** 24 &&
    w >= Math.max(Math.abs(lo), Math.abs(hi)) * MIN_WIDTH;
  let dev = 0;
  for (let i = 1; uniform && i < bins; i++) {
    const d = Math.abs(edges[i] - (lo + i * w));
    if (!(d <= w / 4)) uniform = false;
    dev = Math.max(dev, d);
  }
  return { edges, bins, lo, hi, norm, uniform, eps: dev / w + 2 ** -16 };
}

/** `nan` option: "raise" (default) or "ignore". */
function nanPolicy(fn: string, v: unknown): boolean {
  if (v === undefined || v === "raise") return false;
  if (v === "ignore") return true;
  const err = typeof v === "string" ? RangeError : TypeError;
  throw new err(`${fn}: nan must be "raise" or "ignore", got ${show(v)}`);
}

/** True for an empty array or typed array that checkVector would accept if it were not empty. */
function isEmpty(x: unknown): boolean {
  if (Array.isArray(x)) return x.length === 0;
  if (!ArrayBuffer.isView(x) || x instanceof DataView || x instanceof BigInt64Array || x instanceof BigUint64Array) return false;
  if ((x as Float64Array).length !== 0) return false;
  try {
    new Uint8Array(x.buffer); // a detached workspace view: left to vector()'s error
    return true;
  } catch {
    return false;
  }
}
const NONE = new Float64Array(0);

/** Samples as the engines read them (plain arrays copied once; an empty sample allowed). */
function samplesOf(fn: string, x: unknown): Vector {
  return isEmpty(x) ? NONE : vector(fn, "samples", x);
}

/**
 * Applies the NaN policy to what an engine saw: an entry of a plain array that was not a
 * number is always a TypeError (the first one by index); a NaN is a RangeError naming the
 * first one unless ignored.
 */
function checkNaN(fn: string, x: Vector, copied: boolean, t: BinTally, ignore: boolean): void {
  if (t.nan === 0) return;
  const nonNumber = (i: number) => {
    const type = nonNumberType(x, i);
    if (type !== undefined) throw new TypeError(`${fn}: samples[${i}] is not a number (${type})`);
  };
  if (!ignore) {
    nonNumber(t.firstNaN);
    throw new RangeError(`${fn}: samples[${t.firstNaN}] is NaN; pass nan: "ignore" to count NaN samples apart`);
  }
  if (!copied) return; // typed arrays hold numbers only
  for (let i = t.firstNaN; i < x.length; i++) if (x[i] !== x[i]) nonNumber(i);
}

// ------------------------------------------------------------------ accumulator
/** Marks the histograms of every copy of this module (Symbol.for: one symbol across bundles and realms). */
const BRAND = Symbol.for("kl-wasm/histogram");
/** The binning engine of each histogram (set by its api's class; not a member, so that the
 *  published declarations need not show the engine's internal types). */
const engines = new WeakMap<object, BinEngine>();
function engineOf(h: object): BinEngine {
  const e = engines.get(h);
  if (e === undefined) throw new TypeError("Histogram.add: create histograms with createHistogram(edges) or an entry's Histogram class");
  return e;
}

/**
 * A mergeable histogram: counts of samples over fixed edges, with what fell below, above
 * and (if ignored) NaN. Counts are integers held exactly in doubles (to 2^53), so any
 * chunking of the data into `add` calls and any order of `merge` give identical counts.
 * Create one with `createHistogram(edges)` or `Histogram.fromJSON(json)` of an api.
 */
export class MergeableHistogram {
  static {
    // the mark merge() knows other copies of this class by (not enumerable, the same in every copy)
    Object.defineProperty(MergeableHistogram.prototype, BRAND, { value: true });
  }
  readonly #plan: BinPlan;
  readonly #counts: Float64Array;
  #under = 0;
  #over = 0;
  #nan = 0;

  /** An empty histogram over `edges` (checked as in `histogram`); the api's class gives it its engine. */
  constructor(edges: Vector) {
    this.#plan = planBins("createHistogram", edges);
    this.#counts = new Float64Array(this.#plan.bins);
  }

  /**
   * Adds the samples (number[], Float64Array, Float32Array or another numeric typed array;
   * empty is fine) to the counts; returns this. NaN: a RangeError naming the first index,
   * and nothing added, unless `{ nan: "ignore" }` (then counted in `nan`). An entry of a
   * plain array that is not a number is a TypeError naming its index, nothing added.
   */
  add(samples: Vector, options?: AddOptions): this {
    const fn = "Histogram.add";
    const x = samplesOf(fn, samples);
    const ignore = nanPolicy(fn, checkOptions(fn, options, ["nan"]).nan);
    const counts = new Float64Array(this.#plan.bins);
    const t = engineOf(this).count(fn, x, this.#plan, counts);
    checkNaN(fn, x, !ArrayBuffer.isView(samples), t, ignore);
    const own = this.#counts;
    for (let i = 0; i < counts.length; i++) own[i] += counts[i];
    this.#under += t.under;
    this.#over += t.over;
    this.#nan += t.nan;
    return this;
  }

  /**
   * Adds another histogram's counts, under, over and nan into this one; returns this.
   * The edges must be identical bit for bit (-0 is stored as 0), else a RangeError;
   * `other` may come from either build (WebAssembly or reference), from another copy of
   * the package (its CommonJS bundle beside the ESM one: read through its `toJSON()` and
   * checked as `fromJSON` checks), or be this histogram.
   */
  merge(other: MergeableHistogram): this {
    const fn = "Histogram.merge";
    if (!(other instanceof MergeableHistogram)) {
      // another copy of this class (a CommonJS bundle beside the ESM one, or the other entry's bundle): read through its
      // toJSON() once, checked as fromJSON checks
      if (other === null || typeof other !== "object" || (other as Record<symbol, unknown>)[BRAND] !== true) {
        throw new TypeError(`${fn}: other must be a Histogram, got ${show(other)}`);
      }
      const j = checkedJSON(fn, (other as MergeableHistogram).toJSON());
      return this.#add(fn, j.plan.edges, j.counts, j.under, j.over, j.nan);
    }
    return this.#add(fn, other.#plan.edges, other.#counts, other.#under, other.#over, other.#nan);
  }

  /** Adds counts over edges `b` (checked equal to this histogram's) to this one. */
  #add(fn: string, b: Float64Array, add: Float64Array, under: number, over: number, nan: number): this {
    const a = this.#plan.edges;
    if (a.length !== b.length) {
      throw new RangeError(`${fn}: the histograms have different edges (${a.length} and ${b.length} edges)`);
    }
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], b[i])) {
        throw new RangeError(`${fn}: the histograms have different edges (edges[${i}] is ${a[i]} and ${b[i]})`);
      }
    }
    const own = this.#counts;
    for (let i = 0; i < own.length; i++) own[i] += add[i];
    this.#under += under;
    this.#over += over;
    this.#nan += nan;
    return this;
  }

  /** A copy of the edges (bins + 1 values, -0 stored as 0). */
  get edges(): Float64Array { return this.#plan.edges.slice(); }
  /** A copy of the counts (one per bin). */
  get counts(): Float64Array { return this.#counts.slice(); }
  /** Samples added below the first edge (-Infinity included). */
  get under(): number { return this.#under; }
  /** Samples added above the last edge (+Infinity included). */
  get over(): number { return this.#over; }
  /** NaN samples added with `nan: "ignore"`. */
  get nan(): number { return this.#nan; }
  /** Every non-NaN sample added: the counts' sum + under + over. */
  get total(): number {
    let s = this.#under + this.#over;
    for (const c of this.#counts) s += c;
    return s;
  }

  /** The JSON form: `{ type: "kl-wasm/histogram", version: 1, edges, counts, under, over, nan }`, numbers exact. */
  toJSON(): HistogramJSON {
    return {
      type: "kl-wasm/histogram", version: 1, edges: Array.from(this.#plan.edges), counts: Array.from(this.#counts),
      under: this.#under, over: this.#over, nan: this.#nan,
    };
  }

  /** @internal Restores the counts of a checked JSON form. */
  protected load(counts: Float64Array, under: number, over: number, nan: number): this {
    this.#counts.set(counts);
    this.#under = under;
    this.#over = over;
    this.#nan = nan;
    return this;
  }
}

/** A histogram's JSON form (an object or its JSON string), checked: see HistogramClass.fromJSON. */
function checkedJSON(fn: string, json: unknown): { plan: BinPlan; counts: Float64Array; under: number; over: number; nan: number } {
  let o = json;
  if (typeof o === "string") {
    try {
      o = JSON.parse(o);
    } catch (e) {
      throw new TypeError(`${fn}: json is not valid JSON (${(e as Error).message})`, { cause: e });
    }
  }
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    throw new TypeError(`${fn}: json must be an object, got ${show(o)}`);
  }
  const j = o as Record<string, unknown>;
  if (j.type !== "kl-wasm/histogram") throw new TypeError(`${fn}: type must be "kl-wasm/histogram", got ${show(j.type)}`);
  if (j.version !== 1) throw new RangeError(`${fn}: version must be 1, got ${show(j.version)}`);
  if (!Array.isArray(j.edges)) throw new TypeError(`${fn}: edges must be an array, got ${show(j.edges)}`);
  const plan = planBins(fn, j.edges);
  if (!Array.isArray(j.counts)) throw new TypeError(`${fn}: counts must be an array, got ${show(j.counts)}`);
  if (j.counts.length !== plan.bins) {
    throw new RangeError(`${fn}: counts must have ${plan.bins} elements (one per bin), got ${j.counts.length}`);
  }
  const counts = new Float64Array(plan.bins);
  for (let i = 0; i < plan.bins; i++) counts[i] = countOf(fn, `counts[${i}]`, j.counts[i]);
  return { plan, counts, under: countOf(fn, "under", j.under), over: countOf(fn, "over", j.over), nan: countOf(fn, "nan", j.nan) };
}

/** A count read from JSON: a non-negative integer (exact: at most 2^53). */
function countOf(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${show(v)}`);
  }
  return v;
}

// ------------------------------------------------------------------ api
/** The histogram functions over one engine (what the entries export). */
export interface HistogramApi {
  /**
   * Counts samples into the bins of `edges` with NumPy's convention (`np.histogram(samples,
   * bins=edges)`): bin i is [edges[i], edges[i+1]) and the last bin [edges[n-1], edges[n]];
   * samples are compared as float64 (float32 widened exactly). Samples below the first edge
   * (-Infinity included) are counted in `under`, above the last (+Infinity included) in
   * `over`, never dropped. Equal edges make a zero-width bin that stays empty (unless it is
   * the last bin: it then holds the samples equal to the last edge), as in NumPy. -0 and 0
   * are the same value. An empty sample gives zeros.
   *
   * @param samples number[], Float64Array, Float32Array (or another numeric typed array),
   *   read once; a workspace view is read in place.
   * @param edges at least 2 finite numbers, non-decreasing.
   * @throws RangeError for a NaN sample (naming its index) unless `nan: "ignore"`; for
   *   edges that are fewer than 2, not finite or decreasing (naming the index); for an `out`
   *   of the wrong length. TypeError for entries that are not numbers, for inputs that are
   *   not arrays, for unknown options or an `out` that is not a Float64Array.
   */
  histogram(samples: Vector, edges: Vector, options?: HistogramOptions): Binned;
  /** An empty {@link MergeableHistogram} over `edges` (checked as in `histogram`). */
  createHistogram(edges: Vector): MergeableHistogram;
  /** The histogram class of this engine (`new Histogram(edges)`, `Histogram.fromJSON(json)`). */
  Histogram: HistogramClass;
}

/** What the entries export as `Histogram`: the class of one engine's mergeable histograms. */
export interface HistogramClass {
  /** An empty histogram over `edges` (at least 2 finite numbers, non-decreasing). */
  new (edges: Vector): MergeableHistogram;
  /**
   * A histogram from its JSON form (an object or its JSON string), checked: type
   * "kl-wasm/histogram", version 1, valid edges, one count per bin, and counts, under,
   * over and nan non-negative integers; else a TypeError or RangeError saying which field.
   */
  fromJSON(json: HistogramJSON | string): MergeableHistogram;
}

/** `histogram` over `engine` (HistogramApi.histogram; alone for kl-wasm/parallel, whose entry carries no accumulator). */
export function makeHistogram(engine: BinEngine): HistogramApi["histogram"] {
  return function histogram(samples: Vector, edges: Vector, options?: HistogramOptions): Binned {
    const fn = "histogram";
    const plan = planBins(fn, edges);
    const x = samplesOf(fn, samples);
    const o = checkOptions(fn, options, ["out", "nan"]);
    const ignore = nanPolicy(fn, o.nan);
    const counts = outArray(fn, o.out, plan.bins);
    counts.fill(0);
    const t = engine.count(fn, x, plan, counts);
    try {
      checkNaN(fn, x, !ArrayBuffer.isView(samples), t, ignore);
    } catch (e) {
      counts.fill(0);
      throw e;
    }
    return { counts, under: t.under, over: t.over, nan: t.nan };
  };
}

/** The histogram functions and the accumulator class over `engine`. */
export function makeHistogramApi(engine: BinEngine): HistogramApi {
  class EngineHistogram extends MergeableHistogram {
    constructor(edges: Vector) {
      super(edges);
      engines.set(this, engine);
    }

    static fromJSON(json: HistogramJSON | string): MergeableHistogram {
      const j = checkedJSON("Histogram.fromJSON", json);
      return new EngineHistogram(j.plan.edges).load(j.counts, j.under, j.over, j.nan);
    }
  }

  const histogram = makeHistogram(engine);

  return {
    histogram,
    createHistogram: (edges: Vector) => new EngineHistogram(edges),
    Histogram: EngineHistogram,
  };
}
