// Bringing work in and out, end to end on the release build: the Content-Security-Policy the
// page runs under, a share link opened in a fresh browser, Export's download, and a lesson
// loaded from a web address (lessons/README.md, "Lessons from a web address").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './static-server.mjs';
import { openPage } from './browser.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const repo = fileURLToPath(new URL('../', import.meta.url));
const sandbox = readFileSync(join(repo, 'examples/sandbox/app.yaml'), 'utf8');
let server;
let lessons;
let closed;
let hosted;

before(async () => {
  server = await serve(dist);
  // A teacher's lesson folder (lesson 02 under another id), with the files.txt a static host needs.
  hosted = mkdtempSync(join(tmpdir(), 'kubeplay-lessons-'));
  const folder = join(hosted, 'my-selectors');
  cpSync(join(repo, 'lessons/03-service-selectors'), folder, { recursive: true });
  const lesson = join(folder, 'lesson.yaml');
  writeFileSync(lesson, readFileSync(lesson, 'utf8').replace(/^id: .*$/m, 'id: my-selectors'));
  writeFileSync(join(folder, 'files.txt'), 'start/deployment.yaml\nstart/service.yaml\nsolution/service.yaml\n');
  lessons = await serve(hosted, '/', { 'access-control-allow-origin': '*' });
  // The same files on a host that does not let other sites read them.
  closed = await serve(hosted);
});
after(async () => {
  await server.close();
  await lessons.close();
  await closed.close();
  rmSync(hosted, { recursive: true, force: true });
});

/** Waits for the cluster drawing and the CodeMirror editor. */
async function ready(page) {
  await page.waitForSelector('svg.cluster-svg g.node');
  await page.waitForSelector('#yaml-editor .cm-content');
}

/** The workspace's files as saved in the browser (CodeMirror draws only the lines in view). */
const savedFiles = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('kubeplay.workspace')).files);

test('the page forbids inline scripts with its Content-Security-Policy, and the app runs under it', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(policy, /unsafe-inline/);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'the built page has no inline script');
    assert.equal(await page.locator('g.pod:not(.system)').count(), 3, 'the app started and applied the sandbox');
    assert.deepEqual(errors, [], 'no CSP violation while the app and the editor load');

    const injected = await page.evaluate(() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve({ directive: e.violatedDirective, ran: !!window.__ran }), { once: true });
      const script = document.createElement('script');
      script.textContent = 'window.__ran = true';
      document.body.append(script);
      setTimeout(() => resolve({ directive: null, ran: !!window.__ran }), 2000);
    }));
    assert.deepEqual(injected, { directive: 'script-src-elem', ran: false }, 'an inline script is refused');
  } finally {
    await browser.close();
  }
});

test('a share link opens the same workspace in a fresh browser, and asks before replacing work', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await page.locator('#yaml-editor .cm-line', { hasText: 'replicas: 3' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('4 # ünïcode ✓');
    await page.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 4);
    const mine = await savedFiles(page);
    assert.match(mine[0].text, /replicas: 4 # ünïcode ✓\n/);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Share' }).click();
    const field = page.locator('#share-link');
    await page.waitForFunction(() => document.querySelector('#share-link')?.value.includes('#w='));
    const link = await field.inputValue();
    assert.ok(link.startsWith(`${server.url}#w=`), link);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.locator('.share-copied', { hasText: 'Link copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // A fresh context: no storage, so the shared workspace opens without a question.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const other = await fresh.newPage();
    const otherErrors = [];
    other.on('console', (m) => { if (m.type() === 'error') otherErrors.push(m.text()); });
    await other.goto(link);
    await ready(other);
    await other.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 4);
    assert.deepEqual(await savedFiles(other), mine, 'the same names and texts');
    assert.equal(new URL(other.url()).hash, '', 'the fragment is gone from the address');
    assert.match(await other.locator('.notice-text').textContent(), /Opened the shared workspace/);

    // With work of its own, the link asks; "Keep mine" changes nothing.
    await other.locator('#yaml-editor .cm-line', { hasText: 'replicas: 4' }).first().click();
    await other.keyboard.press('End');
    await other.keyboard.type(' # mine now');
    await other.waitForTimeout(300);
    const edited = await savedFiles(other);
    assert.match(edited[0].text, /# mine now/);
    await other.goto(link);
    await ready(other);
    await other.getByRole('dialog', { name: 'Open the shared workspace?' }).waitFor();
    await other.locator('[data-choice="keep"]').click();
    assert.equal(await other.getByRole('dialog').count(), 0);
    assert.deepEqual(await savedFiles(other), edited);

    // A link cut short is a notice, and the app runs on.
    await other.goto(link.slice(0, link.length - 40));
    await ready(other);
    assert.match(await other.locator('.notice-text').textContent(), /This share link could not be opened/);
    assert.deepEqual(await savedFiles(other), edited);
    assert.deepEqual(otherErrors, []);
    assert.deepEqual(errors, []);
    await fresh.close();
  } finally {
    await browser.close();
  }
});

test('Export downloads every file as one YAML file, texts exactly as typed', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'kubeplay-sandbox.yaml');
    const text = readFileSync(await download.path(), 'utf8');
    assert.equal(text, `# file: app.yaml\n${sandbox}`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a lesson loads from a web address, and one that cannot be read loads nothing and says why', async () => {
  const { browser, page, errors } = await openPage(`${server.url}#lesson=${lessons.url}my-selectors/`);
  try {
    await ready(page);
    await page.getByRole('tab', { name: 'service.yaml' }).waitFor();
    assert.match(await page.locator('.lesson-view').textContent(), /ClusterIP Services and their selectors/);
    await page.getByRole('button', { name: 'All lessons' }).click();
    assert.equal(await page.locator("li.lesson.current[data-id='my-selectors'] .lesson-source").count(), 1);
    assert.deepEqual(errors, []);

    // From the panel's field: a host without CORS.
    await page.locator('#lesson-url').fill(`${closed.url}my-selectors/lesson.yaml`);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const problems = page.locator('.folder-problems');
    await problems.waitFor();
    assert.match(await problems.textContent(), /files\.txt: could not be fetched .*CORS/);
    assert.equal(await page.locator("li.lesson[data-id='my-selectors']").count(), 1, 'nothing more was added');
  } finally {
    await browser.close();
  }
});
