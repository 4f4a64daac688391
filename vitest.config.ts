import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";

// relaxed SIMD is on by default from Node 21 (where this flag is gone); Node 18–20 have it behind the flag, so that
// the suite runs the relaxed modules everywhere (kl-wasm picks them where the engine has them) and
// test/simd-builds.test.ts runs both builds
const relaxedSimd = Number(process.versions.node.split(".")[0]) < 21 ? ["--experimental-wasm-relaxed-simd"] : [];

export default defineConfig({
  plugins: [
    {
      // what scripts/build.mjs does for the bundles: an imported .wasm file becomes its bytes as hex digits
      name: "wasm-bytes",
      enforce: "pre",
      load(id) {
        if (!id.endsWith(".wasm")) return null;
        return `export default "${readFileSync(id).toString("hex")}";`;
      },
    },
  ],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    pool: "forks",
    execArgv: ["--expose-gc", ...relaxedSimd],
  },
});
