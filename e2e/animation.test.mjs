// End to end: the packet animation. A trace picked in the cluster view plays frame by frame
// (the packet moves, the Trace tab lists the same frames), the controls step and pause, a
// lesson goal plays its probe, and `prefers-reduced-motion` turns playing into stepping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { openPage } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let server;

before(async () => { server = process.env.APP_URL ? { url: process.env.APP_URL, close() {} } : await serve(dist); });
after(async () => { await server.close(); });

const caption = (page) => page.locator('.player-caption').textContent();
const packetAt = (page) => page.locator('g.packet').getAttribute('transform');

/** Picks a web pod, then the web Service, with the "Trace…" picker. */
async function traceWebPodToService(page) {
  await page.waitForSelector('svg.cluster-svg g.node');
  await page.click('.caption-tools .tool-button');
  await page.locator('.node g.pod:not(.system)').first().click();
  await page.click('g.service[data-key="default/web"]');
}

test('a picked trace animates hop by hop and the Trace tab lists the same frames', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await traceWebPodToService(page);
    await page.waitForSelector('.cluster[data-playing]');
    const first = await packetAt(page);
    await page.waitForFunction(() => /^([4-9]|\d\d)\//.test(document.querySelector('.player-caption')?.textContent ?? ''));
    assert.notEqual(await packetAt(page), first, 'the packet moved');
    await page.click('#tab-trace');
    const rows = await page.locator('.trace-table tbody tr').count();
    assert.match(await caption(page), new RegExp(`/${rows} · `), 'the caption counts the rows of the Trace tab');
    assert.ok(await page.locator('.trace-table tbody tr.rewrite').count() >= 1, 'the DNAT is a marked row');
    // Pause, then step: one frame per press.
    await page.click('.player-controls button[aria-label="Pause"]');
    const paused = Number((await caption(page)).split('/')[0]);
    await page.click('.player-controls button[aria-label="Step forward"]');
    assert.equal(Number((await caption(page)).split('/')[0]), paused + 1);
    await page.click('.player-controls button[aria-label="Step back"]');
    assert.equal(Number((await caption(page)).split('/')[0]), paused);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('with reduced motion nothing advances on its own; steps show each frame', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.reload();
    await traceWebPodToService(page);
    await page.waitForSelector('.cluster[data-playing]');
    assert.match(await caption(page), /^1\//);
    await page.waitForTimeout(2500);
    assert.match(await caption(page), /^1\//, 'still on the first frame');
    assert.equal(await page.locator('.player-controls button[aria-label="Play"]').count(), 1);
    await page.click('.player-controls button[aria-label="Step forward"]');
    assert.match(await caption(page), /^2\//);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a lesson goal plays its probe: a DNS lookup query by query', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    await page.click('text=DNS names, the search path');
    await page.click('.goal[data-goal="short-name"] .goal-play');
    await page.waitForSelector('.cluster[data-playing]');
    await page.click('#tab-trace');
    assert.equal(await page.locator('.trace-title').textContent(), 'web resolves from tools/reporter');
    // The start's search path: web.tools.svc.cluster.local is asked first, and is NXDOMAIN.
    const firstRow = await page.locator('.trace-table tbody tr').first().textContent();
    assert.match(firstRow, /web\.tools\.svc\.cluster\.local A\?/);
    assert.ok(await page.locator('.trace-table tbody tr.nxdomain').count() >= 2);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
