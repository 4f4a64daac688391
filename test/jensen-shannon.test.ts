import { describe, it } from "vitest";
import { checkMeasure, checkLarge } from "./helpers/accuracy.js";

describe("jensenShannon: WebAssembly vs reference", () => {
  it("every family and size", () => checkMeasure("jensenShannon"));
  it("normalize", () => checkMeasure("jensenShannon", { normalize: true }));
  it("n = 10^6", () => checkLarge("jensenShannon", 1_000_000));
});
