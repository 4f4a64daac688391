import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";

export default defineConfig({
  plugins: [
    {
      // what esbuild's base64 loader does for the bundles: an imported .wasm file becomes its bytes as base64
      name: "wasm-bytes",
      enforce: "pre",
      load(id) {
        if (!id.endsWith(".wasm")) return null;
        const b64 = readFileSync(id).toString("base64");
        return `export default ${JSON.stringify(b64)};`;
      },
    },
  ],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    pool: "forks",
    execArgv: ["--expose-gc"],
  },
});
