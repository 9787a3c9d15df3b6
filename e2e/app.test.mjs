// End to end: the release build, served statically, driven in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { openPage } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let server;

before(async () => { server = process.env.APP_URL ? { url: process.env.APP_URL, close() {} } : await serve(dist); });
after(async () => { await server.close(); });

const userPods = (page) => page.locator('g.pod:not(.system)').count();

test('the playground loads with no console errors and draws the sandbox cluster', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    assert.equal(await page.locator('g.node').count(), 3);
    await page.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 3);
    assert.equal(await page.locator("line.endpoint-link[data-service='default/web']").count(), 3);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('editing the Service YAML changes what the cluster view shows', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    const editor = page.locator('#yaml-editor');
    const text = await editor.inputValue();
    // The Service's selector gets a typo: it no longer matches the web pods.
    const broken = text.replace(/kind: Service([\s\S]*?)app: web/, 'kind: Service$1app: webb');
    assert.notEqual(broken, text);
    await editor.fill(broken);
    await page.waitForFunction(() => document.querySelectorAll("line.endpoint-link[data-service='default/web']").length === 0);
    assert.equal(await userPods(page), 3, 'the pods are still there, just not selected');
    // Switching the type to NodePort shows an allocated node port.
    await editor.fill(text.replace('  selector:\n    app: web\n  ports', '  type: NodePort\n  selector:\n    app: web\n  ports'));
    await page.waitForFunction(() => /80:3\d{4}\/TCP/.test(document.querySelector("g.service[data-key='default/web']")?.textContent ?? ''));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
