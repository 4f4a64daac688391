// How an async call of kl-wasm/parallel reuses the synchronous function as it is (its option parsing, checks,
// engine code and post-processing): the synchronous function runs with a hook in place of its heavy step (the
// row driver, the pairwise plan); the hook answers from the workers' results it has, or throws Pending with the
// work that gets the next one. The function then runs again from the start, and the hook answers that step from
// the result: every step before the heavy ones is cheap (arguments read, options parsed), and the inputs were
// read once already (plain arrays copied and options read before the first run), so a call with k heavy steps runs
// k + 1 times. Every run's jobs carry the build of the modules read when the call was made (pool.ts `during`).
import { callBuild } from "../core/wasm.js";
import { during } from "./pool.js";

/** Thrown through the synchronous function by a hook that has no answer yet. */
class Pending {
  constructor(readonly work: Promise<unknown>) {}
}

/** The answers of one async call, in the order the synchronous function asks for them. */
export class Replay {
  answers: unknown[] = [];
  at = 0;

  /** The answer of the next heavy step; the first time, throws Pending with `work()` (started now). */
  next<T>(work: () => Promise<T>): T {
    if (this.at < this.answers.length) return this.answers[this.at++] as T;
    throw new Pending(work());
  }
}

/**
 * Runs `call` until it returns or throws something other than Pending, awaiting each Pending's work in between.
 * `call` installs its hook for the replay it is given and removes it before returning (synchronously: no other
 * call can see the hook). `simd`: the build read when the call was made (default: now).
 */
export async function replay<T>(call: (r: Replay) => T, simd = callBuild()): Promise<T> {
  const r = new Replay();
  for (;;) {
    r.at = 0;
    let work: Promise<unknown>;
    try {
      return during(simd, () => call(r));
    } catch (e) {
      if (!(e instanceof Pending)) throw e;
      work = e.work;
    }
    r.answers.push(await work);
  }
}
