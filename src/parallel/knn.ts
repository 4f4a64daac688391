// The k-NN estimators on the pool (mutualInformationFeatures, mutualInformationKSG, conditionalMutualInformation,
// entropyKNN, klDivergenceKNN, mutualInformationMixed): kl-wasm/mutual's functions (src/knn/api.ts, src/mutual/api.ts)
// run here as they are, over engines whose requests (neighbours, crossNeighbours, countWithin, the 1-D KSG's counts,
// a feature's counts against a prepared target) the workers answer. The checks, scaling, the `noise` jitter (the
// same generator, drawn here in the same order), the digamma sums and the formulas are the synchronous code's, on
// the engines' outputs: the same bits.
//
// Requests are batched: a run of the synchronous function that meets a request without an answer starts its work on
// the workers, gives it a placeholder answer and goes on (the workers compute while it does); at the run's end it
// throws Pending with all the work it started, and the function runs again with the answers (replay.ts: one Replay
// step per run). So mutualInformationFeatures' features are one round (a job each; a worker prepares the target once
// per call), a KSG two (the neighbours, then both counts), the features against labels two (every label's
// neighbours, then the counts). countWithin's radii come from earlier neighbours (the only request whose inputs
// derive from the engines' outputs, in src/knn/api.ts): after a placeholder neighbours answer in a run it is left
// unanswered and not started; the next run asks for it with the real radii. Every answer is checked against its
// request's kind and size when it is used (a run that asked for other requests than the run before would be a
// bug: it throws). Points go to the workers on shared memory (copied once per run), or copied per job where the
// runtime has no SharedArrayBuffer.
//
// Which requests run whole and which in parts: a run's requests each run whole in a worker when there are several
// (the features; KSG's counts of x and y; klDivergenceKNN's ρ and ν), as the synchronous call computes them (one tree
// each); a request alone in its run (entropyKNN's, KSG's and CMI's neighbours, a mixed estimate's counts) is split
// by query points from KNN_THRESHOLD points on, each part's values being the whole call's for those points:
//   - neighbours (no indices): a part's k-th distances among the others = its (k+1)-th among all points, the point
//     itself at distance 0 among them (crossNeighbours of the part against every point, same distance code);
//   - countWithin: every point in the worker's tree, radius -Infinity outside the part (no point is within it: a
//     search that ends at its first box), so each count is the whole call's. In two columns the engine counts
//     without a tree (assembly/knn.ts knnCount2: both columns sorted, a sweep over all points), so each part
//     still sorts and sweeps every point: the split gains little there (the counts stay exact).
// Each part's worker builds the tree of all the points again (the engine has no query range: assembly/knn.ts), which
// is the parts' cost beyond the synchronous call's. mutualInformationKSG with one column each and algorithm 1 (one
// kernel call, src/mutual/wasm.ts ksg) runs kl-wasm/mutual's function whole in a worker; neighbours with indices
// (KSG algorithm 2) run whole too.
import {
  makeKnnApi, type KnnApi, type KnnEngine, type Norm, type Points, type TargetKsg, type FeaturesOptions, type CmiOptions, type KnnEntropyOptions,
  type KnnDivergenceOptions, type MixedOptions,
} from "../knn/api.js";
import type { MutualEngine, KsgOptions, Labels } from "../mutual/api.js";
import { referenceMutualEngine, ksgKernelTakes } from "../mutual/twin.js";
import { checkFinite, checkOptions, type Vector } from "../core/validate.js";
import { type Pool, type Job, closedError, shared } from "./pool.js";
import { own, snapshot } from "./own.js";
import { replay, type Replay } from "./replay.js";

/** Requests of at least this many query points are split among the workers; smaller ones run whole in one worker
 *  (the calling thread carries no k-NN module). */
export const KNN_THRESHOLD = 4096;

export type Counts = { nx: Int32Array; ny: Int32Array };

/** A request of the engines, as recorded on the calling thread. */
type Request =
  | { op: "neighbours"; p: Points; k: number; norm: Norm; indices: boolean }
  | { op: "cross"; q: Points; r: Points; k: number; norm: Norm }
  | { op: "count"; p: Points; radius: Float64Array }
  | { op: "ksg"; fn: string; x: Vector; y: Vector; k: number; scale: boolean }
  | { op: "against"; y: Float64Array; k: number; x: Float64Array; scale: boolean };

