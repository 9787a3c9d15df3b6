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

/** The sandbox with its Service made a NodePort (three web pods on the two workers). */
async function nodePortSandbox() {
  const { readFile } = await import('node:fs/promises');
  const sandbox = await readFile(new URL('../examples/sandbox/app.yaml', import.meta.url), 'utf8');
  const text = sandbox.replace('spec:\n  selector:\n    app: web\n', 'spec:\n  type: NodePort\n  selector:\n    app: web\n');
  assert.notEqual(text, sandbox, 'the Service was made a NodePort');
  return JSON.stringify({ format: 'kubeplay-workspace', version: 1, active: 'app.yaml', files: [{ name: 'app.yaml', text }] });
}

test('comparing externalTrafficPolicy plays two labelled packets at once: Cluster delivers, Local drops', async () => {
  const saved = await nodePortSandbox();
  const { browser, page, errors } = await openPage(server.url, {
    init: `sessionStorage.getItem('seeded') || (localStorage.setItem('kubeplay.workspace', ${JSON.stringify(saved)}), sessionStorage.setItem('seeded', '1'))`,
  });
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    await page.click('g.service[data-key="default/web"]');
    await page.click('.inspector .compare-policies');
    await page.waitForSelector('.cluster[data-playing]');
    // Both packets fly together, each named by its policy.
    assert.equal(await page.locator('.packet-overlay g.packet').count(), 2);
    assert.match(await page.locator('.packet.lane-0 .label-text').textContent(), /^Cluster · 203\.0\.113\.10:/);
    assert.match(await page.locator('.packet.lane-1 .label-text').textContent(), /^Local · 203\.0\.113\.10:/);
    const first = await page.locator('.packet.lane-1').getAttribute('transform');
    await page.waitForFunction(() => /^([3-9]|\d\d)\//.test(document.querySelector('.player-caption')?.textContent ?? ''));
    assert.notEqual(await page.locator('.packet.lane-1').getAttribute('transform'), first, 'the Local packet moved');
    assert.equal(await page.locator('.packet-overlay g.packet').count(), 2, 'both still drawn');
    // The Trace tab: one table per policy; Local ends in a drop at the node without an endpoint,
    // Cluster is delivered to a pod with the node's address as its source (SNAT).
    await page.click('#tab-trace');
    assert.deepEqual(await page.locator('.trace-lane .lane-title').allTextContents(), ['Cluster', 'Local']);
    assert.match(await page.locator('.trace-lane.lane-1 tbody tr').last().getAttribute('class'), /\bdrop\b/);
    assert.match(await page.locator('.trace-lane.lane-1 tbody tr').last().textContent(), /externalTrafficPolicy: Local/);
    assert.equal(await page.locator('.trace-lane.lane-0 tbody tr.drop').count(), 0);
    const delivered = await page.locator('.trace-lane.lane-0 tbody tr.deliver').first().textContent();
    assert.match(delivered, /172\.18\.0\.\d+:\d+ → 10\.244\./, 'the pod sees a node address, not the client');
    // Stepping moves both lanes on one clock; at the end the Local packet bursts where it was dropped.
    await page.click('.player-controls button[aria-label="Pause"]');
    await page.locator('.trace-lane.lane-0 tbody tr').last().click();
    assert.match(await page.locator('.packet.lane-1').getAttribute('class'), /\bdrop\b/);
    // One caption line per lane, in the lane's colour; the caption's height does not change
    // with the text, so the drawing above it stays where it is.
    const lines = await page.locator('.player-caption .lane-line').allTextContents();
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\d+\/\d+ · Cluster: /);
    assert.match(lines[1], /^Local: /);
    assert.match(await page.locator('.player-caption .lane-line.lane-1').getAttribute('title'), /^Local: /);
    const height = async () => (await page.locator('.player-caption').boundingBox()).height;
    const before = await height();
    await page.locator('.trace-lane.lane-0 tbody tr').first().click();
    assert.equal(await height(), before, 'the caption keeps its height from frame to frame');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
