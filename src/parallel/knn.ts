// The k-NN estimators on the pool (mutualInformationFeatures, mutualInformationKSG, conditionalMutualInformation,
// entropyKNN, klDivergenceKNN, mutualInformationMixed): kl-wasm/mutual's functions (src/knn/api.ts, src/mutual/api.ts)
// run here as they are, over engines whose requests (neighbours, crossNeighbours, countWithin, the 1-D KSG's counts,
// a feature's counts against a prepared target) the workers answer. The checks, scaling, the `noise` jitter (the
// same generator, drawn here in the same order), the digamma sums and the formulas are the synchronous code's, on
// the engines' outputs: the same bits.
//
// Requests are batched: a run of the synchronous function that meets a request without an answer gives it a
// placeholder answer and goes on, recording it; at the run's end the recorded requests go to the workers together
// and the function runs again with their answers (replay.ts: one Replay step per batch). So mutualInformationFeatures'
// 20 features are one batch (split among the workers), and a KSG is two (the neighbours, then both counts).
// countWithin's radii come from earlier neighbours (the only request whose inputs derive from the engines'
// outputs, in src/knn/api.ts): after a placeholder neighbours answer in a run it is left unanswered (a hole) and not
// sent; the next run asks for it with the real radii. Every answer is checked against its request's kind and size
// when it is used (a run that asked for other requests than the run before would be a bug: it throws).
//
// A large request is split by query points, each part's values being the whole call's for those points:
//   - neighbours (no indices): a part's k-th distances among the others = its (k+1)-th among all points, the point
//     itself at distance 0 among them (crossNeighbours of the part against every point, same distance code);
//   - crossNeighbours: a part of the queries against every reference point;
//   - countWithin: every point in the worker's tree, radius -Infinity outside the part (no point is within it: a
//     search that ends at its first box), so each count is the whole call's.
// The 1-D KSG of one pair (mutual engine ksg) and neighbours with indices (KSG algorithm 2) run whole in one worker.
import {
  makeKnnApi, type KnnEngine, type Norm, type Points, type TargetKsg, type FeaturesOptions, type CmiOptions, type KnnEntropyOptions,
  type KnnDivergenceOptions, type MixedOptions,
} from "../knn/api.js";
import { makeMutualApi, type MutualEngine, type KsgOptions, type Labels } from "../mutual/api.js";
import { referenceMutualEngine, ksgKernelTakes } from "../mutual/twin.js";
import { checkFinite, type Vector } from "../core/validate.js";
import { type Pool, type Job, closedError } from "./pool.js";
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
  | { op: "count"; p: Points; radius: Float64Array; i0: number }
  | { op: "ksg"; fn: string; x: Vector; y: Vector; k: number; scale: boolean }
  | { op: "against"; y: Float64Array; k: number; xs: Float64Array[]; scale: boolean };
export type KnnResult = { dist: Float64Array; idx?: Int32Array } | Float64Array | Int32Array | Counts | Counts[];

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
  /** This run's requests without an answer, by place. */
  asked: Array<[number, Request]>;
  /** Whether a neighbours or crossNeighbours request got a placeholder in this run (then countWithin waits). */
  guessed: boolean;
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

/** The answer of request q at this place, or a placeholder (`guess`) while it is asked for. */
function ask<T>(c: Context, q: Request, guess: () => T): T {
  const place = c.at++, a = c.got[place];
  if (a !== undefined) {
    if (a.op !== q.op || a.size !== sizeOf(q)) throw new Error(`kl-wasm/parallel: request ${place} was ${a.op} of ${a.size}, now ${q.op} of ${sizeOf(q)} (a bug)`);
    return a.value as T;
  }
  if (q.op === "count" && c.guessed) return guess(); // its radii came from a placeholder: asked for in the next run
  if (q.op === "neighbours" || q.op === "cross") c.guessed = true;
  c.asked.push([place, q]);
  return guess();
}

/**
 * Runs `call` (a function of the k-NN api over parallelKnnEngine / parallelMutualEngine) with the engines' requests
 * answered by the pool's workers for replay `r`: each run that meets unanswered requests ends by throwing Pending
 * with their batch (whatever it returned or threw on placeholders), the next run uses the answers.
 */
export function withKnn<T>(pool: Pool, r: Replay, threshold: number, call: () => T): T {
  const got: Array<Answer | undefined> = [];
  while (r.at < r.answers.length) for (const [place, a] of r.next<Batch>(() => Promise.reject())) got[place] = a;
  const c: Context = { pool, threshold, got, at: 0, asked: [], guessed: false };
  context = c;
  let value: T | undefined, error: unknown, threw = false;
  try {
    value = call();
  } catch (e) {
    threw = true;
    error = e;
  } finally {
    context = undefined;
  }
  if (c.asked.length > 0) {
    const asked = c.asked;
    return r.next(() => dispatch(pool, threshold, asked)) as never;
  }
  if (threw) throw error;
  return value!;
}