/** A job of the worker's task "knn": a request, or a part of one (rows [i0, i1) of its queries). */
export type KnnPayload =
  | { op: "neighbours"; p: Points; k: number; norm: Norm; indices: boolean; i0?: number; i1?: number }
  | { op: "cross"; q: Points; r: Points; k: number; norm: Norm }
  | { op: "count"; p: Points; radius: Float64Array; i0?: number }
  | { op: "ksg"; fn: string; x: Vector; y: Vector; k: number; scale: boolean }
  | { op: "against"; target: number; y: Float64Array; k: number; x: Float64Array; scale: boolean }
  | { op: "mutualInformationKSG"; args: unknown[] }
  | { op: "features"; X: Float64Array | Float32Array; which: number[]; y: unknown; options: FeaturesOptions };
export type KnnResult = { dist: Float64Array; idx?: Int32Array } | Float64Array | Int32Array | Counts | number;

// ------------------------------------------------------------------ the calling thread

/** An answer given to a request: its value with the request's kind and size, to check it is used where it belongs. */
interface Answer { op: string; size: number; value: unknown }
/** One batch's answers: the request's place in the run (the how-manieth request) and its answer. */
type Batch = Array<[number, Answer]>;

interface Context {
  pool: Pool; threshold: number;
  /** The answers so far, by place (undefined: none yet). */
  got: Array<Answer | undefined>;
  at: number;
  /** The work of this run's requests without an answer (started when asked: the workers run while this run goes on). */
  started: Array<Promise<Batch>>;
  /** Whether a neighbours or crossNeighbours request got a placeholder in this run (then countWithin waits). */
  guessed: boolean;
  /** The run's first request without an answer, not started yet: alone in its run, it is split among the workers;
   *  with others, each runs whole in a worker (no part building another tree of the same points). */
  held?: [number, Request];
  /** The run's placeholder counts (noCounts). */
  zeros?: Counts;
  /** Points and targets already copied to shared memory in this run, by their array. */
  staged: WeakMap<Float64Array, Float64Array>;
}
let context: Context | undefined;

const sizeOf = (q: Request): number => {
  switch (q.op) {
    case "neighbours": return q.p.n;
    case "cross": return q.q.n;
    case "count": return q.p.n;
    case "ksg": return q.x.length;
    case "against": return q.x.length;
  }
};

/** The answer of request q at this place, or a placeholder (`guess`) while it is asked for (its work starts now). */
function ask<T>(c: Context, q: Request, guess: () => T): T {
  const place = c.at++, a = c.got[place];
  if (a !== undefined) {
    if (a.op !== q.op || a.size !== sizeOf(q)) throw new Error(`kl-wasm/parallel: request ${place} changed (a bug)`);
    return a.value as T;
  }
  if (q.op === "count" && c.guessed) return guess(); // its radii came from a placeholder: asked for in the next run
  if (q.op === "neighbours" || q.op === "cross") c.guessed = true;
  if (c.held === undefined && c.started.length === 0) c.held = [place, q];
  else {
    if (c.held !== undefined) begin(c, ...c.held, false);
    c.held = undefined;
    begin(c, place, q, false);
  }
  return guess();
}

/** Starts the work of request q (split: in parts, if large). */
function begin(c: Context, place: number, q: Request, split: boolean): void {
  const work = start(c, place, q, split);
  work.catch(() => {}); // awaited at the run's end (a rejection before then is not unhandled)
  c.started.push(work);
}

/**
 * Runs `call` (a function of the k-NN api over parallelKnnEngine / parallelMutualEngine) with the engines' requests
 * answered by the pool's workers for replay `r`: each run that meets unanswered requests ends by throwing Pending
 * with their work (whatever it returned or threw on placeholders), the next run uses the answers.
 */
export function withKnn<T>(pool: Pool, r: Replay, threshold: number, call: () => T): T {
  const got: Array<Answer | undefined> = [];
  while (r.at < r.answers.length) for (const [place, a] of r.next<Batch>(() => Promise.reject())) got[place] = a;
  const c: Context = { pool, threshold, got, at: 0, started: [], guessed: false, staged: new WeakMap() };
  const outer = context; // a pool call made while another's runs (an options getter): restored after
  context = c;
  let value: T | undefined, error: unknown, threw = false;
  try {
    value = call();
  } catch (e) {
    threw = true;
    error = e;
  } finally {
    context = outer;
  }
  if (c.held !== undefined) begin(c, ...c.held, true);
  if (c.started.length > 0) return r.next(() => Promise.all(c.started).then((b) => b.flat())) as never;
  if (threw) throw error;
  return value!;
}

