// The interactive page: sliders for the Gaussian's mu and sigma over the seed's
// bimodal P, live forward and reverse KL, P and Q drawn, both 40 x 40 loss surfaces
// as heatmaps with the current point and the minima marked. All numbers come from
// kl-wasm's WebAssembly module, compiled asynchronously first (ready()).
import { ready } from "kl-wasm";
import { linspace, mixturePdf, normalizeDensity, normalPdf, klDensity, gaussianFit } from "kl-wasm/fit";

await ready();
const x = linspace(-5, 5, 1000), dx = x[1] - x[0];
const p = normalizeDensity(mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] }), dx);
const mus = linspace(-3, 3, 40), sigmas = linspace(0.3, 3, 40);
const fits = {
  forward: gaussianFit(p, x, { direction: "forward", mus, sigmas }),
  reverse: gaussianFit(p, x, { direction: "reverse", mus, sigmas }),
};
const q = new Float64Array(x.length);
const $ = (id) => document.getElementById(id);

// viridis, sampled: colour of t in [0, 1]
const VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"];
function colour(t) {
  const u = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const a = VIRIDIS[i], b = VIRIDIS[i + 1], f = u - i;
  const mix = (k) => Math.round(parseInt(a.slice(k, k + 2), 16) * (1 - f) + parseInt(b.slice(k, k + 2), 16) * f);
  return `rgb(${mix(1)},${mix(3)},${mix(5)})`;
}

/** The surface as a heatmap (log colour scale): background image, drawn once. */
function heatmap(canvas, fit) {
  const ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height;
  let lo = Infinity, hi = -Infinity;
  for (const v of fit.losses) { lo = Math.min(lo, Math.log(v)); hi = Math.max(hi, Math.log(v)); }
  const cw = w / sigmas.length, ch = h / mus.length;
  for (let i = 0; i < mus.length; i++) {
    for (let j = 0; j < sigmas.length; j++) {
      ctx.fillStyle = colour((Math.log(fit.losses[i * sigmas.length + j]) - lo) / (hi - lo));
      ctx.fillRect(j * cw, h - (i + 1) * ch, cw + 0.5, ch + 0.5);
    }
  }
  return ctx.getImageData(0, 0, w, h);
}
const toPx = (canvas, mu, sigma) => [
  ((sigma - 0.3) / 2.7) * (canvas.width - canvas.width / 40) + canvas.width / 80,
  canvas.height - (((mu + 3) / 6) * (canvas.height - canvas.height / 40) + canvas.height / 80),
];
const backgrounds = { forward: heatmap($("forward-surface"), fits.forward), reverse: heatmap($("reverse-surface"), fits.reverse) };

function drawSurface(name, mu, sigma) {
  const canvas = $(`${name}-surface`), ctx = canvas.getContext("2d");
  ctx.putImageData(backgrounds[name], 0, 0);
  ctx.strokeStyle = "white"; ctx.lineWidth = 2;
  for (const c of fits[name].gridModes) {
    const [px, py] = toPx(canvas, c.mu, c.sigma);
    ctx.beginPath(); ctx.arc(px, py, 6, 0, 2 * Math.PI); ctx.stroke();
  }
  for (const m of fits[name].modes) {
    const [px, py] = toPx(canvas, m.mu, m.sigma);
    ctx.beginPath(); ctx.moveTo(px - 5, py - 5); ctx.lineTo(px + 5, py + 5); ctx.moveTo(px + 5, py - 5); ctx.lineTo(px - 5, py + 5); ctx.stroke();
  }
  const [px, py] = toPx(canvas, mu, sigma);
  ctx.fillStyle = "#ff3b30"; ctx.beginPath(); ctx.arc(px, py, 5, 0, 2 * Math.PI); ctx.fill();
}

function drawDensities() {
  const canvas = $("densities"), ctx = canvas.getContext("2d"), w = canvas.width, h = canvas.height, pad = 24;
  ctx.clearRect(0, 0, w, h);
  let top = 0;
  for (let i = 0; i < x.length; i++) top = Math.max(top, p[i], q[i]);
  const X = (v) => pad + ((v + 5) / 10) * (w - 2 * pad), Y = (v) => h - pad - (v / top) * (h - 2 * pad);
  ctx.strokeStyle = "#999"; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(pad, h - pad); ctx.lineTo(w - pad, h - pad); ctx.stroke();
  ctx.fillStyle = "#555"; ctx.font = "11px system-ui";
  for (const t of [-4, -2, 0, 2, 4]) ctx.fillText(String(t), X(t) - 4, h - 8);
  for (const [ys, colourName, width] of [[p, "#000", 2.5], [q, "#7a3ff2", 2]]) {
    ctx.strokeStyle = colourName; ctx.lineWidth = width;
    ctx.beginPath();
    for (let i = 0; i < x.length; i++) (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(x[i]), Y(ys[i]));
    ctx.stroke();
  }
}

function update() {
  const mu = Number($("mu").value), sigma = Number($("sigma").value);
  // timed over 20 repetitions: browsers coarsen performance.now()
  const t0 = performance.now();
  let forward = 0, reverse = 0;
  for (let r = 0; r < 20; r++) {
    normalPdf(x, mu, sigma, q);
    forward = klDensity(p, q, dx);
    reverse = klDensity(q, p, dx);
  }
  const ms = (performance.now() - t0) / 20;
  $("mu-value").value = mu.toFixed(2);
  $("sigma-value").value = sigma.toFixed(2);
  $("forward").textContent = forward.toFixed(6);
  $("reverse").textContent = reverse.toFixed(6);
  $("timing").textContent = `(${ms < 0.01 ? "< 10" : (ms * 1000).toFixed(0)} µs for Q and both KLs)`;
  drawDensities();
  drawSurface("forward", mu, sigma);
  drawSurface("reverse", mu, sigma);
  document.body.dataset.mu = String(mu);
  document.body.dataset.sigma = String(sigma);
}
$("mu").addEventListener("input", update);
$("sigma").addEventListener("input", update);
update();
document.body.dataset.ready = "true";
