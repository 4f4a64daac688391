// The two builds of the WebAssembly modules (docs/runtimes.md): build/<m>.wasm (SIMD) and
// build/<m>.relaxed.wasm (relaxed SIMD: fused multiply-add), chosen at import.
// - The fixture and accuracy checks of every family with WebAssembly kernels run once under each build:
//   each pass imports those test files afresh (vi.resetModules) with globalThis.KL_WASM_SIMD set, so the
//   library they import selects that build (vitest.config.ts gives Node 18–20 the relaxed-SIMD flag).
// - simdBuild(), useSimd() switching with a live workspace, and the selection in child processes of the
//   built package: the override (environment variable, global), an engine without relaxed SIMD (Node 20
//   without the flag, and WebAssembly.validate stubbed), CommonJS.
import { describe, it, expect, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const BUILDS = ["baseline", "relaxed"] as const;
// the fixture checks (values computed independently, committed) and the kernels' own accuracy tests
const CHECKS = ["oracle", "divergence", "divergence-accuracy", "pairwise", "logits", "fit-gaussian-kl", "density", "fit",
  "mutual-oracle", "knn", "drift-metrics", "drift-histogram", "log", "exp"];
const g = globalThis as { KL_WASM_SIMD?: string };

for (const build of BUILDS) {
  describe(`the ${build} build`, async () => {
    vi.resetModules();
    g.KL_WASM_SIMD = build;
    const kl = await import("../src/index.js");
    it("is the one selected", () => expect(kl.simdBuild()).toBe(build));
    for (const name of CHECKS) {
      describe(name, async () => {
        await import(`./${name}.test.ts`);
        const { simdBuild } = await import("../src/index.js");   // the instance that file imported
        it(`ran under the ${build} build`, () => expect(simdBuild()).toBe(build));
      });
    }
  });
}

describe("useSimd", () => {
  it("switches every module, workspaces and their views stay valid, the same bits each time", async () => {
    vi.resetModules();
    delete g.KL_WASM_SIMD;
    const kl = await import("../src/index.js"), fit = await import("../src/fit.js");
    expect(kl.simdBuild()).toBe("relaxed");   // auto, with the engine's relaxed SIMD (vitest.config.ts)
    const ws = kl.createWorkspace(1 << 20), n = 10_000, P = ws.f64(n), Q = ws.f64(n);
    for (let i = 0; i < n; i++) { P[i] = (1 + Math.sin(i)) / n; Q[i] = (1 + Math.cos(i)) / n; }
    const heap = Float64Array.from(P), x = fit.linspace(-5, 5, 1000), dx = x[1] - x[0];
    const calls = () => [kl.klDivergence(P, Q, { normalize: true }), kl.entropy(heap, { normalize: true }),
      ...kl.jensenShannonRows(P, Q, 100, { normalize: true }).subarray(0, 3), fit.klDensity(fit.normalPdf(x, 0, 1), fit.normalPdf(x, 1, 2), dx)];
    const relaxed = calls();
    expect(await kl.useSimd("baseline")).toBe("baseline");
    expect(kl.simdBuild()).toBe("baseline");
    expect(fit.simdBuild()).toBe("baseline");   // one selection for every ESM entry
    const baseline = calls();
    expect(Array.from(heap)).toEqual(Array.from(P));   // the views still read the same memory
    for (let i = 0; i < relaxed.length; i++) expect(Math.abs(baseline[i] - relaxed[i])).toBeLessThanOrEqual(1e-14 * Math.abs(baseline[i]));
    expect(await kl.useSimd("auto")).toBe("relaxed");
    expect(calls()).toEqual(relaxed);
    expect(await fit.useSimd("baseline")).toBe("baseline");
    expect(calls()).toEqual(baseline);
    ws.dispose();
  });

  it("concurrent calls: the last one made wins", async () => {
    vi.resetModules();
    delete g.KL_WASM_SIMD;
    const kl = await import("../src/index.js");
    await kl.useSimd("baseline");
    const a = kl.useSimd("relaxed"), b = kl.useSimd("baseline");   // relaxed loads (awaits) while baseline is asked for
    await Promise.all([a, b]);
    expect(kl.simdBuild()).toBe("baseline");
    expect(await b).toBe("baseline");
    const c = kl.useSimd("baseline"), d = kl.useSimd("relaxed");
    await Promise.all([c, d]);
    expect(kl.simdBuild()).toBe("relaxed");
  });

  it("rejects anything else, naming the function", async () => {
    const kl = await import("../src/index.js");
    for (const bad of ["fast", undefined, 1, "Relaxed"]) {
      await expect(kl.useSimd(bad as "auto")).rejects.toThrow(/useSimd must be "baseline", "auto" or "relaxed"/);
    }
  });
});

// ------------------------------------------------------------------ the built package in child processes
const root = fileURLToPath(new URL("..", import.meta.url));
const FLAG = Number(process.versions.node.split(".")[0]) < 21 ? ["--experimental-wasm-relaxed-simd"] : [];
/** `code` run by node in the package's folder (so "kl-wasm" resolves to dist/), printing simdBuild() and a value of the kernels. */
function child(code: string, { flags = FLAG, env = {} as Record<string, string>, cjs = false } = {}) {
  const body = cjs ? `${code}\nconst kl = require("kl-wasm");\nconsole.log(kl.simdBuild(), kl.entropy(new Float64Array(4096).fill(1 / 4096)));`
    : `${code}\nconst kl = await import("kl-wasm");\nconsole.log(kl.simdBuild(), kl.entropy(new Float64Array(4096).fill(1 / 4096)));`;
  const { KL_WASM_SIMD: _, ...rest } = process.env;
  return spawnSync(process.execPath, [...flags, ...(cjs ? [] : ["--input-type=module"]), "-e", body],
    { cwd: root, encoding: "utf8", env: { ...rest, ...env }, timeout: 60_000 });
}
const picked = (r: ReturnType<typeof child>) => {
  if (r.status !== 0) throw new Error(r.stderr);
  const [build, value] = r.stdout.trim().split(" ");
  expect(Math.abs(Number(value) - Math.log(4096))).toBeLessThanOrEqual(1e-14 * Math.log(4096));
  return build;
};

describe("selection at import (dist/, child processes)", () => {
  it("relaxed where the engine has relaxed SIMD, in ESM and CommonJS", () => {
    expect(picked(child(""))).toBe("relaxed");
    expect(picked(child("", { cjs: true }))).toBe("relaxed");
  });

  it("CommonJS runs the relaxed bytes when it reports relaxed (not only the name): its values are ESM's relaxed ones", () => {
    // a pairwise matrix where the builds' fused multiply-adds give other last bits
    const code = (req: string) => `${req}
      const X = Float64Array.from({ length: 32 * 256 }, (_, i) => 1 + Math.sin(i * 0.37) ** 2);
      const m = pw.pairwise(X, null, 256, { metric: "jensenShannon", normalize: true });
      console.log(kl.simdBuild() + " " + JSON.stringify(Array.from(m)));`;
    const run = (build: string, cjs: boolean) => {
      const r = spawnSync(process.execPath, [...FLAG, ...(cjs ? [] : ["--input-type=module"]), "-e",
        code(cjs ? `const kl = require("kl-wasm"), pw = require("kl-wasm/pairwise");`
          : `const kl = await import("kl-wasm"), pw = await import("kl-wasm/pairwise");`)],
        { cwd: root, encoding: "utf8", env: { ...process.env, KL_WASM_SIMD: build }, timeout: 60_000 });
      if (r.status !== 0) throw new Error(r.stderr);
      const [name, json] = r.stdout.trim().split(" ");
      expect(name).toBe(build);
      return JSON.parse(json) as number[];
    };
    const esmRelaxed = run("relaxed", false), esmBaseline = run("baseline", false);
    expect(esmRelaxed).not.toEqual(esmBaseline);   // else this test could not tell the builds apart
    expect(run("relaxed", true)).toEqual(esmRelaxed);
    expect(run("baseline", true)).toEqual(esmBaseline);
  });

  it("baseline where the engine lacks it: WebAssembly.validate refusing the probe, and Node 20 without the flag", () => {
    const stub = "WebAssembly.validate = () => false;";
    expect(picked(child(stub))).toBe("baseline");
    expect(picked(child(stub, { cjs: true }))).toBe("baseline");
    if (FLAG.length > 0) expect(picked(child("", { flags: [] }))).toBe("baseline");
    // asking for relaxed there is an error naming the variable, at import
    const r = child(stub, { env: { KL_WASM_SIMD: "relaxed" } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/RangeError: KL_WASM_SIMD must be "baseline", "auto" or "relaxed" \(where the engine has relaxed SIMD\), got "relaxed"/);
  });

  it("the override: KL_WASM_SIMD in the environment, globalThis.KL_WASM_SIMD before the import (which wins)", () => {
    expect(picked(child("", { env: { KL_WASM_SIMD: "baseline" } }))).toBe("baseline");
    expect(picked(child("", { env: { KL_WASM_SIMD: "baseline" }, cjs: true }))).toBe("baseline");
    expect(picked(child("", { env: { KL_WASM_SIMD: "auto" } }))).toBe("relaxed");
    expect(picked(child("globalThis.KL_WASM_SIMD = 'baseline';"))).toBe("baseline");
    expect(picked(child("globalThis.KL_WASM_SIMD = 'relaxed';", { env: { KL_WASM_SIMD: "baseline" } }))).toBe("relaxed");
    const r = child("", { env: { KL_WASM_SIMD: "fast" } });
    expect(r.stderr).toMatch(/RangeError: KL_WASM_SIMD must be "baseline", "auto" or "relaxed" .*got "fast"/);
  });

  it("ESM loads the relaxed chunks only when the relaxed build is selected", () => {
    // dist/ without its relaxed chunks: the baseline imports and runs; the relaxed build fails to import them
    const dir = mkdtempSync(join(tmpdir(), "kl-wasm-simd-"));
    try {
      cpSync(join(root, "dist"), dir, { recursive: true });
      const chunks = readdirSync(join(dir, "chunks")).filter((f) => f.includes(".relaxed-"));
      expect(chunks.length).toBe(8);
      for (const f of chunks) rmSync(join(dir, "chunks", f));
      const url = JSON.stringify(pathToFileURL(join(dir, "index.js")).href);
      const run = (build: string) => spawnSync(process.execPath, [...FLAG, "--input-type=module", "-e",
        `const kl = await import(${url}); console.log(kl.simdBuild(), kl.entropy(new Float64Array(4096).fill(1 / 4096)));`],
        { cwd: dir, encoding: "utf8", env: { ...process.env, KL_WASM_SIMD: build }, timeout: 60_000 });
      expect(picked(run("baseline"))).toBe("baseline");
      const r = run("relaxed");
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/discrete\.relaxed-\w+\.js/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