/** The engines of an inline pool (no workers): in the workerd build the WebAssembly engines (inlineKnn); elsewhere
 *  none (the entry does not carry them and their modules: its size), and the call rejects (noEngine). */
let inline: { knn: KnnEngine; mutual: MutualEngine & Partial<TargetKsg>; ksgApi: { mutualInformationKSG: KnnApi["mutualInformationKSG"] } } | undefined;
const noEngine = () => new Error("kl-wasm/parallel: the k-NN estimators need workers, and this runtime has none: call kl-wasm/mutual's functions");

function engines(): NonNullable<typeof inline> {
  if (inline === undefined) throw noEngine();
  return inline;
}

/** The k-NN engine of the pool's api: requests answered by the workers within withKnn; outside it (an inline pool)
 *  the inline engine. */
export const parallelKnnEngine: KnnEngine = {
  neighbours(p, k, norm, indices) {
    const c = context;
    if (c === undefined) return engines().knn.neighbours(p, k, norm, indices);
    return ask(c, { op: "neighbours", p, k, norm, indices }, () => ({
      dist: new Float64Array(p.n).fill(1), idx: indices ? new Int32Array(p.n * k) : undefined,
    }));
  },
  crossNeighbours(q, r, k, norm) {
    const c = context;
    if (c === undefined) return engines().knn.crossNeighbours(q, r, k, norm);
    return ask(c, { op: "cross", q, r, k, norm }, () => new Float64Array(q.n).fill(1));
  },
  countWithin(p, radius) {
    const c = context;
    if (c === undefined) return engines().knn.countWithin(p, radius);
    return ask(c, { op: "count", p, radius }, () => new Int32Array(p.n));
  },
};

/** Placeholder counts (zeros): one pair per run and length for all its requests (the estimators only read counts). */
const noCounts = (c: Context, n: number): Counts =>
  (c.zeros?.nx.length === n ? c.zeros : (c.zeros = { nx: new Int32Array(n), ny: new Int32Array(n) }));

/** The mutual engine of the pool's api: the 1-D KSG's counts and a feature's counts against a prepared target from
 *  the workers; contingency tables here (the twin's: the same integers as the WebAssembly engine's). */
export const parallelMutualEngine: MutualEngine & TargetKsg = {
  marginals: referenceMutualEngine.marginals,
  klOuter: referenceMutualEngine.klOuter,
  contingency(fn, a, b) {
    return (context === undefined ? engines().mutual : referenceMutualEngine).contingency(fn, a, b);
  },
  ksg(fn, x, y, k, scale) {
    const c = context;
    if (c === undefined) return engines().mutual.ksg(fn, x, y, k, scale);
    // the engine's checks, here: x whole before y (the worker's copies would not know a plain array's non-numbers)
    checkFinite(fn, "x", x);
    checkFinite(fn, "y", y);
    return ask(c, { op: "ksg", fn, x, y, k, scale }, () => noCounts(c, x.length));
  },
  ksgAgainst(y, k) {
    if (context === undefined) return engines().mutual.ksgAgainst?.(y, k);
    // where the WebAssembly engine gives one (the workers run it)
    if (!ksgKernelTakes(y.length, k)) return undefined;
    return (x, scale) => ask(context!, { op: "against", y, k, x, scale }, () => noCounts(context!, x.length));
  },
};

/** [from, to) of n split in K parts. */
const cut = (n: number, K: number, k: number) => [Math.floor((k * n) / K), Math.floor(((k + 1) * n) / K)];

/** x[0, len) on shared memory (once per run: every part's job reads it in place), or undefined where the runtime
 *  has no SharedArrayBuffer (then each job carries a copy). */
function share(c: Context, x: Float64Array, len: number): Float64Array | undefined {
  if (typeof SharedArrayBuffer !== "function") return undefined;
  let s = c.staged.get(x);
  if (s === undefined || s.length !== len) {
    s = new Float64Array(new SharedArrayBuffer(8 * len));
    s.set(x.subarray(0, len));
    c.staged.set(x, s);
  }
  return s;
}

