// Bundles src/ into dist/: ESM and CJS entries with the .wasm bytes embedded,
// the raw .wasm for runtimes that import it as a module, and .d.ts files.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
for (const entry of ["index", "reference"]) {
  await build({ ...common, entryPoints: [`src/${entry}.ts`], format: "esm", outfile: `dist/${entry}.js` });
  await build({ ...common, entryPoints: [`src/${entry}.ts`], format: "cjs", outfile: `dist/${entry}.cjs` });
}
// workerd: the module file is imported, not embedded (Workers forbid compiling bytes)
await build({ ...common, entryPoints: ["src/workerd.ts"], format: "esm", outfile: "dist/workerd.js", external: ["./kl.wasm"] });
copyFileSync("build/kl.wasm", "dist/kl.wasm");
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
// CommonJS consumers get .d.cts twins whose relative imports name .cjs files, so
// TypeScript (node16/nodenext) types `require("kl-wasm")` as CommonJS, not ESM
for (const f of readdirSync("dist")) {
  if (!f.endsWith(".d.ts")) continue;
  const text = readFileSync(join("dist", f), "utf8").replace(/(["'])(\.\.?\/[^"']+)\.js\1/g, "$1$2.cjs$1");
  writeFileSync(join("dist", f.replace(/\.d\.ts$/, ".d.cts")), text);
}