/** The engines of an inline pool (no workers): in the workerd build the WebAssembly engines (inlineKnn); elsewhere
 *  none (the entry does not carry them and their modules: its size), and the call rejects (noEngine). */
let inline: { knn: KnnEngine; mutual: MutualEngine & Partial<TargetKsg> } | undefined;
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

const noCounts = (n: number): Counts => ({ nx: new Int32Array(n), ny: new Int32Array(n) });

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
    return ask(c, { op: "ksg", fn, x, y, k, scale }, () => noCounts(x.length));
  },
  ksgAgainst(y, k) {
    if (context === undefined) return engines().mutual.ksgAgainst?.(y, k);
    // where the WebAssembly engine gives one (the workers run it)
    if (!ksgKernelTakes(y.length, k)) return undefined;
    return (x, scale) => ask(context!, { op: "against", y, k, x, scale }, () => noCounts(x.length));
  },
};

/** [from, to) of n split in K parts. */
const cut = (n: number, K: number, k: number) => [Math.floor((k * n) / K), Math.floor(((k + 1) * n) / K)];

/** A copy of the data of p (moved with the job). */
function points(p: Points, transfer: Transferable[]): Points {
  const data = p.data.slice(0, p.n * p.d);
  transfer.push(data.buffer);
  return { data, n: p.n, d: p.d };
}

function copy<T extends Float64Array | Vector>(x: T, transfer: Transferable[]): T {
  if (!(x instanceof Float64Array || x instanceof Float32Array)) return x;
  const c = x.slice() as T;
  transfer.push((c as Float64Array).buffer);
  return c;
}