/** x[0, len) for a job: shared, or a copy moved with it. */
function give(c: Context, x: Float64Array, len: number, transfer: Transferable[]): Float64Array {
  const s = share(c, x, len);
  if (s !== undefined) return s;
  const copy = x.slice(0, len);
  transfer.push(copy.buffer);
  return copy;
}
const pts = (c: Context, p: Points, t: Transferable[]): Points => ({ data: give(c, p.data, p.n * p.d, t), n: p.n, d: p.d });

/** Targets of "against" jobs: a worker keeps the last one prepared, by this number. */
let targets = 0;
const targetIds = new WeakMap<Float64Array, number>();

/** Starts the jobs of request q (large ones split by query points); resolves with its answer. */
function start(c: Context, place: number, q: Request, split: boolean): Promise<Batch> {
  const n = sizeOf(q), K = !split || n < c.threshold ? 1 : Math.min(c.pool.threads, n);
  const answer = (value: unknown): Batch => [[place, { op: q.op, size: n, value }]];
  const run = <R>(payload: (t: Transferable[]) => KnnPayload) => {
    const transfer: Transferable[] = [];
    return c.pool.one<R>({ task: "knn", payload: payload(transfer), transfer });
  };
  /** K jobs over [i0, i1) of the queries, their values one after another. */
  const parts = <A extends Float64Array | Int32Array>(Kind: new (n: number) => A, payload: (i0: number, i1: number, t: Transferable[]) => KnnPayload) =>
    Promise.all(Array.from({ length: K }, (_, b) => run<A>((t) => payload(cut(n, K, b)[0], cut(n, K, b)[1], t)))).then((r) => join(r, Kind));
  switch (q.op) {
    case "neighbours":
      if (K === 1 || q.indices) return run((t) => ({ ...q, p: pts(c, q.p, t) })).then(answer);
      return parts(Float64Array, (i0, i1, t) => ({ op: "neighbours", p: pts(c, q.p, t), k: q.k, norm: q.norm, indices: false, i0, i1 }))
        .then((dist) => answer({ dist }));
    case "cross": // with the neighbours of the same points (klDivergenceKNN): never alone in a run
      return run((t) => ({ ...q, q: pts(c, q.q, t), r: pts(c, q.r, t) })).then(answer);
    case "count":
      if (K === 1) return run((t) => ({ ...q, p: pts(c, q.p, t), radius: own(q.radius, t) })).then(answer);
      return parts(Int32Array, (i0, i1, t) => ({ op: "count", p: pts(c, q.p, t), radius: own(q.radius.subarray(i0, i1), t), i0 })).then(answer);
    case "ksg":
      return run((t) => ({ ...q, x: own(q.x, t), y: own(q.y, t) })).then(answer);
    case "against": {
      let id = targetIds.get(q.y);
      if (id === undefined) targetIds.set(q.y, id = ++targets);
      // the feature's column is the run's own array (checkedColumns'), read by this request alone: moved, not copied
      // (were it read again in this run, the next request's size check would throw; a later run asks nothing of it)
      const x = q.x, whole = !shared(x) && x.byteOffset === 0 && x.byteLength === x.buffer.byteLength;
      return run((t) => ({ op: "against", target: id!, y: give(c, q.y, q.y.length, t), k: q.k, x: whole ? (t.push(x.buffer as ArrayBuffer), x) : own(x, t), scale: q.scale }))
        .then(answer);
    }
  }
}

/** The parts' values one after another. */
function join<A extends Float64Array | Int32Array>(parts: A[], Kind: new (n: number) => A): A {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const x of parts) n += x.length;
  const out = new Kind(n);
  for (let i = 0, o = 0; i < parts.length; o += parts[i].length, i++) out.set(parts[i], o);
  return out;
}

// ------------------------------------------------------------------ the pool's methods

const knn = /* @__PURE__ */ makeKnnApi(parallelKnnEngine, parallelMutualEngine);

/** Whether kl-wasm/mutual's mutualInformationKSG hands these options to the k-NN family's estimator (src/mutual/api.ts:
 *  several columns, or algorithm 2); else its 1-D KSG is one kernel call, which a worker runs whole. */
function viaKnn(options: unknown): boolean {
  if (options === null || typeof options !== "object") return false;
  const o = options as KsgOptions;
  return (o.xCols ?? 1) !== 1 || (o.yCols ?? 1) !== 1 || (o.algorithm ?? 1) !== 1;
}

