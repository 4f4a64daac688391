// npm run demo: the library's main job. Section 1 of the seed chapter
// (the chapter text outside this repository; its values are test/fixtures/seed.json),
// printed value for value in the chapter's own format; then
// section 2: Gaussian fits to a bimodal density by forward and reverse KL on the
// chapter's 40 x 40 grid, refined to the continuous optima, with every mode,
// the time the surfaces take against the pure-TS reference, and the figures.
import { mkdirSync, writeFileSync } from "node:fs";
import { entropy, klDivergence, crossEntropy } from "../dist/index.js";
import { linspace, mixturePdf, normalizeDensity, normalPdf, gaussianFit } from "../dist/fit.js";
import * as reference from "../dist/reference.js";
import { fitsFigure, surfacesFigure } from "./figures.mjs";

// ---------------------------------------------------------------- section 1
const pTrue = [0.5, 0.3, 0.2];
const qPred = [0.3, 0.4, 0.3];

const hP = entropy(pTrue);
const kl = klDivergence(pTrue, qPred);
const ce = hP + kl;                                  // the chapter's cross_entropy_discrete: H + KL
const ceDirect = crossEntropy(pTrue, qPred, { eps: 0 }); // -sum p log q, computed directly
// numpy.isclose(a, b): |a - b| <= 1e-8 + 1e-5 |b|
const isclose = (a, b) => Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);

console.log(`H(P): ${hP.toFixed(6)}`);
console.log(`KL(P||Q): ${kl.toFixed(6)}`);
console.log(`H(P,Q): ${ce.toFixed(6)}`);
console.log(`Direct CE: ${ceDirect.toFixed(6)}`);
console.log(`H(P)+KL=CE: ${isclose(hP + kl, ce) ? "True" : "False"}`);
console.log();
console.log(`D_KL(P||Q) = ${kl.toFixed(4)}`);
console.log(`D_KL(Q||P) = ${klDivergence(qPred, pTrue).toFixed(4)} (asymmetric!)`);

// ---------------------------------------------------------------- section 2
const x = linspace(-5, 5, 1000);
const dx = x[1] - x[0];
const mixture = { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] };
const p = normalizeDensity(mixturePdf(x, mixture), dx);
const mus = linspace(-3, 3, 40);
const sigmas = linspace(0.3, 3.0, 40);

const fwd = gaussianFit(p, x, { direction: "forward", mus, sigmas });
const rev = gaussianFit(p, x, { direction: "reverse", mus, sigmas });

const f4 = (v) => (v < 0 ? "" : "+") + v.toFixed(4);
const cellText = (c) => `(${c.i}, ${c.j}) μ=${f4(c.mu)}, σ=${c.sigma.toFixed(4)}, KL=${c.loss.toFixed(6)}`;
const modeText = (m) => `μ=${(m.mu < 0 ? "" : "+") + m.mu.toFixed(6)}, σ=${m.sigma.toFixed(6)}, KL=${m.loss.toFixed(9)}`;

// moment matching of the discretised P (what the forward optimum must reproduce)
let w = 0, m1 = 0, m2 = 0;
for (let i = 0; i < x.length; i++) { const v = Math.max(p[i], 1e-15); w += v; m1 += v * x[i]; }
const mean = m1 / w;
for (let i = 0; i < x.length; i++) m2 += Math.max(p[i], 1e-15) * (x[i] - mean) ** 2;
const sd = Math.sqrt(m2 / w);

console.log();
console.log("Forward vs reverse KL: Gaussian Q fitted to P = 0.5 N(-2, 0.6) + 0.5 N(2, 0.6)");
console.log(`x = linspace(-5, 5, 1000), dx = ${dx}; mus = linspace(-3, 3, 40), sigmas = linspace(0.3, 3.0, 40)`);
console.log(`P normalised: sum(p) dx = ${(p.reduce((a, b) => a + b, 0) * dx).toFixed(12)}`);
console.log();
console.log(`Min Forward KL: μ=${fwd.best.mu.toFixed(2)}, σ=${fwd.best.sigma.toFixed(2)}`);
console.log(`Min Reverse KL: μ=${rev.best.mu.toFixed(2)}, σ=${rev.best.sigma.toFixed(2)}`);
console.log("(each surface has mirror minima, μ -> -μ; which one a grid argmin picks is a rounding accident, so both are listed below)");
for (const fit of [fwd, rev]) {
  console.log();
  console.log(fit.direction === "forward" ? "Forward KL(P||Q), mass-covering:" : "Reverse KL(Q||P), mode-seeking:");
  console.log(`  grid argmin (NumPy's rule) ${cellText(fit.best)}`);
  console.log(`  grid modes (local minima within 1e-9 of the best): ${fit.gridModes.length}`);
  for (const c of fit.gridModes) console.log(`    ${cellText(c)}`);
  console.log(`  refined modes (Nelder-Mead on the same discretised objective): ${fit.modes.length}`);
  for (const m of fit.modes) console.log(`    ${modeText(m)}  (${m.evaluations} evaluations)`);
  if (fit === fwd) {
    console.log(`  moment matching of P: μ=${(mean < 0 ? "" : "+") + mean.toFixed(6)}, σ=${sd.toFixed(6)} ` +
      `(the forward optimum differs by ${Math.abs(fwd.optimum.mu - mean).toExponential(1)} in μ, ${Math.abs(fwd.optimum.sigma - sd).toExponential(1)} in σ)`);
  }
}

