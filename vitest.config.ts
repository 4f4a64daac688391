import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";

export default defineConfig({
  plugins: [
    {
      // what esbuild's binary loader does for the bundles: an imported .wasm file becomes its bytes
      name: "wasm-bytes",
      enforce: "pre",
      load(id) {
        if (!id.endsWith(".wasm")) return null;
        const b64 = readFileSync(id).toString("base64");
        return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
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