/** The k-NN estimators of kl-wasm/mutual on the pool (docs/parallel.md). */
export interface KnnPool {
  /**
   * kl-wasm/mutual's `mutualInformationFeatures`, async: the same arguments, options (`noise: seed` draws the same
   * jitter, here), values (bit for bit) and errors. The features are split among the workers (a continuous target:
   * each worker prepares it once and counts its block of features); against labels each feature's neighbours per
   * label, then its counts, in two rounds for all features.
   */
  mutualInformationFeatures(X: Vector, y: Vector | Labels, options?: FeaturesOptions): Promise<Float64Array>;
  /**
   * kl-wasm/mutual's `mutualInformationKSG`, async, bit for bit, its errors. Several columns (algorithm 1): the
   * joint neighbours split by points among the workers from 4096 rows on, then the counts of x and of y, one worker
   * each. One column each with algorithm 1: kl-wasm/mutual's function whole in a worker (one kernel call; its
   * arguments are cloned: a function in a plain array rejects with a DataCloneError). Algorithm 2: the neighbour
   * lists in one worker.
   */
  mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): Promise<number>;
  /** kl-wasm/mutual's `conditionalMutualInformation`, async, bit for bit: the joint neighbours split by points among
   *  the workers from 4096 rows on, then the three counts, one worker each. */
  conditionalMutualInformation(x: Vector, y: Vector, z: Vector, options?: CmiOptions): Promise<number>;
  /** kl-wasm/mutual's `entropyKNN`, async, bit for bit (the errors name the same row): the neighbours split by
   *  points among the workers from 4096 rows on. */
  entropyKNN(x: Vector, options?: KnnEntropyOptions): Promise<number>;
  /** kl-wasm/mutual's `klDivergenceKNN`, async, bit for bit: ρ and ν in one round, one worker each. */
  klDivergenceKNN(x: Vector, y: Vector, options?: KnnDivergenceOptions): Promise<number>;
  /** kl-wasm/mutual's `mutualInformationMixed`, async, bit for bit: each label's neighbours (a job each), then the
   *  counts, split by points from 4096 rows on. */
  mutualInformationMixed(x: Vector, labels: Labels, options?: MixedOptions): Promise<number>;
}

declare const __KL_WORKER__: string | null;
/** An inline pool in the workerd build runs the WebAssembly engines here (the build provides their modules). */
async function inlineKnn(): Promise<void> {
  if (typeof __KL_WORKER__ !== "undefined" && __KL_WORKER__ === null && inline === undefined) {
    await import("../knn/provision.js");
    await import("../mutual/provision.js");
    const [k, m, api] = await Promise.all([import("../knn/wasm.js"), import("../mutual/wasm.js"), import("../mutual.js")]);
    inline = { knn: k.wasmKnnEngine, mutual: m.wasmMutualEngine, ksgApi: api };
  }
}

/**
 * mutualInformationFeatures as blocks of features, one job a worker, each job the synchronous function on its block's
 * features alone (its `part`, src/knn/api.ts): a feature's value depends on its column and the target alone (its
 * scaling, its counts: the same bits in a block as in the whole; test/scaling-examples.test.ts,
 * test/parallel-families.test.ts). Block b has every K-th feature from b on: features that depend on the target cost
 * more (measured: 20 features × 10^5, the 4 that y depends on among the first 6; in halves the first block ended 7-17
 * ms after the second), and such features often sit side by side. X goes to the workers on shared memory (copied
 * there once unless it is on it already), where each reads its block's columns in place. Undefined where the replayed path is the one to take:
 * `noise` (the jitter is drawn over all features in order), X not a Float64Array or Float32Array (a plain array with a
 * non-number), one feature, or one worker. A bad option or value makes a block throw: the replayed path then throws
 * the synchronous call's error.
 */