/** Jobs for a batch's requests (large ones split by query points), run together, combined into the batch's answers. */
async function dispatch(pool: Pool, threshold: number, asked: Array<[number, Request]>): Promise<Batch> {
  const T = pool.threads, jobs: Job[] = [], combine: Array<(results: KnnResult[]) => Batch> = [];
  const add = (payloads: Array<[KnnPayload, Transferable[]]>, finish: (parts: KnnResult[]) => Batch) => {
    const from = jobs.length;
    for (const [payload, transfer] of payloads) jobs.push({ task: "knn", payload, transfer });
    combine.push((all) => finish(all.slice(from, from + payloads.length)));
  };
  const one = (place: number, q: Request, payload: (t: Transferable[]) => KnnPayload) => {
    const t: Transferable[] = [];
    add([[payload(t), t]], ([v]) => [[place, { op: q.op, size: sizeOf(q), value: v }]]);
  };
  // features against one target: consecutive "against" requests in blocks, one block a worker
  const against: Array<[number, Request & { op: "against" }]> = [];
  const flush = () => {
    if (against.length === 0) return;
    const list = against.splice(0), K = Math.min(T, list.length), parts: Array<[KnnPayload, Transferable[]]> = [];
    for (let b = 0; b < K; b++) {
      const [s, e] = cut(list.length, K, b), t: Transferable[] = [], first = list[s][1];
      parts.push([{ op: "against", y: copy(first.y, t), k: first.k, scale: first.scale, xs: list.slice(s, e).map(([, q]) => copy(q.x, t)) }, t]);
    }
    add(parts, (res) => (res as Counts[][]).flat().map((v, i) => [list[i][0], { op: "against", size: list[i][1].x.length, value: v }]));
  };
  for (const [place, q] of asked) {
    if (q.op === "against") {
      const last = against[against.length - 1]?.[1];
      if (last !== undefined && (last.y !== q.y || last.k !== q.k || last.scale !== q.scale)) flush();
      against.push([place, q]);
      continue;
    }
    flush();
    const n = sizeOf(q), K = n < threshold ? 1 : Math.min(T, n);
    switch (q.op) {
      case "neighbours":
        if (K === 1 || q.indices) one(place, q, (t) => ({ ...q, p: points(q.p, t) }));
        else {
          const parts: Array<[KnnPayload, Transferable[]]> = [];
          for (let b = 0; b < K; b++) {
            const [i0, i1] = cut(n, K, b), t: Transferable[] = [];
            parts.push([{ op: "neighbours", p: points(q.p, t), k: q.k, norm: q.norm, indices: false, i0, i1 }, t]);
          }
          add(parts, (res) => [[place, { op: q.op, size: n, value: { dist: join(res as Float64Array[], Float64Array) } }]]);
        }
        break;
      case "cross": {
        const parts: Array<[KnnPayload, Transferable[]]> = [];
        for (let b = 0; b < K; b++) {
          const [i0, i1] = cut(n, K, b), t: Transferable[] = [], d = q.q.d;
          parts.push([{ op: "cross", q: points({ data: q.q.data.subarray(i0 * d, i1 * d), n: i1 - i0, d }, t), r: points(q.r, t), k: q.k, norm: q.norm }, t]);
        }
        add(parts, (res) => [[place, { op: q.op, size: n, value: join(res as Float64Array[], Float64Array) }]]);
        break;
      }
      case "count": {
        const parts: Array<[KnnPayload, Transferable[]]> = [];
        for (let b = 0; b < K; b++) {
          const [i0, i1] = cut(n, K, b), t: Transferable[] = [];
          parts.push([{ op: "count", p: points(q.p, t), radius: copy(q.radius.subarray(i0, i1), t), i0 }, t]);
        }
        add(parts, (res) => [[place, { op: q.op, size: n, value: join(res as Int32Array[], Int32Array) }]]);
        break;
      }
      case "ksg":
        one(place, q, (t) => ({ ...q, x: copy(q.x, t), y: copy(q.y, t) }));
        break;
    }
  }
  flush();
  const results = await pool.run<KnnResult>(jobs);
  return combine.flatMap((f) => f(results));
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
const mutual = /* @__PURE__ */ makeMutualApi(parallelMutualEngine, knn);

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
   * neighbours, then the counts, each split by points among the workers from 4096 rows on; one column each, or
   * algorithm 2: in one worker, whole (the 1-D KSG is one kernel call; algorithm 2's neighbour lists are whole).
   */
  mutualInformationKSG(x: Vector, y: Vector, options?: KsgOptions): Promise<number>;
  /** kl-wasm/mutual's `conditionalMutualInformation`, async, bit for bit: the neighbours, then the three counts,
   *  split by points among the workers from 4096 rows on. */
  conditionalMutualInformation(x: Vector, y: Vector, z: Vector, options?: CmiOptions): Promise<number>;
  /** kl-wasm/mutual's `entropyKNN`, async, bit for bit (the errors name the same row): the neighbours split by
   *  points among the workers from 4096 rows on. */
  entropyKNN(x: Vector, options?: KnnEntropyOptions): Promise<number>;
  /** kl-wasm/mutual's `klDivergenceKNN`, async, bit for bit: ρ and ν in one round, each split by x's rows. */
  klDivergenceKNN(x: Vector, y: Vector, options?: KnnDivergenceOptions): Promise<number>;
  /** kl-wasm/mutual's `mutualInformationMixed`, async, bit for bit: each label's neighbours, then the counts. */
  mutualInformationMixed(x: Vector, labels: Labels, options?: MixedOptions): Promise<number>;
}

declare const __KL_WORKER__: string | null;
/** An inline pool in the workerd build runs the WebAssembly engines here (the build provides their modules). */
async function inlineKnn(): Promise<void> {
  if (typeof __KL_WORKER__ !== "undefined" && __KL_WORKER__ === null && inline === undefined) {
    await import("../knn/provision.js");
    await import("../mutual/provision.js");
    const [k, m] = await Promise.all([import("../knn/wasm.js"), import("../mutual/wasm.js")]);
    inline = { knn: k.wasmKnnEngine, mutual: m.wasmMutualEngine };
  }
}

/** The methods over `pool` (undefined: inline); `once` reads a plain array once (api.ts), `closed` the pool's state. */
export function knnMethods(pool: Pool | undefined, closed: () => boolean, threshold: number,
                           once: (fn: string, name: string, x: unknown) => unknown): KnnPool {
  const wrap = <A extends unknown[], R>(fn: string, f: (...a: A) => R, names: string[]) => (...a: A): Promise<R> => {
    if (closed()) return Promise.reject(closedError());
    names.forEach((name, i) => { a[i] = once(fn, name, a[i]); });
    if (pool === undefined) return inlineKnn().then(() => f(...a));
    return replay((r) => withKnn(pool, r, threshold, () => f(...a)));
  };
  return {
    mutualInformationFeatures: wrap("mutualInformationFeatures", knn.mutualInformationFeatures, ["X", "y"]),
    mutualInformationKSG: wrap("mutualInformationKSG", mutual.mutualInformationKSG, ["x", "y"]),
    conditionalMutualInformation: wrap("conditionalMutualInformation", knn.conditionalMutualInformation, ["x", "y", "z"]),
    entropyKNN: wrap("entropyKNN", knn.entropyKNN, ["x"]),
    klDivergenceKNN: wrap("klDivergenceKNN", knn.klDivergenceKNN, ["x", "y"]),
    mutualInformationMixed: wrap("mutualInformationMixed", knn.mutualInformationMixed, ["x", "labels"]),
  };
}
