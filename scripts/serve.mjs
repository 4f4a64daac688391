// npm run demo:web: serves the repository on loopback (a static server, no build
// step beyond dist/, which npm install made) and prints the interactive page's URL.
// PORT=0 picks a free port. Used by scripts/runtimes.mjs too (export `serve`).
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, resolve, extname } from "node:path";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css" };

/** isolated: every response with COOP/COEP, so that pages are cross-origin isolated (SharedArrayBuffer: kl-wasm/parallel). */
export function serve(root, port = 0, { isolated = false } = {}) {
  const headers = isolated ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
  const server = createServer((req, res) => {
    let file = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(import.meta.dirname, "..");
  const server = await serve(root, Number(process.env.PORT ?? 8080));
  console.log(`kl-wasm interactive page: http://127.0.0.1:${server.address().port}/examples/browser/`);
}
