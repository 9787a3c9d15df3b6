// Hosting under a subpath (docs/hosting.md): the site built with `--public-url /kubeplay/`
// (`make build-subpath`, into dist-subpath/) and served only under /kubeplay/, as GitHub Pages
// serves a project site. Every asset, the lazily loaded editor bundle included, must come from
// under the subpath, and the app must work there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { openPage } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist-subpath/', import.meta.url));
let server;

before(async () => { server = await serve(dist, '/kubeplay/'); });
after(async () => { await server.close(); });

test('the playground built for /kubeplay/ loads every asset from under it and works there', async () => {
  const { browser, page, errors } = await openPage(server.url);
  const outside = [];
  page.on('response', (r) => {
    if (r.status() >= 400) outside.push(`${r.status()} ${r.url()}`);
  });
  try {
    await page.reload();
    await page.waitForSelector('svg.cluster-svg g.node');
    await page.waitForSelector('#yaml-editor .cm-content');
    assert.equal(await page.locator('g.pod:not(.system)').count(), 3, 'the sandbox is drawn');
    assert.ok(await page.locator('li.lesson').count() >= 18, 'the lessons are listed');
    assert.deepEqual(outside, [], 'no request failed (nothing was asked for outside /kubeplay/)');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
