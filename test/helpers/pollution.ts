// Runs a call with keys on Object.prototype (set as an assignment would: enumerable), removed after whatever
// happens: the fuzz tests check that inherited keys never reach a function's options.
export function polluted<T>(keys: Record<string, unknown>, f: () => T): T {
  const proto = Object.prototype as Record<string, unknown>;
  const names = Object.keys(keys);
  try {
    for (const k of names) proto[k] = keys[k];
    return f();
  } finally {
    for (const k of names) delete proto[k];
  }
}
