// kl-wasm/parallel imported alone: its first calls, made before any entry has chosen the build on this thread, run
// in the build an entry would choose (relaxed where the engine has it), as the synchronous calls do (review E4 F0:
// they ran the baseline build until the calling thread had loaded a module). Uses dist/ (npm test builds it first).
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./helpers/parallel-alone.mjs", import.meta.url));
const flags = Number(process.versions.node.split(".")[0]) < 21 ? ["--experimental-wasm-relaxed-simd"] : [];

describe("kl-wasm/parallel alone", () => {
  it("the first pool calls give the synchronous calls' bits in the relaxed build", () => {
    const out = JSON.parse(execFileSync(process.execPath, [...flags, script], { encoding: "utf8", timeout: 120_000 }));
    expect(out.build).toBe("relaxed");
    for (const k of ["rows", "logits", "pairs"]) expect(out[k], k).toEqual({ sync: true, buildsDiffer: out[k].buildsDiffer });
    expect(out.again).toBe(true);
    // the inputs were chosen so that the two builds differ in the last bits: otherwise the test proves nothing
    expect(out.rows.buildsDiffer || out.logits.buildsDiffer || out.pairs.buildsDiffer).toBe(true);
  }, 150_000);
});
