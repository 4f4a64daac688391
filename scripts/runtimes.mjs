// npm run test:runtimes: the packed package, installed into a fresh project, checked
// in every runtime users import it from. One check (smoke/check.js: the seed's
// values, a zero-copy call, a batched call, a bad input's error) runs in Node ESM,
// Node CJS, Deno, Bun, Cloudflare workerd (serving a request on loopback) and
// headless Chromium (no bundler: an import map). Then the types: a TypeScript
// consumer under moduleResolution node16 and bundler, publint, and
// @arethetypeswrong/cli; and what `npm pack` ships, and how big the entries are.
//
// Builds through `npm pack` (its prepack runs `npm run build`). The runtimes and
// checkers (deno, bun, workerd, playwright-core, publint, @arethetypeswrong/cli) are
// not devDependencies: scripts/peers.mjs installs them, pinned, on first use into
// .peers/runtimes/; Chromium is Debian's (/usr/bin/chromium, or CHROMIUM). The seed
// values come from test/fixtures/seed.json.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { ensurePeers, peerBin, peerImport } from "./peers.mjs";

const root = resolve(import.meta.dirname, "..");
ensurePeers("runtimes");
const bin = (name) => peerBin("runtimes", name);
const seedPath = join(root, "test", "fixtures", "seed.json");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const results = [];
const MODULES = ["discrete", "fit", "mutual", "drift", "logits", "pairwise", "knn", "divergence"];
const record = (runtime, command, ok, detail = "") => {
  results.push({ runtime, command, ok, detail });
  console.error(`${ok ? "ok  " : "FAIL"} ${runtime}${detail ? `: ${detail}` : ""}`);
};
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000, ...opts });

