// A tiny static file server for the built site (dist/), on 127.0.0.1 and an ephemeral port.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.yaml': 'text/yaml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` at `prefix` (a path such as `/kubeplay/`, default `/`) until `close()`; anything
 * outside the prefix is a 404, as on a static host where the site lives in a subdirectory.
 * Resolves to { url, close }, `url` ending in the prefix. `headers` are added to every answer
 * (such as `access-control-allow-origin`, for a host that lets other sites read its files).
 */
export async function serve(root, prefix = '/', headers = {}) {
  const server = createServer(async (req, res) => {
    const requested = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!requested.startsWith(prefix)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found (outside the site)');
      return;
    }
    const path = normalize(requested.slice(prefix.length - 1)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((r) => server.close(r)) };
}