// timing: both surfaces, WebAssembly against the pure-TS reference, interleaved
const opts = (direction) => ({ direction, mus, sigmas, refine: false });
const both = (lib) => { lib.gaussianFit(p, x, opts("forward")); lib.gaussianFit(p, x, opts("reverse")); };
const times = { wasm: [], ref: [] };
for (let r = 0; r < 7; r++) {
  for (const [k, lib] of [["wasm", { gaussianFit }], ["ref", reference]]) {
    const t0 = performance.now();
    both(lib);
    times[k].push(performance.now() - t0);
  }
}
const median = (a) => a.sort((u, v) => u - v)[a.length >> 1];
const tw = median(times.wasm), tr = median(times.ref);
console.log();
console.log(`Both surfaces (2 x 1600 x 1000 terms), median of 7: WebAssembly ${tw.toFixed(1)} ms, ` +
  `pure-TS reference ${tr.toFixed(1)} ms (${(tr / tw).toFixed(1)}x)`);

// figures
mkdirSync("figures", { recursive: true });
writeFileSync("figures/kl_fits.svg", await fitsFigure({
  x, p, fwd: fwd.best, rev: rev.best, fwdPdf: normalPdf(x, fwd.best.mu, fwd.best.sigma), revPdf: normalPdf(x, rev.best.mu, rev.best.sigma),
}));
writeFileSync("figures/loss_surfaces.svg", await surfacesFigure([fwd, rev]));
console.log("Figures: figures/kl_fits.svg, figures/loss_surfaces.svg");

// ---------------------------------------------------------------- section 3: what comes next
// Mutual information, "the non-linear, model-free generalization of correlation":
// y = x^2 on symmetric x has no linear correlation, and a strong dependence.
{
  const { mutualInformationKSG, mutualInformationLabels, normalizedMutualInformation } = await import("../dist/mutual.js");
  let seed = 12345;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const n = 10_000;
  const xs = Float64Array.from({ length: n }, () => 2 * rand() - 1);
  const ys = xs.map((v) => v * v);
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(xs), my = mean(ys);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; syy += (ys[i] - my) ** 2; }
  const pearson = sxy / Math.sqrt(sxx * syy);
  const noise = Float64Array.from({ length: n }, () => 2 * rand() - 1);
  console.log();
  console.log("Mutual information finds what correlation misses: x uniform on [-1, 1], n = 10000");
  console.log(`  y = x^2:    Pearson r = ${pearson.toFixed(4)}, KSG mutual information = ${mutualInformationKSG(xs, ys).toFixed(4)} nats (deterministic: the true MI is infinite, the estimate grows with n)`);
  console.log(`  y = noise:  Pearson r = ${(() => { const m2 = mean(noise); let a = 0, b = 0; for (let i = 0; i < n; i++) { a += (xs[i] - mx) * (noise[i] - m2); b += (noise[i] - m2) ** 2; } return (a / Math.sqrt(sxx * b)).toFixed(4); })()}, KSG mutual information = ${mutualInformationKSG(xs, noise).toFixed(4)} nats`);
  const bins = (v, k) => Int32Array.from(v, (u) => Math.min(k - 1, Math.floor(((u + 1) / 2) * k)));
  const bx = bins(xs, 10), by = bins(ys.map((v) => 2 * v - 1), 10);
  console.log(`  binned into 10 x 10 classes: I = ${mutualInformationLabels(bx, by).toFixed(4)} nats, NMI = ${normalizedMutualInformation(bx, by).toFixed(4)}`);
}
