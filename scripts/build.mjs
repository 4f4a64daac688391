// Bundles src/ into dist/: ESM and CJS entries with the .wasm bytes embedded,
// the raw .wasm for runtimes that import it as a module, and .d.ts files.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
const common = {
  bundle: true,
  platform: "neutral",
  target: "es2022",
  loader: { ".wasm": "binary" },
  legalComments: "none",
  minifySyntax: true,
  logLevel: "warning",
};
// ESM: one split build, so kl-wasm, kl-wasm/fit and kl-wasm/mutual share one copy of
// the module's bytes and one instance (in dist/chunks/)
const entries = { index: "src/index.ts", fit: "src/fit.ts", mutual: "src/mutual.ts", reference: "src/reference.ts" };
const provision = (file) => ({
  name: "provision",
  setup(b) { b.onResolve({ filter: /\/provision\.js$/ }, () => ({ path: resolve(file) })); },
});
const esm = { ...common, format: "esm", splitting: true, chunkNames: "chunks/[name]-[hash]", minifyWhitespace: true };
await build({ ...esm, entryPoints: entries, outdir: "dist", plugins: [provision("src/core/provision.ts")] });
// workerd: the same, with the module file imported instead of embedded (Workers
// forbid compiling bytes); provision-workerd.ts lands in a shared chunk
const { reference: _, ...wasmEntries } = entries;
await build({ ...esm, entryPoints: wasmEntries, outdir: "dist/workerd", external: ["*.wasm"],
  plugins: [provision("src/core/provision-workerd.ts")] });
// CommonJS: one bundle per entry (esbuild does not split CommonJS)
for (const [name, file] of Object.entries(entries)) {
  await build({ ...common, entryPoints: [file], format: "cjs", outfile: `dist/${name}.cjs` });
}
copyFileSync("build/kl.wasm", "dist/kl.wasm");
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
// CommonJS consumers get .d.cts twins whose relative imports name .cjs files, so
// TypeScript (node16/nodenext) types `require("kl-wasm")` as CommonJS, not ESM
for (const f of readdirSync("dist")) {
  if (!f.endsWith(".d.ts")) continue;
  const text = readFileSync(join("dist", f), "utf8").replace(/(["'])(\.\.?\/[^"']+)\.js\1/g, "$1$2.cjs$1");
  writeFileSync(join("dist", f.replace(/\.d\.ts$/, ".d.cts")), text);
}
