import { describe, it } from "vitest";
import { checkMeasure, checkLarge } from "./helpers/accuracy.js";

describe("entropy: WebAssembly vs reference", () => {
  it("every family and size", () => checkMeasure("entropy"));
  it("normalize", () => checkMeasure("entropy", { normalize: true }));
  it("n = 10^6 and 10^7", () => { checkLarge("entropy", 1_000_000); checkLarge("entropy", 10_000_000); });
});
