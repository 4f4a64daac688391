// npm run demo prints the seed chapter's section-1 output, line for line,
// with the numbers formatted from seed.json as the chapter formats them.
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { seed } from "./helpers/seed.js";

describe("npm run demo", () => {
  it("prints section 1 in the chapter's format", () => {
    const out = execFileSync(process.execPath, ["demo/main.mjs"], { encoding: "utf8" });
    const d = seed.discrete;
    const expected = [
      `H(P): ${d.entropy_p.toFixed(6)}`,
      `KL(P||Q): ${d.kl_pq.toFixed(6)}`,
      `H(P,Q): ${d.cross_entropy_pq.toFixed(6)}`,
      `Direct CE: ${d.cross_entropy_direct.toFixed(6)}`,
      "H(P)+KL=CE: True",
      "",
      `D_KL(P||Q) = ${d.kl_pq.toFixed(4)}`,
      `D_KL(Q||P) = ${d.kl_qp.toFixed(4)} (asymmetric!)`,
    ];
    expect(out.split("\n").slice(0, expected.length)).toEqual(expected);
  });
});