function featureBlocks(pool: Pool, X: Vector, y: unknown, o: Partial<FeaturesOptions>):
  { blocks: Array<{ which: number[]; job: Job }>; staged?: SharedArrayBuffer } | undefined {
  const threads = pool.threads;
  const cols = o.cols ?? 1;
  if (o.noise !== undefined || threads < 2 || typeof cols !== "number" || !Number.isInteger(cols) || cols < 2 ||
      !(X instanceof Float64Array || X instanceof Float32Array) || X.length % cols !== 0) return undefined;
  // X once on shared memory (each worker reads its block's columns out of it), where the runtime has it: the pool's
  // staging memory, kept for the next call (fresh memory pays its page faults at every call: pool.ts stage)
  const copy = pool.stageCopy(X), all = copy ?? X;
  const K = Math.min(threads, cols), blocks: number[][] = Array.from({ length: K }, () => []);
  for (let c = 0; c < cols; c++) blocks[c % K].push(c);
  return {
    staged: copy?.buffer as SharedArrayBuffer | undefined, blocks: blocks.map((which) => {
      const transfer: Transferable[] = [], payload: KnnPayload = { op: "features", X: own(all, transfer), which, y: own(y, transfer), options: o };
      return { which, job: { task: "knn", payload, transfer } };
    }),
  };
}

/** The methods over `pool` (undefined: inline); `once` reads a plain array once (api.ts), `closed` the pool's state. */
export function knnMethods(pool: Pool | undefined, closed: () => boolean, threshold: number,
                           once: (fn: string, name: string, x: unknown) => unknown): KnnPool {
  const wrap = <A extends unknown[], R>(fn: string, f: (...a: A) => R, names: string[]) => (...a: A): Promise<R> => {
    if (closed()) return Promise.reject(closedError());
    names.forEach((name, i) => { a[i] = once(fn, name, a[i]); });
    a[names.length] = snapshot(a[names.length]); // the options
    if (pool === undefined) return inlineKnn().then(() => f(...a));
    return replay((r) => withKnn(pool, r, threshold, () => f(...a)));
  };
  const features = wrap("mutualInformationFeatures", knn.mutualInformationFeatures, ["X", "y"]);
  const ksg = wrap("mutualInformationKSG", (x: Vector, y: Vector, o?: KsgOptions) => {
    if (pool === undefined && !viaKnn(o)) return engines().ksgApi.mutualInformationKSG(x, y, o);
    return knn.mutualInformationKSG(x, y, o);
  }, ["x", "y"]);
  return {
    mutualInformationFeatures(X, y, options) {
      const fn = "mutualInformationFeatures";
      if (pool === undefined || closed()) return features(X, y, options);
      // the options read once (their own keys, as the synchronous call reads them), for both paths below
      let o: ReturnType<typeof checkOptions<FeaturesOptions>>;
      try {
        o = checkOptions(fn, options, ["cols", "discreteFeatures", "discreteTarget", "k", "noise", "base"]);
      } catch (e) {
        return Promise.reject(e);
      }
      X = once(fn, "X", X) as Vector;
      y = once(fn, "y", y) as Vector;
      const replayed = () => replay((r) => withKnn(pool, r, threshold, () => knn.mutualInformationFeatures(X, y, o)));
      const plan = featureBlocks(pool, X, y, o);
      if (plan === undefined) return replayed();
      const { blocks, staged } = plan, done = () => { if (staged !== undefined) pool.unstage(staged); };
      // any error (a bad value or option): the replayed path throws the synchronous one
      return pool.run<Float64Array>(blocks.map((b) => b.job)).then((mi) => {
        done();
        const out = new Float64Array(o.cols as number);
        blocks.forEach(({ which }, b) => which.forEach((c, j) => { out[c] = mi[b][j]; }));
        return out;
      }, () => { done(); return replayed(); });
    },
    mutualInformationKSG(x, y, options) {
      options = snapshot(options);
      if (pool === undefined || viaKnn(options)) return ksg(x, y, options);
      // one column each, algorithm 1: kl-wasm/mutual's function itself, whole, in a worker (its arguments as given:
      // plain arrays cloned with their entries, so a non-number is named as the synchronous call names it)
      if (closed()) return Promise.reject(closedError());
      const transfer: Transferable[] = [], args = [own(x, transfer), own(y, transfer), options];
      return pool.one<number>({ task: "knn", payload: { op: "mutualInformationKSG", args } satisfies KnnPayload, transfer });
    },
    conditionalMutualInformation: wrap("conditionalMutualInformation", knn.conditionalMutualInformation, ["x", "y", "z"]),
    entropyKNN: wrap("entropyKNN", knn.entropyKNN, ["x"]),
    klDivergenceKNN: wrap("klDivergenceKNN", knn.klDivergenceKNN, ["x", "y"]),
    mutualInformationMixed: wrap("mutualInformationMixed", knn.mutualInformationMixed, ["x", "labels"]),
  };
}
