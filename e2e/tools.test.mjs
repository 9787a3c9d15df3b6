// End to end: the drawer's Matrix, Proxy rules and DNS tabs and the object inspector, on the
// release build. SCREENSHOT_DIR=/some/dir saves a 1280x800 screenshot of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { serve } from './static-server.mjs';
import { openPage } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let server;

before(async () => { server = process.env.APP_URL ? { url: process.env.APP_URL, close() {} } : await serve(dist); });
after(async () => { await server.close(); });

/** Saves a screenshot named `name` when SCREENSHOT_DIR is set. */
async function shot(page, name) {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `${name}.png`) });
}

test('the Matrix, Proxy rules and DNS tabs and the inspector work in the built app', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');

    // Matrix: the sandbox's 3 pods, 3 nodes and the outside, every connection allowed on 80/TCP.
    await page.click('#tab-matrix');
    await page.waitForSelector('.matrix td');
    assert.equal(await page.inputValue('#matrix-port'), '80');
    assert.equal(await page.locator('.matrix td').count(), 49);
    assert.equal(await page.locator('.matrix td.denied').count(), 0);
    await page.locator('.matrix td button').nth(1).click();
    assert.match(await page.locator('.matrix-detail').textContent(), /: allowed/);
    await shot(page, 'matrix');

    // The inspector, opened from a row of the matrix; Escape closes it.
    await page.locator('.matrix .inspect-link').first().click();
    await page.waitForSelector('.inspector');
    const inspector = await page.locator('.inspector').textContent();
    assert.match(inspector, /Service environment variables/);
    assert.match(inspector, /WEB_SERVICE_HOST=/);
    assert.match(inspector, /search default\.svc\.cluster\.local/);
    await shot(page, 'inspector');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.inspector').count(), 0);

    // Proxy rules: iptables-save text, and the filter.
    await page.click('#tab-proxy');
    await page.waitForSelector('#proxy-rules');
    assert.match(await page.locator('#proxy-rules').textContent(), /^\*filter\n/);
    await page.fill('#proxy-filter', 'KUBE-SVC-');
    const lines = await page.locator('#proxy-rules .rule-line').allTextContents();
    assert.ok(lines.length > 0 && lines.every((l) => l.includes('KUBE-SVC-')));
    await page.fill('#proxy-filter', '');
    await shot(page, 'proxy-rules');

    // DNS: a missing name is NXDOMAIN at every step of the search list; a Service resolves.
    await page.click('#tab-dns');
    await page.fill('#dns-name', 'nope');
    await page.click('.dns-tool button[type=submit]');
    await page.waitForSelector('.dns-queries');
    assert.equal(await page.locator('.dns-queries .rcode-nxdomain').count(), 4);
    await page.fill('#dns-name', 'web');
    await page.click('.dns-tool button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.dns-outcome .rcode')?.textContent === 'NOERROR');
    await page.click('.corefile summary');
    assert.match(await page.locator('.corefile pre').textContent(), /kubernetes cluster\.local in-addr\.arpa ip6\.arpa/);
    await shot(page, 'dns');

    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
