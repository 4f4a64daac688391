// Bundles src/ into dist/: ESM and CJS entries with the .wasm bytes embedded,
// the raw .wasm for runtimes that import it as a module, and .d.ts files.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
const common = {
  bundle: true,
  platform: "neutral",
  target: "es2022",
  legalComments: "none",
  minifySyntax: true,
  logLevel: "warning",
};
// A .wasm file imported by src/ becomes its bytes as hex digits, decoded by src/core/wasm.ts when compiled
// (gzip finds the module's repeats in hex, not in base64: discrete.wasm is 9993 B gzipped as hex, 13043 as base64)
// A relaxed build with the baseline's very bytes (a module with no multiply-add to fuse: mutual, knn, drift today)
// becomes "", which src/core/wasm.ts reads as "the baseline": its chunk is a few bytes, not the module again.
const hexWasm = { name: "wasm-hex", setup(b) {
  b.onLoad({ filter: /\.wasm$/ }, (args) => {
    const bytes = readFileSync(args.path), base = args.path.replace(/\.relaxed\.wasm$/, ".wasm");
    const same = base !== args.path && bytes.equals(readFileSync(base));
    return { loader: "js", contents: `export default "${same ? "" : bytes.toString("hex")}";` };
  });
} };
// The relaxed-SIMD modules (build/<m>.relaxed.wasm): each provision.ts does
//   await provide("<m>", bytes, () => import("…/<m>.relaxed.wasm"))
// which the ESM build keeps (the dynamic import is a chunk of its own, loaded and awaited at import only when the
// relaxed build is selected); CommonJS has no top-level await, so its bundles require the relaxed bytes synchronously;
// the workerd build has no relaxed modules (the runtime's modules are the .wasm files it imports; baseline).
const RELAXED = /await provide\((.*), (\(\) => )import(\([^)]*\))\);/;
const provisions = (to) => ({ name: `provision-${to}`, setup(b) {
  b.onLoad({ filter: /[\\/]provision\.ts$/ }, (args) => {
    const source = readFileSync(args.path, "utf8");
    if (!RELAXED.test(source)) throw new Error(`${args.path}: expected await provide(name, bytes, () => import(relaxed))`);
    return { loader: "ts", contents: source.replace(RELAXED, to === "cjs" ? "provide($1, $2require$3.default);" : "provide($1);") };
  });
} });
// ESM: one split build, so kl-wasm and its subpath entries share one copy of
// each module's bytes and one set of instances (in dist/chunks/)
const entries = { index: "src/index.ts", fit: "src/fit.ts", mutual: "src/mutual.ts", drift: "src/drift.ts", logits: "src/logits.ts", pairwise: "src/pairwise.ts", divergences: "src/divergences.ts", distributions: "src/distributions.ts", reference: "src/reference.ts", "reference-drift": "src/reference-drift.ts", parallel: "src/parallel.ts" };
// kl-wasm/parallel's workers run this bundle, found beside the entry (src/parallel.ts: __KL_WORKER__; the workerd
// build has none, its pool is inline); the CommonJS entry finds it from __filename
const workerEntry = { "parallel-worker": "src/parallel/worker.ts" };
const workerFile = (ext) => ({ __KL_WORKER__: ext === null ? "null" : JSON.stringify(`./parallel-worker.${ext}`) });
const esm = { ...common, format: "esm", splitting: true, chunkNames: "chunks/[name]-[hash]", minifyWhitespace: true, minifyIdentifiers: true };
await build({ ...esm, define: workerFile("js"), entryPoints: { ...entries, ...workerEntry }, outdir: "dist", plugins: [hexWasm] });
// workerd: the same, with each module file imported instead of embedded (Workers forbid
// compiling bytes; the runtime, or wrangler's bundler, gives the import as a compiled
// WebAssembly.Module). The import is written relative to the file it lands in.
const MODULE = "kl-wasm-module:";
const { reference: _, "reference-drift": _d, ...wasmEntries } = entries;
await build({ ...esm, define: workerFile(null), entryPoints: wasmEntries, outdir: "dist/workerd", plugins: [provisions("workerd"), {
  name: "wasm-files",
  setup(b) { b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: MODULE + basename(args.path), external: true })); },
}] });
for (const dir of ["dist/workerd", "dist/workerd/chunks"]) {
  for (const f of readdirSync(dir)) {
    if (!f.endsWith(".js")) continue;
    const file = join(dir, f), up = relative(dir, "dist").split(sep).join("/");
    writeFileSync(file, readFileSync(file, "utf8").replaceAll(MODULE, `${up}/`));
  }
}
// CommonJS: one bundle per entry (esbuild does not split CommonJS)
const cjsMeta = { define: { ...workerFile("cjs"), "import.meta.url": "__klUrl" }, banner: { js: 'var __klUrl = require("url").pathToFileURL(__filename).href;' } };
for (const [name, file] of Object.entries({ ...entries, ...workerEntry })) {
  await build({ ...common, ...(name.startsWith("parallel") ? cjsMeta : {}), entryPoints: [file], format: "cjs", outfile: `dist/${name}.cjs`,
    plugins: [hexWasm, provisions("cjs")] });
}
for (const m of Object.keys(JSON.parse(readFileSync("asconfig.json", "utf8")).targets)) {
  for (const f of [`${m}.wasm`, `${m}.relaxed.wasm`]) copyFileSync(`build/${f}`, `dist/${f}`);
}
// Declarations: tsc writes one .d.ts per source file into build/types; API Extractor
// rolls each entry's up into one file with only what the entry exports (no internals),
// doc comments kept. CommonJS consumers get a .d.cts copy (nothing relative to rename).
rmSync("build/types", { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { stdio: "inherit" });
const { Extractor, ExtractorConfig } = await import("@microsoft/api-extractor");
for (const name of Object.keys(entries)) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: process.cwd(),
      mainEntryPointFilePath: `<projectFolder>/build/types/${name}.d.ts`,
      compiler: { overrideTsconfig: { compilerOptions: { strict: true, skipLibCheck: true, module: "esnext",
        moduleResolution: "bundler", target: "es2022", lib: ["es2022", "dom"] }, files: [`build/types/${name}.d.ts`] } },
      dtsRollup: { enabled: true, untrimmedFilePath: `<projectFolder>/dist/${name}.d.ts` },
      apiReport: { enabled: false }, docModel: { enabled: false }, tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: { default: { logLevel: "none" }, "ae-forgotten-export": { logLevel: "warning" } },
        tsdocMessageReporting: { default: { logLevel: "none" } },
        compilerMessageReporting: { default: { logLevel: "warning" } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(process.cwd(), "package.json"),
  });
  // its notices ("Analysis will use the bundled TypeScript version …") would go to stdout,
  // which npm pack --json (prepack runs this build) must keep clean: warnings go to stderr
  const result = Extractor.invoke(config, { localBuild: true, showVerboseMessages: false, messageCallback: (m) => {
    if (m.logLevel === "warning" || m.logLevel === "error") console.error(m.formatMessageWithLocation ? m.formatMessageWithLocation(process.cwd()) : m.text);
    m.handled = true;
  } });
  if (!result.succeeded || result.warningCount > 0) throw new Error(`API Extractor: ${name}.d.ts had ${result.errorCount} errors, ${result.warningCount} warnings`);
  copyFileSync(`dist/${name}.d.ts`, `dist/${name}.d.cts`);
}
