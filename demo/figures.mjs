// The demo's figures, drawn with Vega-Lite (compiled to Vega and rendered to SVG
// server-side, no browser): the seed's figure (P with its forward and reverse
// Gaussian fits) and both loss surfaces as heatmaps with their minima marked.
import * as vega from "vega";
import * as vl from "vega-lite";

async function toSVG(spec) {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}

const fmt = (v) => v.toFixed(2);

/** The seed's figure: figsize (9, 4), P in black, forward fit in blue, reverse in red. */
export function fitsFigure({ x, p, fwd, rev, fwdPdf, revPdf }) {
  const labels = [
    "True P (bimodal)",
    `Min Forward KL: μ=${fmt(fwd.mu)}, σ=${fmt(fwd.sigma)}`,
    `Min Reverse KL: μ=${fmt(rev.mu)}, σ=${fmt(rev.sigma)}`,
  ];
  const values = [];
  for (let i = 0; i < x.length; i++) {
    values.push({ x: x[i], y: p[i], curve: labels[0] });
    values.push({ x: x[i], y: fwdPdf[i], curve: labels[1] });
    values.push({ x: x[i], y: revPdf[i], curve: labels[2] });
  }
  return toSVG({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: "Forward KL → covers both modes | Reverse KL → one mode", fontSize: 15, fontWeight: "normal" },
    width: 780, height: 300,
    background: "white",
    data: { values },
    mark: { type: "line", clip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: "x", scale: { domain: [-5.5, 5.5], nice: false }, axis: { values: [-4, -2, 0, 2, 4] } },
      y: { field: "y", type: "quantitative", title: null },
      color: {
        field: "curve", type: "nominal", title: null, sort: labels,
        scale: { domain: labels, range: ["black", "blue", "red"] },
        legend: { orient: "top-left", labelFontSize: 11, labelLimit: 400, fillColor: "rgba(255,255,255,0.8)", strokeColor: "#ccc", padding: 6, symbolType: "stroke", symbolStrokeWidth: 2.5 },
      },
      strokeWidth: { condition: { test: `datum.curve === ${JSON.stringify(labels[0])}`, value: 2.5 }, value: 2 },
    },
  });
}

/** Both loss surfaces as heatmaps (log colour scale), grid modes as white circles, refined modes as crosses. */
export function surfacesFigure(fits) {
  const panels = fits.map((fit) => {
    const { mus, sigmas, losses } = fit;
    const hm = (mus[mus.length - 1] - mus[0]) / (mus.length - 1) / 2;
    const hs = (sigmas[sigmas.length - 1] - sigmas[0]) / (sigmas.length - 1) / 2;
    const cells = [];
    for (let i = 0; i < mus.length; i++) {
      for (let j = 0; j < sigmas.length; j++) {
        cells.push({ mu: mus[i] - hm, mu2: mus[i] + hm, sigma: sigmas[j] - hs, sigma2: sigmas[j] + hs, loss: losses[i * sigmas.length + j] });
      }
    }
    const marks = [
      ...fit.gridModes.map((c) => ({ mu: c.mu, sigma: c.sigma, what: "grid minimum" })),
      ...fit.modes.map((m) => ({ mu: m.mu, sigma: m.sigma, what: "refined mode" })),
    ];
    const name = fit.direction === "forward" ? "Forward KL(P‖Q)" : "Reverse KL(Q‖P)";
    return {
      title: { text: `${name}: loss over (μ, σ)`, fontWeight: "normal" },
      width: 340, height: 340,
      layer: [
        {
          data: { values: cells },
          mark: { type: "rect" },
          encoding: {
            x: { field: "sigma", type: "quantitative", title: "σ", axis: { grid: false }, scale: { domain: [sigmas[0] - hs, sigmas[sigmas.length - 1] + hs], nice: false, zero: false } },
            x2: { field: "sigma2" },
            y: { field: "mu", type: "quantitative", title: "μ", axis: { grid: false }, scale: { domain: [mus[0] - hm, mus[mus.length - 1] + hm], nice: false, zero: false } },
            y2: { field: "mu2" },
            color: { field: "loss", type: "quantitative", scale: { type: "log", scheme: "viridis" }, title: "KL (nats)", legend: { orient: "right" } },
          },
        },
        {
          data: { values: marks },
          mark: { type: "point", size: 90, strokeWidth: 2, filled: false },
          encoding: {
            x: { field: "sigma", type: "quantitative" },
            y: { field: "mu", type: "quantitative" },
            shape: { field: "what", type: "nominal", scale: { domain: ["grid minimum", "refined mode"], range: ["circle", "cross"] }, title: null, legend: { orient: "bottom", symbolStrokeColor: "black", symbolFillColor: "transparent" } },
            color: { value: "white" },
          },
        },
      ],
      resolve: { scale: { color: "independent" } },
    };
  });
  return toSVG({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    background: "white",
    config: { axis: { grid: false } },
    hconcat: panels,
    resolve: { scale: { color: "independent" } },
  });
}