// ------------------------------------------------------------------ the project
const dir = mkdtempSync(join(tmpdir(), "kl-wasm-runtimes-"));
const tgz = run("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root }).trim().split("\n").pop();
writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
// installing the tarball prints nothing npm warns about (the packed package.json has
// no install script: scripts/pack-manifest.mjs takes `prepare` out at prepack)
{
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", join(dir, tgz)], { cwd: dir, encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm install ${tgz} failed: ${r.stderr || r.error}`);
  const warned = `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => /^npm (warn|WARN|error|ERR)/.test(l));
  record("npm install <tarball>", "npm install kl-wasm-<version>.tgz in a fresh project", warned.length === 0,
    warned.length ? warned.join(" / ") : "no warnings");
}
const seed = JSON.parse(readFileSync(seedPath, "utf8"));
writeFileSync(join(dir, "seed.json"), JSON.stringify({ discrete: seed.discrete }));
writeFileSync(join(dir, "seed.js"), `export default ${JSON.stringify({ discrete: seed.discrete })};\n`);

// one check, written once, emitted as ESM and CJS
const checkSource = `
function check(kl, seed) {
  const d = seed.discrete, done = [];
  const near = (name, got, want, tol) => {
    if (!(Math.abs(got - want) <= tol * Math.abs(want))) throw new Error(name + ": got " + got + ", want " + want);
    done.push(name);
  };
  near("H(P)", kl.entropy(d.p), d.entropy_p, 1e-15);
  near("KL(P||Q)", kl.klDivergence(d.p, d.q), d.kl_pq, 1e-15);
  near("KL(Q||P)", kl.klDivergence(d.q, d.p), d.kl_qp, 1e-15);
  near("H(P,Q)", kl.crossEntropy(d.p, d.q), d.cross_entropy_pq, 1e-15);
  // zero-copy: views in WebAssembly memory, and a size that runs the kernels
  const ws = kl.createWorkspace(1 << 16), P = ws.f64(999), Q = ws.f64(999);
  for (let i = 0; i < 999; i++) { P[i] = d.p[i % 3] / 333; Q[i] = d.q[i % 3] / 333; }
  near("zero-copy KL", kl.klDivergence(P, Q), d.kl_pq, 1e-13);
  ws.dispose();
  // batched rows: one call, one value per row
  const rows = kl.klDivergenceRows([...d.p, ...d.q], [...d.q, ...d.p], 3);
  near("rows[0]", rows[0], d.kl_pq, 1e-15);
  near("rows[1]", rows[1], d.kl_qp, 1e-15);
  near("entropy n=4096", kl.entropy(new Float64Array(4096).fill(1 / 4096)), Math.log(4096), 1e-14);
  // the subpaths share the instance: kl-wasm/fit and kl-wasm/mutual
  near("gaussianKL", kl.gaussianKL(0, 1, 1, 1), 0.5, 1e-15);
  const x = kl.linspace(-5, 5, 1000), dx = x[1] - x[0];
  const px = kl.normalPdf(x, 0, 1), qx = kl.normalPdf(x, 1, 1);
  near("klDensity", kl.klDensity(px, qx, dx), 0.5, 1e-6);
  near("mutualInformation", kl.mutualInformation([1, 0, 0, 1], 2, { counts: true }), Math.log(2), 1e-15);
  // kl-wasm/drift: a histogram long enough for its kernel (NumPy's last bin holds its right edge), PSI
  const xs = Float64Array.from({ length: 1000 }, (_, i) => i % 10), counts = kl.drift.histogram(xs, kl.drift.histogramEdges(xs, { bins: 9 })).counts;
  if (counts.join() !== "100,100,100,100,100,100,100,100,200") throw new Error("histogram: got " + counts.join());
  done.push("histogram");
  near("psi", kl.drift.psi([50, 30, 20], [40, 30, 30]), 0.06286086594223741, 1e-15);
  // kl-wasm/logits: rows long enough for its kernels; log-sum-exp of n zeros is log n, and so is the cross-entropy of any label
  const z = new Float32Array(4096);
  near("logSumExpRows", kl.logits.logSumExpRows(z, 2048)[1], Math.log(2048), 1e-12);
  near("crossEntropyLogits", kl.logits.crossEntropyLogits(z, new Int32Array([3, 7]), 2048), Math.log(2048), 1e-12);
  // kl-wasm/pairwise: a matrix large enough for its kernels; disjoint one-hot rows are ln 2 apart in Jensen–Shannon
  const eye = new Float64Array(64 * 64);
  for (let i = 0; i < 64; i++) eye[i * 65] = 1;
  const js = kl.pairwise.pairwise(eye, null, 64, { metric: "jensenShannon" });
  near("pairwise", js[1], Math.LN2, 1e-15);
  near("pairwise diagonal", js[65] + 1, 1, 0);
  near("nearest", kl.pairwise.nearest(eye, null, 64, { metric: "totalVariation" }).values[0], 1, 0);
  // kl-wasm/divergences: rows long enough for its kernels; the Rényi entropy of a uniform row is log n for every order
  const flat = new Float64Array(128).fill(1 / 64);
  near("renyiEntropyRows", kl.divergences.renyiEntropyRows(flat, 2, 64)[1], Math.log(64), 1e-14);
  near("hellingerDistance", kl.divergences.hellingerDistance(eye.subarray(0, 64), eye.subarray(64, 128)), 1, 1e-15);
  // kl-wasm/distributions: closed forms, no WebAssembly; KL(N(0,1) ‖ N(0,1e16)) = log 1e16 + 1/(2e32) − 1/2
  near("klDivergenceOf", kl.distributions.klDivergenceOf(kl.distributions.normal(0, 1), kl.distributions.normal(0, 1e16)), 36.341361487904734, 1e-15);
  near("entropyOf", kl.distributions.entropyOf(kl.distributions.gamma(1, 1)), 1, 1e-15);
  // bad input: a clear error naming the argument and index
  let message = "";
  try { kl.klDivergence([0.5, -0.5], [0.5, 0.5]); } catch (e) { message = e instanceof RangeError ? e.message : "not a RangeError: " + e; }
  if (!message.includes("p[1] is negative")) throw new Error("bad input: " + (message || "no error"));
  done.push("bad input");
  // which build of the modules runs here (docs/runtimes.md): relaxed SIMD where the engine validates it
  const build = kl.simdBuild();
  if (build !== "relaxed" && build !== "baseline") throw new Error("simdBuild(): " + build);
  done.push("build " + build);
  return done;
}
`;
writeFileSync(join(dir, "check.mjs"), `${checkSource}\nexport { check };\n`);
writeFileSync(join(dir, "check.cjs"), `${checkSource}\nmodule.exports = { check };\n`);
const importAll = `import * as core from "kl-wasm";\nimport * as fit from "kl-wasm/fit";\nimport * as mutual from "kl-wasm/mutual";\nimport * as drift from "kl-wasm/drift";\nimport * as logits from "kl-wasm/logits";\nimport * as pairwise from "kl-wasm/pairwise";\nimport * as divergences from "kl-wasm/divergences";\nimport * as distributions from "kl-wasm/distributions";\nconst kl = { ...core, ...fit, ...mutual, drift, logits, pairwise, divergences, distributions };\n`;
writeFileSync(join(dir, "smoke.mjs"), `${importAll}import seed from "./seed.js";\nimport { check } from "./check.mjs";\nconsole.log(JSON.stringify(check(kl, seed)));\n`);
writeFileSync(join(dir, "smoke.cjs"), `const kl = { ...require("kl-wasm"), ...require("kl-wasm/fit"), ...require("kl-wasm/mutual"), drift: require("kl-wasm/drift"), logits: require("kl-wasm/logits"), pairwise: require("kl-wasm/pairwise"), divergences: require("kl-wasm/divergences"), distributions: require("kl-wasm/distributions") };\nconst seed = require("./seed.json");\nconst { check } = require("./check.cjs");\nconsole.log(JSON.stringify(check(kl, seed)));\n`);

// kl-wasm/parallel: a pool of two workers (inline where there are none: workerd) gives the synchronous calls' bits
const parallelSource = `
async function checkParallel(par, kl, pw, fam) {
  const pool = par.createPool({ threads: 2 }), done = [];
  const same = (name, got, want) => { if (!Object.is(got, want)) throw new Error("parallel " + name + ": got " + got + ", want " + want); done.push(name); };
  const n = 1 << 19, p = pool.f64(n), q = pool.f64(n);
  for (let i = 0; i < n; i++) { p[i] = 1 + (i % 7); q[i] = 1 + (i % 5); }
  same("klDivergence", await pool.klDivergence(p, q, { normalize: true }), kl.klDivergence(p, q, { normalize: true }));
  const rows = await pool.entropyRows(p, 1024, { normalize: true }), want = kl.entropyRows(p, 1024, { normalize: true });
  same("entropyRows", rows.every((v, i) => Object.is(v, want[i])), true);
  const X = p.subarray(0, 256 * 64), o = { metric: "jensenShannonDistance", normalize: true };
  const m = await pool.pairwise(X, null, 64, o), w = pw.pairwise(X, null, 64, o);
  same("pairwise", m.every((v, i) => Object.is(v, w[i])), true);
  let message = "";
  try { await pool.klDivergence([0.5, -0.5], [0.5, 0.5]); } catch (e) { message = e.message; }
  same("error", message.includes("p[1] is negative"), true);
  if (fam !== undefined) {
    // the k-NN estimators, histogram and gaussianFit (their engines only in the workers; inline in workerd)
    const x = Float64Array.from({ length: 6000 }, (_, i) => Math.sin(i * 1.7) + (i % 7) * 0.1), y = x.map((v, i) => v * v + Math.cos(i));
    same("entropyKNN", await pool.entropyKNN(x, { cols: 2 }), fam.mutual.entropyKNN(x, { cols: 2 }));
    const f = await pool.mutualInformationFeatures(x, y.subarray(0, 2000), { cols: 3 }), fw = fam.mutual.mutualInformationFeatures(x, y.subarray(0, 2000), { cols: 3 });
    same("mutualInformationFeatures", f.every((v, i) => Object.is(v, fw[i])), true);
    same("histogram", String((await pool.histogram(x, [-1, 0, 1, 2])).counts), String(fam.drift.histogram(x, [-1, 0, 1, 2]).counts));
    const g = fam.fit.linspace(-5, 5, 200), d = fam.fit.mixturePdf(g, { weights: [1], mus: [0.3], sigmas: [1.1] }), o = { mus: fam.fit.linspace(-2, 2, 50), sigmas: fam.fit.linspace(0.5, 2, 50) };
    same("gaussianFit", (await pool.gaussianFit(d, g, o)).optimum.mu, fam.fit.gaussianFit(d, g, o).optimum.mu);
    // kl-wasm/logits: 64 rows of 4096 float32 logits on shared memory (2^18 values: split among the workers)
    const cols = 4096, t = pool.f32(64 * cols), s = pool.f32(64 * cols), lo = { temperature: 2, reduction: "none" };
    for (let i = 0; i < t.length; i++) { t[i] = 4 * Math.sin(i * 0.37); s[i] = 3 * Math.cos(i * 0.11); }
    const kt = await pool.klDivergenceLogits(t, s, cols, lo), kw = fam.logits.klDivergenceLogits(t, s, cols, lo);
    same("klDivergenceLogits", kt.every((v, i) => Object.is(v, kw[i])), true);
  }
  await pool.close();
  done.push("threads " + pool.threads + (typeof SharedArrayBuffer === "function" && p.buffer instanceof SharedArrayBuffer ? ", shared memory" : ", copies"));
  return done;
}
`;
writeFileSync(join(dir, "parallel.mjs"), `import * as par from "kl-wasm/parallel";\nimport * as kl from "kl-wasm";\nimport * as pw from "kl-wasm/pairwise";\nimport * as mutual from "kl-wasm/mutual";\nimport * as drift from "kl-wasm/drift";\nimport * as fit from "kl-wasm/fit";\nimport * as logits from "kl-wasm/logits";\n${parallelSource}\nconsole.log(JSON.stringify(await checkParallel(par, kl, pw, { mutual, drift, fit, logits })));\n`);
writeFileSync(join(dir, "parallel.cjs"), `${parallelSource}\ncheckParallel(require("kl-wasm/parallel"), require("kl-wasm"), require("kl-wasm/pairwise"), { mutual: require("kl-wasm/mutual"), drift: require("kl-wasm/drift"), fit: require("kl-wasm/fit"), logits: require("kl-wasm/logits") }).then((d) => console.log(JSON.stringify(d)), (e) => { console.error(e); process.exit(1); });\n`);

function runtime(name, cmd, args) {
  try {
    const out = run(cmd, args, { cwd: dir });
    const passed = JSON.parse(out.trim().split("\n").pop());
    record(name, [cmd === process.execPath ? "node" : cmd.split("/").pop(), ...args].join(" "), true,
      `${passed.length} checks${typeof passed.at(-1) === "string" && /^(threads|build) /.test(passed.at(-1)) ? ` (${passed.at(-1)})` : ""}`);
  } catch (e) {
    record(name, [cmd.split("/").pop(), ...args].join(" "), false, String(e.stderr || e.message).slice(0, 400));
  }
}

runtime("Node (ESM)", process.execPath, ["smoke.mjs"]);
runtime("Node (CJS)", process.execPath, ["smoke.cjs"]);
runtime("Deno", bin("deno"), ["run", "--quiet", "--no-prompt", "smoke.mjs"]);
runtime("Bun", bin("bun"), ["smoke.mjs"]);
// Node before 21 has relaxed SIMD behind a flag: the same checks with the relaxed build
if (Number(process.versions.node.split(".")[0]) < 21) {
  runtime("Node (ESM), relaxed SIMD", process.execPath, ["--experimental-wasm-relaxed-simd", "smoke.mjs"]);
  runtime("Node (CJS), relaxed SIMD", process.execPath, ["--experimental-wasm-relaxed-simd", "smoke.cjs"]);
}
runtime("kl-wasm/parallel, Node (ESM)", process.execPath, ["parallel.mjs"]);
runtime("kl-wasm/parallel, Node (CJS)", process.execPath, ["parallel.cjs"]);
// Deno asks for read access to the worker's file (a module worker is read, not imported)
runtime("kl-wasm/parallel, Deno", bin("deno"), ["run", "--quiet", "--no-prompt", "--allow-read=node_modules/kl-wasm/dist", "parallel.mjs"]);
runtime("kl-wasm/parallel, Bun", bin("bun"), ["parallel.mjs"]);

// ------------------------------------------------------------------ workerd
async function workerd() {
  const command = "workerd serve config.capnp (worker bundled by esbuild as wrangler does: conditions workerd, worker, browser; .wasm as a module)";
  writeFileSync(join(dir, "worker.src.js"), `${importAll}import seed from "./seed.js";
import { check } from "./check.mjs";
import * as par from "kl-wasm/parallel";
${parallelSource}
export default {
  async fetch() {
    try { return Response.json({ ok: true, passed: [...check(kl, seed), ...await checkParallel(par, core, pairwise, { mutual, drift, fit, logits })] }); }
    catch (e) { return Response.json({ ok: false, error: String(e && e.stack || e) }, { status: 500 }); }
  },
};
`);
  // bundled as wrangler does: the workerd condition, and .wasm imports kept as modules
  // named by their file (wrangler's CompiledWasm rule)
  const { build } = await import("esbuild");
  await build({ entryPoints: [join(dir, "worker.src.js")], bundle: true, format: "esm", outfile: join(dir, "worker.js"),
    conditions: ["workerd", "worker", "browser"], logLevel: "warning",
    plugins: [{ name: "wasm-modules", setup(b) { b.onResolve({ filter: /\.wasm$/ }, (a) => ({ path: `./${a.path.split("/").pop()}`, external: true })); } }] });
  for (const m of MODULES) copyFileSync(join(dir, `node_modules/kl-wasm/dist/${m}.wasm`), join(dir, `${m}.wasm`));
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
${MODULES.map((m) => `    (name = "${m}.wasm", wasm = embed "${m}.wasm"),`).join("\n")}
  ],
  compatibilityDate = "2025-01-01",
);
`);
  const proc = spawn(bin("workerd"), ["serve", "config.capnp"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout.on("data", (b) => { log += b; });
  proc.stderr.on("data", (b) => { log += b; });
  try {
    let body;
    for (let i = 0; i < 100 && body === undefined; i++) {
      await new Promise((r) => setTimeout(r, 200));
      try { body = await (await fetch(`http://127.0.0.1:${port}/`)).json(); } catch { /* not up yet */ }
    }
    // the workerd build has only the baseline modules (the .wasm files it imports)
    const build = body?.passed?.find((c) => c.startsWith("build "));
    if (body?.ok) record("Cloudflare workerd", command, build === "build baseline", `${body.passed.length} checks (${build}; kl-wasm/parallel: ${body.passed.at(-1)}), served on 127.0.0.1:${port}`);
    else record("Cloudflare workerd", command, false, body ? body.error : `no answer; log: ${log.slice(0, 400)}`);
  } finally {
    proc.kill();
  }
}
await workerd();

// ------------------------------------------------------------------ Chromium
/** Debian's Chromium through playwright-core, with the flags this machine's closed network needs. */
async function launch(exe) {
  const { chromium: pw } = await peerImport("runtimes", "playwright-core");
  return pw.launch({
    executablePath: exe, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

async function chromium() {
  const exe = chromiumPath;
  const command = "playwright-core + Debian chromium, headless, an import map, no bundler";
  if (!existsSync(exe)) { record("Chromium", command, false, `${exe} not found (apt-get install chromium)`); return; }
  const importMap = `<script type="importmap">{ "imports": { "kl-wasm": "./node_modules/kl-wasm/dist/index.js",
    "kl-wasm/fit": "./node_modules/kl-wasm/dist/fit.js", "kl-wasm/mutual": "./node_modules/kl-wasm/dist/mutual.js",
    "kl-wasm/drift": "./node_modules/kl-wasm/dist/drift.js", "kl-wasm/logits": "./node_modules/kl-wasm/dist/logits.js",
    "kl-wasm/pairwise": "./node_modules/kl-wasm/dist/pairwise.js",
    "kl-wasm/divergences": "./node_modules/kl-wasm/dist/divergences.js",
    "kl-wasm/distributions": "./node_modules/kl-wasm/dist/distributions.js",
    "kl-wasm/parallel": "./node_modules/kl-wasm/dist/parallel.js" } }</script>`;
  // kl-wasm/parallel: module workers; the server sends COOP/COEP, so the page is cross-origin isolated and
  // pool.f64 is on a SharedArrayBuffer
  writeFileSync(join(dir, "parallel.html"), `<!doctype html><meta charset="utf-8">${importMap}
<script type="module">
import * as par from "kl-wasm/parallel";
import * as kl from "kl-wasm";
import * as pw from "kl-wasm/pairwise";
import * as mutual from "kl-wasm/mutual";
import * as drift from "kl-wasm/drift";
import * as fit from "kl-wasm/fit";
import * as logits from "kl-wasm/logits";
${parallelSource}
try { window.result = { ok: true, passed: await checkParallel(par, kl, pw, { mutual, drift, fit, logits }), isolated: crossOriginIsolated }; }
catch (e) { window.result = { ok: false, error: String(e.stack || e) }; }
</script>`);
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8">${importMap}
<script type="module">
${importAll}import seed from "./seed.js";
import { check } from "./check.mjs";
try { window.result = { ok: true, passed: check(kl, seed) }; } catch (e) { window.result = { ok: false, error: String(e.stack || e) }; }
</script>`);
  // a browser that refuses synchronous compilation on the main thread (as Chromium did
  // above 4 KB, and does above 8 MB): small calls still work (pure TS), WebAssembly
  // calls throw a clear error until ready() has compiled the module asynchronously
  writeFileSync(join(dir, "refused.html"), `<!doctype html><meta charset="utf-8">${importMap}
<script type="module">
const Real = WebAssembly.Module;
WebAssembly.Module = function () { throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB."); };
const kl = await import("kl-wasm");
const r = { small: kl.klDivergence([0.5, 0.5], [0.25, 0.75]) };
try { kl.entropy(new Float64Array(100).fill(0.01)); r.before = "no error"; } catch (e) { r.before = e.message; }
await kl.ready();
r.after = kl.entropy(new Float64Array(100).fill(0.01));
WebAssembly.Module = Real;
window.result = r;
</script>`);
  const { serve } = await import("./serve.mjs");
  const server = await serve(dir, 0, { isolated: true });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await launch(exe);
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${base}/index.html`);
    const result = await page.waitForFunction(() => window.result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
    record("Chromium", command, !!result.ok, result.ok ? `${result.passed.length} checks (${result.passed.at(-1)}), ${await browser.version()}` : result.error + errors.join("; "));
    await page.goto(`${base}/refused.html`);
    const r = await page.waitForFunction(() => window.result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
    const ok = Math.abs(r.small - 0.5 * Math.log(2) - 0.5 * Math.log(2 / 3)) < 1e-15
      && r.before.includes("refused to compile WebAssembly synchronously") && r.before.includes("await ready()")
      && Math.abs(r.after - Math.log(100)) < 1e-13;
    record("Chromium, synchronous compilation refused", "the same page with WebAssembly.Module throwing", ok,
      ok ? "small inputs work, WebAssembly calls throw a clear error, await ready() fixes it" : JSON.stringify(r));
    await page.goto(`${base}/parallel.html`);
    const pr = await page.waitForFunction(() => window.result, null, { timeout: 60_000 }).then((h) => h.jsonValue());
    record("kl-wasm/parallel, Chromium", "the page served with COOP/COEP (cross-origin isolated), module workers", pr.ok && pr.isolated,
      pr.ok ? `${pr.passed.length} checks (${pr.passed.at(-1)}), crossOriginIsolated ${pr.isolated}` : pr.error);
  } finally {
    await browser.close();
    server.close();
  }
}
await chromium();

// ------------------------------------------------------------------ the interactive page
async function page() {
  const exe = chromiumPath;
  const command = "npm run demo:web page in Chromium: move the sliders, compare the KL shown with the library";
  if (!existsSync(exe)) { record("Interactive page", command, false, `${exe} not found`); return; }
  const { serve } = await import("./serve.mjs");
  const server = await serve(root, 0);
  const browser = await launch(exe);
  try {
    const tab = await browser.newPage({ viewport: { width: 1300, height: 540 } });
    const errors = [];
    tab.on("pageerror", (e) => errors.push(String(e)));
    await tab.goto(`http://127.0.0.1:${server.address().port}/examples/browser/`);
    await tab.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    const kl = await import(join(root, "dist/fit.js"));
    const x = kl.linspace(-5, 5, 1000), dx = x[1] - x[0];
    const p = kl.normalizeDensity(kl.mixturePdf(x, { weights: [0.5, 0.5], mus: [-2, 2], sigmas: [0.6, 0.6] }), dx);
    let ok = errors.length === 0, detail = "";
    for (const [mu, sigma] of [[1.5, 0.7], [-1.92, 0.58]]) {
      // move the sliders as a user would: keyboard focus, then set and fire input events
      for (const [id, v] of [["mu", mu], ["sigma", sigma]]) {
        await tab.focus(`#${id}`);
        await tab.$eval(`#${id}`, (el, val) => { el.value = String(val); el.dispatchEvent(new Event("input", { bubbles: true })); }, v);
      }
      const shown = { forward: await tab.textContent("#forward"), reverse: await tab.textContent("#reverse") };
      const q = kl.normalPdf(x, mu, sigma);
      const want = { forward: kl.klDensity(p, q, dx).toFixed(6), reverse: kl.klDensity(q, p, dx).toFixed(6) };
      if (shown.forward !== want.forward || shown.reverse !== want.reverse) { ok = false; detail += `at (${mu}, ${sigma}) shown ${JSON.stringify(shown)} want ${JSON.stringify(want)}; `; }
      else detail = `μ=${mu}, σ=${sigma}: forward ${shown.forward}, reverse ${shown.reverse} (as the library); `;
    }
    const shot = join(root, "figures", "browser-demo.png");
    await tab.screenshot({ path: shot });
    record("Interactive page", command, ok, detail + (errors.length ? errors.join("; ") : "screenshot figures/browser-demo.png"));
  } finally {
    await browser.close();
    server.close();
  }
}
await page();

// ------------------------------------------------------------------ types, lint, contents, size
function types() {
  writeFileSync(join(dir, "consumer.mts"), `import { klDivergence, createWorkspace, type Vector } from "kl-wasm";
import { gaussianFit } from "kl-wasm/fit";
import { mutualInformation } from "kl-wasm/mutual";
import { psi, createHistogram, Histogram, type DriftReport } from "kl-wasm/drift";
import { entropy } from "kl-wasm/reference";
import { histogram } from "kl-wasm/reference/drift";
import { pairwise, pairwiseCondensed } from "kl-wasm/pairwise";
import { softmaxRows } from "kl-wasm/logits";
const p: Vector = [0.5, 0.5];
const kl: number = klDivergence(p, [0.25, 0.75], { eps: 0, base: 2 });
const ws = createWorkspace(1024); const v: Float64Array = ws.f64(3); ws.dispose();
const fit = gaussianFit([1, 2, 1], [0, 1, 2], { mus: [1], sigmas: [1] }); const m: number = fit.best.mu;
const mi: number = mutualInformation([1, 2, 3, 4], 2, { counts: true });
const h: number = entropy(p);
const acc: Histogram = createHistogram([0, 1, 2]).add([0.5, 1.5]); const back: Histogram = Histogram.fromJSON(acc.toJSON());
const d: number = psi([1, 2], [2, 1]) + histogram([0.5], [0, 1]).counts[0] + back.total;
const r: DriftReport | undefined = undefined;
// the matrices' and softmaxes' array type follows the options and the input (a new user's trial: a union before)
const M: Float64Array = pairwise(p, null, 2, { metric: "hellinger" });
const M32: Float32Array = pairwiseCondensed(p, 2, { metric: "hellinger", float32: true });
const S: Float64Array = softmaxRows([1, 2], 2);
const S32: Float32Array = softmaxRows(new Float32Array(2), 2);
// @ts-expect-error: float32: true gives a Float32Array
const W: Float64Array = pairwise(p, null, 2, { metric: "hellinger", float32: true });
export { kl, v, m, mi, h, d, r, M, M32, S, S32, W };
`);
  writeFileSync(join(dir, "consumer.cts"), `import kl = require("kl-wasm");
import fit = require("kl-wasm/fit");
const x: number = kl.entropy([0.5, 0.5]) + fit.gaussianKL(0, 1, 0, 2);
export = x;
`);
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  for (const [mod, res] of [["node16", "node16"], ["esnext", "bundler"]]) {
    const files = res === "node16" ? ["consumer.mts", "consumer.cts"] : ["consumer.mts"];
    try {
      run(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "false", "--module", mod, "--moduleResolution", res, "--target", "es2022", "--lib", "es2022,dom", ...files], { cwd: dir });
      record(`TypeScript (moduleResolution ${res})`, `tsc --noEmit --module ${mod} --moduleResolution ${res} ${files.join(" ")}`, true);
    } catch (e) {
      record(`TypeScript (moduleResolution ${res})`, `tsc --module ${mod} --moduleResolution ${res}`, false, String(e.stdout || e.message).slice(0, 600));
    }
  }
  try {
    const out = run(bin("publint"), [join(dir, tgz)], { cwd: root });
    record("publint", "publint <tarball>", /All good/.test(out), out.trim().split("\n").pop());
  } catch (e) { record("publint", "publint <tarball>", false, String(e.stdout || e.message).slice(0, 400)); }
  try {
    const wasmEntries = MODULES.flatMap((m) => [`./${m}.wasm`, `./${m}.relaxed.wasm`]);
    run(bin("attw"), [join(dir, tgz), "--exclude-entrypoints", ...wasmEntries], { cwd: root });
    record("@arethetypeswrong/cli", `attw <tarball> (every resolution, node10 included) --exclude-entrypoints ${wasmEntries.join(" ")}`, true, "no problems");
  } catch (e) { record("@arethetypeswrong/cli", "attw <tarball> --profile node16", false, String(e.stdout || e.message).slice(0, 600)); }
  const listed = JSON.parse(run("npm", ["pack", "--dry-run", "--json"], { cwd: root }))[0].files.map((f) => f.path);
  const stray = listed.filter((f) => !/^(dist\/(workerd\/)?(chunks\/)?[\w.-]+\.(js|cjs|d\.ts|d\.cts|wasm)|docs\/([\w-]+\/)?[\w.-]+\.md|package\.json|README\.md|LICENSE)$/.test(f));
  record("npm pack contents", "npm pack --dry-run --json", stray.length === 0, stray.length ? `unexpected: ${stray.join(", ")}` : `${listed.length} files: dist/ entries, declarations, the .wasm modules, README, docs/ (the README's links), package.json`);
}
types();

// size: each ESM entry with everything it imports statically (its chunks; the module's bytes are
// embedded in the one every WebAssembly entry shares), as one file, gzip -9. The budget applies to what loads at import
// with the baseline build selected: what an entry imports dynamically loads only when needed (the relaxed modules'
// chunks when that build is selected; kl-wasm/parallel's main-entry chunk at the pool's first discrete call) and is
// left out; the size with everything is stated beside it.
const BUDGET = 25 * 1024, OTHER_BUDGET = 45 * 1024;
const { build: bundle } = await import("esbuild");
const sizes = [];
const ENTRIES = [["kl-wasm", "index.js"], ["kl-wasm/fit", "fit.js"], ["kl-wasm/mutual", "mutual.js"], ["kl-wasm/drift", "drift.js"],
  ["kl-wasm/logits", "logits.js"], ["kl-wasm/pairwise", "pairwise.js"], ["kl-wasm/divergences", "divergences.js"], ["kl-wasm/distributions", "distributions.js"],
  ["kl-wasm/reference", "reference.js"], ["kl-wasm/reference/drift", "reference-drift.js"], ["kl-wasm/parallel", "parallel.js"],
  // not an entry: the bundle kl-wasm/parallel's workers load (no budget; stated in docs/parallel.md)
  ["kl-wasm/parallel's worker bundle (dist/parallel-worker.js)", "parallel-worker.js"]];
const onDemand = { name: "on-demand", setup(b) {
  b.onResolve({ filter: /./ }, (args) => args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined);
} };
// from the package's dist/ (absWorkingDir): the bundle's "// chunks/…" comments then name the files as the package
// does, not by the temporary folder's path (which made the same bytes measure up to ~40 B more here than in dist/)
const bundled = async (file, plugins) => (await bundle({ entryPoints: [file], absWorkingDir: join(dir, "node_modules/kl-wasm/dist"),
  bundle: true, format: "esm", write: false, logLevel: "warning", plugins })).outputFiles[0].contents;
for (const [spec, file] of ENTRIES) {
  const bytes = await bundled(file, [onDemand]);
  sizes.push({ spec, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length,
    relaxed: gzipSync(await bundled(file, []), { level: 9 }).length });
}
for (const m of MODULES) {
  for (const f of [`${m}.wasm`, `${m}.relaxed.wasm`]) {
    const wasmBytes = readFileSync(join(dir, `node_modules/kl-wasm/dist/${f}`));
    sizes.push({ spec: `kl-wasm/${f} (the module alone)`, raw: wasmBytes.length, gzip: gzipSync(wasmBytes, { level: 9 }).length });
  }
}
const [main, ...others] = sizes;
record("Size: kl-wasm ESM entry with its embedded module", "esbuild --bundle dist/index.js, then gzip -9", main.gzip <= BUDGET,
  `${(main.gzip / 1024).toFixed(1)} KB gzipped (budget 25 KB)`);
for (const s of others.slice(0, ENTRIES.length - 2)) {
  record(`Size: ${s.spec} ESM entry with its embedded modules`, "esbuild --bundle, then gzip -9", s.gzip <= OTHER_BUDGET,
    `${(s.gzip / 1024).toFixed(1)} KB gzipped (budget 45 KB)`);
}

// ------------------------------------------------------------------ report
console.log("| runtime or check | command | result |");
console.log("| --- | --- | --- |");
for (const r of results) console.log(`| ${r.runtime} | \`${r.command}\` | ${r.ok ? "ok" : "**FAIL**"}${r.detail ? `: ${r.detail.replace(/\|/g, "/").replace(/\n/g, " ")}` : ""} |`);
console.log();
console.log("| entry (what loads at import; baseline build) | bytes | gzip -9 | gzip -9 with what loads on demand |");
console.log("| --- | ---: | ---: | ---: |");
for (const s of sizes) console.log(`| ${s.spec} | ${s.raw} | ${s.gzip} | ${s.relaxed ?? ""} |`);
rmSync(dir, { recursive: true, force: true });
if (results.some((r) => !r.ok)) process.exit(1);
