// A typed array for a job of kl-wasm/parallel: on a SharedArrayBuffer as it is (the worker reads it in place), else its
// own copy, moved with the job (a view would clone its whole buffer); anything else as it is (cloned).
import { shared } from "./pool.js";

export function own<T>(x: T, transfer: Transferable[]): T {
  if (!ArrayBuffer.isView(x) || x instanceof DataView || shared(x)) return x;
  const c = (x as unknown as Float64Array).slice();
  transfer.push(c.buffer);
  return c as unknown as T;
}
