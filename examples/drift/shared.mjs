// What the drift examples share: the metric recipe (on merged counts, and the same from raw
// samples, where kl-wasm bins them itself) and a small seeded generator.
import { psi, klDivergence, jensenShannonDistance } from "kl-wasm/drift";

/** Smoothing for PSI and KL: a pseudo-count of 0.5 in every bin (the current window has mass
 * where the reference has none: outside the reference's own edges). JS needs none. */
export const SMOOTHING = Object.freeze({ add: 0.5 });

/**
 * A histogram's counts (Histogram, histogram()'s result or HistogramJSON) of both windows as
 * the two count vectors the metrics compare, built as the metrics build them from raw samples
 * (their default `outside: "extend"`): a bin below the first edge and one above the last,
 * each only when either window has mass there.
 */
export function countVectors(ref, cur) {
  const below = ref.under + cur.under > 0, above = ref.over + cur.over > 0;
  const vector = (h) => [...(below ? [h.under] : []), ...h.counts, ...(above ? [h.over] : [])];
  return [vector(ref), vector(cur)];
}

/** PSI, KL(reference‖current) and the Jensen–Shannon distance (nats) of two windows' counts. */
export function driftMetrics(ref, cur) {
  const [p, q] = countVectors(ref, cur);
  return {
    psi: psi(p, q, { smoothing: SMOOTHING }),
    klDivergence: klDivergence(p, q, { smoothing: SMOOTHING }),
    jensenShannonDistance: jensenShannonDistance(p, q),
  };
}

/** The same metrics from the raw samples of both windows, binned by kl-wasm on `edges`. */
export function driftMetricsOfSamples(refSamples, curSamples, edges) {
  return {
    psi: psi(refSamples, curSamples, { bins: edges, smoothing: SMOOTHING }),
    klDivergence: klDivergence(refSamples, curSamples, { bins: edges, smoothing: SMOOTHING }),
    jensenShannonDistance: jensenShannonDistance(refSamples, curSamples, { bins: edges }),
  };
}

/** mulberry32: a seeded generator of doubles in [0, 1) (same seed, same sequence). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
