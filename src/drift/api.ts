// The drift family's public functions, composed once over a binning engine (WebAssembly or
// the twin) and the discrete family's pure-TS functions (KL and Jensen–Shannon of the
// binned proportions): kl-wasm/drift and kl-wasm/reference/drift are this over their engines.
// Edges (edges.ts) and the sample statistics (samples.ts) need no engine: the entries
// export them as they are, and the report calls them directly.
import { makeApi } from "../discrete/api.js";
import { referenceEngine, plainCallsAnyLength } from "../discrete/twin.js";
import { type BinEngine, type HistogramApi, makeHistogramApi } from "./histogram.js";
import { type Metrics, makeMetrics } from "./metrics.js";
import { type ReportApi, makeReport } from "./report.js";

export type DriftApi = HistogramApi & Metrics & ReportApi;

/** KL and Jensen–Shannon of binned counts, for both entries: the discrete family's pure-TS functions (kl-wasm's
 *  own path for vectors below its kernels' crossover, where bins almost always are), so that kl-wasm/drift
 *  carries one WebAssembly module (drift.wasm), not two. */
const discrete = /* @__PURE__ */ makeApi(referenceEngine, { engine: referenceEngine, below: Infinity, plain: plainCallsAnyLength });

export function makeDriftApi(engine: BinEngine): DriftApi {
  const hist = makeHistogramApi(engine);
  const metrics = makeMetrics({ discrete, histogram: hist.histogram });
  const report = makeReport({ metrics, histogram: hist.histogram, discrete });
  return { ...hist, ...metrics, ...report };
}
