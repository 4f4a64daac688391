// Bundles src/ into dist/: ESM and CJS entries with the .wasm bytes embedded,
// the raw .wasm for runtimes that import it as a module, and .d.ts files.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

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
copyFileSync("build/kl.wasm", "dist/kl.wasm");
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
