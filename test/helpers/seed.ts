// The seed chapter's outputs: test/fixtures/seed.json, written by the chapter's own
// code run as written (scripts/fixtures/seed.py, NumPy and SciPy), committed so that a
// clone tests on its own.
import { readFileSync } from "node:fs";

export const SEED_PATH = new URL("../fixtures/seed.json", import.meta.url);

export interface Seed {
  discrete: {
    p: number[]; q: number[];
    entropy_p: number; kl_pq: number; cross_entropy_pq: number; cross_entropy_direct: number; kl_qp: number;
  };
  grid: Record<string, unknown>;
}

export const seed: Seed = JSON.parse(readFileSync(SEED_PATH, "utf8"));
