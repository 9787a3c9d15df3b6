// Bundles the YAML editor (web/editor/codemirror.js and the CodeMirror packages pinned in
// e2e/package-lock.json) into one minified ES module with the pinned esbuild, for trunk's hooks
// (Trunk.toml):
//
//   node web/editor/build.mjs pre_build   bundle into $TRUNK_STAGING_DIR/editor/codemirror-<hash>.js
//   node web/editor/build.mjs post_build  point the page's <meta name="kubeplay-editor"> at that file
//   node web/editor/build.mjs check       bundle into a temporary folder and print its size
//
// The content hash in the name lets browsers cache the bundle for good. Bundles are cached in
// e2e/node_modules/.cache/kubeplay-editor by a hash of their inputs, so a rebuild whose editor
// sources and lock file did not change copies the cached file (a few milliseconds).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const e2e = join(root, 'e2e');
const entry = join(here, 'codemirror.js');
const cacheDir = join(e2e, 'node_modules', '.cache', 'kubeplay-editor');
const META = /(<meta name="kubeplay-editor" content=")[^"]*(")/;

function fail(message) {
  console.error(`[editor] ${message}`);
  process.exit(1);
}

function sha256(...parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** The bundle's text, from the cache when its inputs are unchanged. */
async function bundle() {
  if (!existsSync(join(e2e, 'node_modules', 'esbuild'))) {
    fail('esbuild is missing: run `scripts/ensure-tools.sh build` (or `cd e2e && npm ci`)');
  }
  const require = createRequire(join(e2e, 'package.json'));
  const esbuild = require('esbuild');
  const options = {
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    legalComments: 'eof',
    write: false,
    absWorkingDir: root,
    nodePaths: [join(e2e, 'node_modules')],
    logLevel: 'warning',
  };
  const key = sha256(
    readFileSync(entry),
    readFileSync(join(e2e, 'package-lock.json')),
    readFileSync(fileURLToPath(import.meta.url)),
    esbuild.version,
  ).slice(0, 24);
  const cached = join(cacheDir, `${key}.js`);
  if (existsSync(cached)) return readFileSync(cached);
  const started = Date.now();
  const result = await esbuild.build(options);
  const code = Buffer.from(result.outputFiles[0].contents);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, code);
  console.log(`[editor] bundled in ${Date.now() - started} ms: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} gzip`);
  return code;
}

const stage = process.argv[2];
if (stage === 'pre_build' || stage === 'check') {
  const staging = stage === 'check' ? join(cacheDir, 'check') : process.env.TRUNK_STAGING_DIR;
  if (!staging) fail('TRUNK_STAGING_DIR is not set: this stage runs as a trunk hook');
  const code = await bundle();
  const name = `codemirror-${sha256(code).slice(0, 16)}.js`;
  mkdirSync(join(staging, 'editor'), { recursive: true });
  writeFileSync(join(staging, 'editor', name), code);
  if (stage === 'check') console.log(`${name} ${code.length} ${gzipSync(code, { level: 9 }).length}`);
} else if (stage === 'post_build') {
  const staging = process.env.TRUNK_STAGING_DIR;
  if (!staging) fail('TRUNK_STAGING_DIR is not set: this stage runs as a trunk hook');
  const names = readdirSync(join(staging, 'editor')).filter((n) => /^codemirror-[0-9a-f]+\.js$/.test(n));
  if (names.length !== 1) fail(`expected one editor bundle in the staging folder, found ${names.length}`);
  const page = join(staging, 'index.html');
  const html = readFileSync(page, 'utf8');
  if (!META.test(html)) fail('web/index.html lacks <meta name="kubeplay-editor" content="...">');
  const publicUrl = process.env.TRUNK_PUBLIC_URL ?? '/';
  writeFileSync(page, html.replace(META, `$1${publicUrl}editor/${names[0]}$2`));
} else {
  fail('usage: node web/editor/build.mjs pre_build|post_build|check');
}
