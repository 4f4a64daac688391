// The drift entries as users call them: the README's recipe, value for value, on both
// builds (kl-wasm/drift over the WebAssembly binning, kl-wasm/reference/drift over the twin).
import { describe, it, expect } from "vitest";
import * as wasm from "../src/drift.js";
import * as ref from "../src/reference-drift.js";

describe.each([["kl-wasm/drift", wasm], ["kl-wasm/reference/drift", ref]] as const)("%s: the README's recipe", (_name, d) => {
  const reference = Array.from({ length: 1000 }, (_, i) => Math.sqrt(i));
  const current = reference.map((v) => 1.05 * v + 0.5);

  it("metrics on raw samples", () => {
    expect(d.psi(reference, current, { bins: "sturges", smoothing: { add: 0.5 } })).toBe(0.6838947086978879);
    expect(d.jensenShannonDistance(reference, current, { bins: "doane", base: 2 })).toBe(0.25308086367573485);
    expect(d.wasserstein1(reference, current)).toBe(1.5532916555439535);
    const t = d.ksTest(reference, current);
    expect([t.statistic, t.pvalue]).toEqual([0.122, 6.669830320596686e-7]);
    expect(d.driftReport({ x: reference }, { x: current }, { preset: "nannyml" }).features[0].drifted).toBe(true);
    expect(d.psi([50, 30, 20], [40, 30, 30])).toBe(0.06286086594223741);
  });

  it("histograms merged from parts (one through JSON) equal the histogram of all", () => {
    const edges = d.histogramEdges(reference, { bins: 20 });
    const a = d.createHistogram(edges).add(reference.slice(0, 500));
    const b = d.Histogram.fromJSON(JSON.stringify(d.createHistogram(edges).add(reference.slice(500))));
    expect(a.merge(b).counts).toEqual(d.histogram(reference, edges).counts);
    expect(a).toBeInstanceOf(d.Histogram);
    expect(d.histogram([0, 1, 2, 3, 9], [0, 1, 2, 3])).toEqual({ counts: new Float64Array([1, 1, 2]), under: 0, over: 1, nan: 0 });
  });
});
