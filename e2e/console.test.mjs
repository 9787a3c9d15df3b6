// End to end: the Console tab of the release build. kubectl commands typed at the prompt print
// what kubectl prints, a connection made from a pod starts the cluster view's animation, and
// the arrow keys and Tab work from the keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { openPage } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let server;

before(async () => { server = process.env.APP_URL ? { url: process.env.APP_URL, close() {} } : await serve(dist); });
after(async () => { await server.close(); });

const INPUT = '#console-input';

/** Types `line` at the prompt and presses Enter; resolves with the new entry's stdout and stderr. */
async function run(page, line) {
  const before = await page.locator('.console-entry').count();
  await page.fill(INPUT, line);
  await page.press(INPUT, 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.console-entry').length > n, before);
  const entry = page.locator('.console-entry').last();
  return {
    command: await entry.locator('.console-command').textContent(),
    stdout: await entry.locator('.console-stdout').textContent(),
    stderr: await entry.locator('.console-stderr').textContent(),
  };
}

test('kubectl get svc prints the table of Services', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    assert.equal(await page.locator('#tab-console').getAttribute('aria-selected'), 'true');
    const out = await run(page, 'kubectl get svc');
    assert.equal(out.command, '$ kubectl get svc');
    assert.match(out.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
    assert.match(out.stdout, /\nweb\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+<unknown>\n/);
    assert.equal(out.stderr, '');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('kubectl exec POD -- curl web prints where it connected and the trace starts playing', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    assert.equal(await page.locator('.cluster[data-playing]').count(), 0, 'nothing plays before');
    const pods = await run(page, 'kubectl get pods -o name');
    const pod = pods.stdout.split('\n').find((l) => l.startsWith('pod/web-'));
    assert.ok(pod, pods.stdout);
    const out = await run(page, `kubectl exec ${pod.slice(4)} -- curl http://web`);
    assert.match(out.stderr, /^\* Connected to web port 80\n\* kubeplay: delivered to pod default\/web-/);
    await page.waitForSelector('.cluster[data-playing]');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('history with the arrow keys and Tab completion, from the keyboard alone', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await page.waitForSelector('svg.cluster-svg g.node');
    await run(page, 'kubectl version');
    await page.focus(INPUT);
    await page.keyboard.type('kubectl get sv');
    await page.keyboard.press('Tab');
    assert.equal(await page.inputValue(INPUT), 'kubectl get svc ');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.inputValue(INPUT), 'kubectl version');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue(INPUT), 'kubectl get svc ');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+l');
    assert.equal(await page.locator('.console-entry').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
