// The worker's half of the k-NN estimators on the pool (src/parallel/knn.ts is the calling thread's): the WebAssembly
// engines (src/knn/wasm.ts, src/mutual/wasm.ts) on a job, a request or a part of one. A file of its own: the entry
// (dist/parallel.js) does not carry these engines and their modules, the worker bundle does.
import { makeKnnApi, type Points } from "../knn/api.js";
import { wasmKnnEngine } from "../knn/wasm.js";
import { wasmMutualEngine } from "../mutual/wasm.js";
import { mutualInformationKSG } from "../mutual.js";
import type { KnnPayload, KnnResult } from "./knn.js";
import type { Task } from "./tasks.js";

const buffers = (...xs: Array<ArrayBufferView | undefined>): Transferable[] => xs.filter((x) => x !== undefined).map((x) => x!.buffer as ArrayBuffer);

/** kl-wasm/mutual's estimators (src/mutual.ts builds the same), for a block of mutualInformationFeatures' features. */
const knn = makeKnnApi(wasmKnnEngine, wasmMutualEngine);

/** The last target of "against" jobs, prepared (src/mutual/wasm.ts ksgAgainst: sorted once). */
let prepared: { target: number; f: NonNullable<ReturnType<typeof wasmMutualEngine.ksgAgainst>> } | undefined;

/** The worker's half: the WebAssembly engines (src/knn/wasm.ts, src/mutual/wasm.ts) on the job. */
export const knnTask: Task<KnnPayload, KnnResult> = (job) => {
  switch (job.op) {
    case "neighbours": {
      const { p, k, norm, indices, i0, i1 } = job;
      if (i0 === undefined) {
        const r = wasmKnnEngine.neighbours(p, k, norm, indices);
        return { result: r, transfer: buffers(r.dist, r.idx) };
      }
      // the part's k-th nearest others = its (k + 1)-th nearest points, itself (distance 0) among them
      const q: Points = { data: p.data.subarray(i0 * p.d, i1! * p.d), n: i1! - i0, d: p.d };
      const dist = wasmKnnEngine.crossNeighbours(q, p, k + 1, norm);
      return { result: dist, transfer: buffers(dist) };
    }
    case "cross": {
      const dist = wasmKnnEngine.crossNeighbours(job.q, job.r, job.k, job.norm);
      return { result: dist, transfer: buffers(dist) };
    }
    case "count": {
      const { p, radius, i0 } = job;
      if (i0 === undefined) {
        const counts = wasmKnnEngine.countWithin(p, radius);
        return { result: counts, transfer: buffers(counts) };
      }
      const all = new Float64Array(p.n).fill(-Infinity);
      all.set(radius, i0);
      const counts = wasmKnnEngine.countWithin(p, all).slice(i0, i0 + radius.length);
      return { result: counts, transfer: buffers(counts) };
    }
    case "ksg": {
      const c = wasmMutualEngine.ksg(job.fn, job.x, job.y, job.k, job.scale);
      return { result: c, transfer: buffers(c.nx, c.ny) };
    }
    case "mutualInformationKSG":
      return { result: mutualInformationKSG(...(job.args as Parameters<typeof mutualInformationKSG>)) };
    case "features": {
      // the synchronous function on the block's features alone, read out of X in place (its `part`)
      const mi = knn.mutualInformationFeatures(job.X, job.y as Float64Array, job.options, job.which);
      return { result: mi, transfer: buffers(mi) };
    }
    case "against": {
      // the target prepared once per worker and call (the last one kept, by its number)
      if (prepared?.target !== job.target) prepared = { target: job.target, f: wasmMutualEngine.ksgAgainst(job.y, job.k)! };
      const c = prepared.f(job.x, job.scale);
      return { result: c, transfer: buffers(c.nx, c.ny) };
    }
  }
};

