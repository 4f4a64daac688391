import { describe, it } from "vitest";
import { checkMeasure, checkLarge } from "./helpers/accuracy.js";

describe("crossEntropy: WebAssembly vs reference", () => {
  it("every family and size", () => checkMeasure("crossEntropy"));
  it("eps = 0", () => checkMeasure("crossEntropy", { eps: 0 }));
  it("normalize", () => checkMeasure("crossEntropy", { normalize: true }));
  it("n = 10^6", () => checkLarge("crossEntropy", 1_000_000));
});
