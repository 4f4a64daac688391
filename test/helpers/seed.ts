// The seed chapter's exact outputs (../shared/reference/seed.json), read, never copied.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve, dirname } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
export const SEED_PATH = process.env.KL_SEED_JSON ?? resolve(here, "../../../shared/reference/seed.json");

export interface Seed {
  discrete: {
    p: number[]; q: number[];
    entropy_p: number; kl_pq: number; cross_entropy_pq: number; cross_entropy_direct: number; kl_qp: number;
  };
  grid: Record<string, unknown>;
}

export const seed: Seed = JSON.parse(readFileSync(SEED_PATH, "utf8"));
