import { describe, it } from "vitest";
import { checkMeasure, checkLarge } from "./helpers/accuracy.js";

describe("klDivergence: WebAssembly vs reference", () => {
  it("every family and size, default eps", () => checkMeasure("klDivergence"));
  it("eps = 0 (exact mathematics)", () => checkMeasure("klDivergence", { eps: 0 }));
  it("eps = 1e-3", () => checkMeasure("klDivergence", { eps: 1e-3 }));
  it("normalize", () => checkMeasure("klDivergence", { normalize: true }));
  it("n = 10^6 and 10^7", () => { checkLarge("klDivergence", 1_000_000); checkLarge("klDivergence", 10_000_000); });
});
