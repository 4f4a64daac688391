// npm run demo prints the seed chapter's section-1 output, line for line,
// with the numbers formatted from seed.json as the chapter formats them.
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
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

  it("then section 2: the grid fits as the seed labels them (either mirror for reverse), modes, timing, figures", () => {
    const out = execFileSync(process.execPath, ["demo/main.mjs"], { encoding: "utf8" });
    const g = seed.grid as Record<string, number>;
    const f2 = (v: number) => v.toFixed(2);
    expect(out).toContain(`Min Forward KL: μ=${f2(g.mu_fwd)}, σ=${f2(g.sigma_fwd)}`);
    expect([`Min Reverse KL: μ=${f2(g.mu_rev)}, σ=${f2(g.sigma_rev)}`, `Min Reverse KL: μ=${f2(-g.mu_rev)}, σ=${f2(g.sigma_rev)}`]
      .some((line) => out.includes(line))).toBe(true);
    expect(out).toMatch(/refined modes .*: 1\n/);
    expect(out).toMatch(/refined modes .*: 2\n/);
    expect(out).toMatch(/Both surfaces .* WebAssembly [\d.]+ ms, pure-TS reference [\d.]+ ms/);
    for (const f of ["figures/kl_fits.svg", "figures/loss_surfaces.svg"]) {
      const svg = readFileSync(f, "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
    }
    expect(readFileSync("figures/kl_fits.svg", "utf8")).toContain("Forward KL → covers both modes | Reverse KL → one mode");
    // section 3: mutual information finds the dependence of y = x^2 that correlation misses
    const m = out.match(/y = x\^2: +Pearson r = (-?[\d.]+), KSG mutual information = ([\d.]+) nats/);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]))).toBeLessThan(0.05);
    expect(Number(m![2])).toBeGreaterThan(1);
  });
});
