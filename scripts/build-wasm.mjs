// npm run build:wasm: every module of asconfig.json's targets, compiled from assembly/<m>.ts twice:
//   build/<m>.wasm          SIMD (the baseline: every engine kl-wasm supports)
//   build/<m>.relaxed.wasm  SIMD and relaxed SIMD (ASC_FEATURE_RELAXED_SIMD is true: fused multiply-add in the
//                           kernels), selected at load where the engine validates it (src/core/wasm.ts)
// each with its .wat beside it. The modules in FLAT are compiled at -O0 and then optimized by scripts/flat-wasm.mjs,
// which keeps the source's order of statements (it says why). Two compilers run at a time (asc is single-threaded;
// the largest modules take a few minutes each). A module whose two outputs are newer than everything under
// assembly/, asconfig.json, this script, flat-wasm.mjs and the compiler's package.json is not compiled again;
// `--force` compiles everything.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const config = JSON.parse(readFileSync("asconfig.json", "utf8"));
const asc = join("node_modules", "assemblyscript", "bin", "asc.js");
const newest = (dir) => Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, f)).mtimeMs));
// (the compiler's package.json too: an upgraded AssemblyScript compiles everything again)
const since = Math.max(newest("assembly"), statSync("asconfig.json").mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs,
  statSync(join("scripts", "flat-wasm.mjs")).mtimeMs, statSync(join("node_modules", "assemblyscript", "package.json")).mtimeMs);
const built = (file) => { try { return statSync(file).mtimeMs > since; } catch { return false; } };
const force = process.argv.includes("--force");
const FLAT = new Set(["logits"]);

const jobs = [];
for (const m of Object.keys(config.targets)) {
  if (!force && built(`build/${m}.wasm`) && built(`build/${m}.relaxed.wasm`)) continue;
  for (const relaxed of [false, true]) {
    const out = `build/${m}${relaxed ? ".relaxed" : ""}`;
    const args = [`assembly/${m}.ts`, "--config", "asconfig.json", "--target", m, ...(relaxed ? ["--enable", "relaxed-simd"] : [])];
    const steps = FLAT.has(m)
      ? [[asc, ...args, "--optimizeLevel", "0", "--outFile", `${out}.O0.wasm`, "--textFile", `${out}.O0.wat`],
         [join("scripts", "flat-wasm.mjs"), `${out}.O0.wasm`, `${out}.wasm`, `${out}.wat`]]
      : [[asc, ...args, "--outFile", `${out}.wasm`, "--textFile", `${out}.wat`]];
    jobs.push([`${m}${relaxed ? " (relaxed)" : ""}${FLAT.has(m) ? " (flat)" : ""}`, steps]);
  }
}
const run = (args) => new Promise((resolve, reject) => {
  const p = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
  p.on("error", reject);
  p.on("exit", (code) => code === 0 ? resolve() : reject(new Error(`build:wasm: ${args.join(" ")} exited with ${code}`)));
});
const compile = async ([name, steps]) => {
  const t = performance.now();
  for (const args of steps) await run(args);
  console.error(`build:wasm ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
};
let failed;
await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, async () => {
  while (jobs.length > 0 && failed === undefined) await compile(jobs.shift()).catch((e) => { failed = e; });
}));
if (failed) throw failed;
