// The drift figure: reference and current histograms of a drifted feature on edges from the
// reference (NumPy's "auto" rule), with PSI, the Jensen–Shannon distance, KL, the Wasserstein distance and the KS
// test's p-value in the title. Deterministic: the samples come from a seeded generator
// (mulberry32 + Box–Muller). Drawn with Vega-Lite (compiled to Vega, rendered to SVG
// server-side) as the demo's figures are (demo/figures.mjs).
//
//   node examples/drift/figure.mjs        writes figures/drift_histograms.svg
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as vega from "vega";
import * as vl from "vega-lite";
import { histogramEdges, histogram, wasserstein1, ksTest } from "kl-wasm/drift";
import { driftMetrics, mulberry32 } from "./shared.mjs";

async function toSVG(spec) {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}

/** n normal samples with mean `shift` and standard deviation `scale` (Box–Muller on `random`). */
function normalSample(n, { shift = 0, scale = 1 }, random) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random())), t = 2 * Math.PI * random();
    out[i] = shift + scale * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = shift + scale * r * Math.sin(t);
  }
  return out;
}

/**
 * The figure's data and metrics: `n` reference samples from N(0, 1) and `n` current ones from
 * N(shift, scale²), binned on edges from the reference (NumPy's "auto" rule); the current mass outside them is
 * counted (under, over) and enters the metrics as extra bins (examples/drift/shared.mjs).
 */
export function driftData({ n = 10000, shift = 0.15, scale = 1.1, seed = 12 } = {}) {
  const random = mulberry32(seed);
  const reference = normalSample(n, {}, random), current = normalSample(n, { shift, scale }, random);
  const edges = histogramEdges(reference, { bins: "auto" });
  const ref = histogram(reference, edges), cur = histogram(current, edges);
  const metrics = {
    ...driftMetrics(ref, cur),
    wasserstein: wasserstein1(reference, current),
    ks: ksTest(reference, current),
  };
  return { n, shift, scale, edges, ref, cur, metrics };
}

const fmtP = (p) => (p === 0 ? "0" : p < 1e-3 ? p.toExponential(1) : p.toFixed(3));

/** The SVG: both windows' bin shares as overlaid bars, the metrics in the subtitle. */
export function driftFigure({ n, shift, scale, edges, ref, cur, metrics }) {
  const windows = [
    { name: `reference: N(0, 1), n = ${n}`, h: ref },
    { name: `current: N(${shift}, ${scale}²), n = ${n}`, h: cur },
  ];
  const values = [];
  for (const { name, h } of windows) {
    for (let i = 0; i < edges.length - 1; i++) values.push({ lo: edges[i], hi: edges[i + 1], share: h.counts[i] / n, window: name });
  }
  const m = metrics;
  const subtitle = [
    `PSI ${m.psi.toFixed(4)} · JS distance ${m.jensenShannonDistance.toFixed(4)} · KL(ref‖cur) ${m.klDivergence.toFixed(4)} · ` +
      `Wasserstein ${m.wasserstein.toFixed(4)} · KS D = ${m.ks.statistic.toFixed(4)}, p = ${fmtP(m.ks.pvalue)}`,
    `${edges.length - 1} bins on the reference's range (NumPy's "auto" edges); current outside it: ${cur.under} below, ` +
      `${cur.over} above, extra bins in the metrics`,
    "PSI and KL with a pseudo-count of 0.5 per bin; JS in nats; Wasserstein and KS on the raw samples",
  ];
  return toSVG({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Reference vs current window of a drifted feature", subtitle, fontSize: 15, fontWeight: "normal", subtitleFontSize: 11 },
    width: 780, height: 300,
    background: "white",
    data: { values },
    mark: { type: "rect", fillOpacity: 0.35, strokeWidth: 1.2 },
    encoding: {
      x: { field: "lo", type: "quantitative", title: "x", scale: { domain: [edges[0], edges[edges.length - 1]], nice: false, zero: false } },
      x2: { field: "hi" },
      y: { field: "share", type: "quantitative", title: "share of the window per bin" },
      y2: { datum: 0 },
      stroke: { field: "window", type: "nominal", scale: { domain: windows.map((w) => w.name), range: ["#1f77b4", "#d62728"] } },
      color: {
        field: "window", type: "nominal", title: null, sort: windows.map((w) => w.name),
        scale: { domain: windows.map((w) => w.name), range: ["#1f77b4", "#d62728"] },
        legend: { orient: "top-left", labelFontSize: 11, labelLimit: 400, fillColor: "rgba(255,255,255,0.8)", strokeColor: "#ccc", padding: 6 },
      },
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const data = driftData();
  mkdirSync("figures", { recursive: true });
  writeFileSync("figures/drift_histograms.svg", await driftFigure(data));
  const m = data.metrics;
  console.log(`PSI ${m.psi}, JS distance ${m.jensenShannonDistance}, KL ${m.klDivergence}, Wasserstein ${m.wasserstein}, KS ${m.ks.statistic} (p = ${m.ks.pvalue})`);
  console.log("Figure: figures/drift_histograms.svg");
}
