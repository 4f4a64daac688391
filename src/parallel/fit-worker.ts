// The worker's half of kl-wasm/fit's gaussianFit on the pool (src/parallel/fit.ts is the calling thread's): the fit
// api (src/fit/api.ts) over the WebAssembly engine with one hook in the prepared target's surface, by mode:
//   "plan":  the call's checks and plan run; at the first surface (the whole grid) it stops and returns what the
//            surface needs (x and p as the plan copied them, the floor, mus, sigmas, the direction);
//   "rows":  the raw surface of rows [i0, i1) of the grid (the engine's kernel over those mus: each cell depends on
//            its mu and sigma alone);
//   "final": the call itself, its whole-grid surface taken from `raw` (the parts' cells), the rest (the grid minimum,
//            modes, the refinement's evaluations) computed here: the synchronous call's result, bit for bit.
import { makeFitApi, type FitEngine, type PreparedTarget } from "../fit/api.js";
import { wasmFitEngine } from "../fit/wasm.js";
import type { Task } from "./tasks.js";

export interface FitPlan { x: Float64Array; p: Float64Array; floor: number; mus: Float64Array; sigmas: Float64Array; reverse: boolean }
export type FitPayload =
  | { mode: "plan"; args: unknown[] }
  | { mode: "rows"; plan: FitPlan }
  | { mode: "final"; args: unknown[]; raw?: Float64Array };

class Stop {
  constructor(readonly plan: FitPlan) {}
}

let hook: { capture: true } | { raw?: Float64Array } = {};

const engine: FitEngine = {
  klDensity: (...a) => wasmFitEngine.klDensity(...a),
  prepare(x, p, floor) {
    let target: PreparedTarget | undefined;
    return {
      surface(mus, sigmas, reverse, out) {
        if ("capture" in hook) throw new Stop({ x, p, floor, mus: mus.slice(), sigmas: sigmas.slice(), reverse });
        if (hook.raw !== undefined) {
          out.set(hook.raw);
          hook.raw = undefined;
          return;
        }
        (target ??= wasmFitEngine.prepare(x, p, floor)).surface(mus, sigmas, reverse, out);
      },
    };
  },
};
const api = /* @__PURE__ */ makeFitApi(engine);

export const fitTask: Task<FitPayload, unknown> = (job) => {
  if (job.mode === "rows") {
    const { x, p, floor, mus, sigmas, reverse } = job.plan, out = new Float64Array(mus.length * sigmas.length);
    wasmFitEngine.prepare(x, p, floor).surface(mus, sigmas, reverse, out);
    return { result: out, transfer: [out.buffer] };
  }
  hook = job.mode === "plan" ? { capture: true } : { raw: job.raw };
  try {
    const fit = api.gaussianFit(...(job.args as Parameters<typeof api.gaussianFit>));
    return { result: { fit } };
  } catch (e) {
    if (e instanceof Stop) return { result: { plan: e.plan } };
    throw e;
  } finally {
    hook = {};
  }
};
