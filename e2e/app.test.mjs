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
const EDITOR = '#yaml-editor .cm-content';

/** Waits for the cluster drawing and the CodeMirror editor, then hides the tools drawer so the
 *  editor is tall enough to show the whole sandbox file (CodeMirror draws only the lines near
 *  its viewport, and these tests click lines by their text). */
async function ready(page) {
  await page.waitForSelector('svg.cluster-svg g.node');
  await page.waitForSelector(EDITOR);
  if ((await page.getAttribute('.drawer-toggle', 'aria-expanded')) === 'true') await page.click('.drawer-toggle');
}

/** The text CodeMirror shows, line by line. */
const editorText = (page) =>
  page.evaluate(() => [...document.querySelectorAll('#yaml-editor .cm-line')].map((l) => l.textContent).join('\n'));

/** Scrolls the editor to its last line and waits until CodeMirror has drawn it (it draws only
 *  the lines near what is shown; the Service in the sandbox file sits at the end, and its
 *  `kind: Service` line must be drawn before `.last()` can mean one of the Service's lines). */
async function scrollEditorToEnd(page) {
  await page.locator('#yaml-editor .cm-scroller').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('#yaml-editor .cm-line', { hasText: /^kind: Service$/ }).waitFor();
  await page.locator('#yaml-editor .cm-line', { hasText: /^\s+targetPort: http$/ }).waitFor();
}

/** Puts the cursor at the end of the first line containing `text`, as a person would. */
async function cursorAtEndOf(page, text) {
  await page.locator('#yaml-editor .cm-line', { hasText: text }).first().click();
  await page.keyboard.press('End');
}

/** Replaces the last `count` characters before the cursor with `typed`. */
async function retype(page, count, typed) {
  for (let i = 0; i < count; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(typed, { delay: 20 });
}

const feedText = (page) => page.locator('.apply-feed').textContent();

test('the playground loads with no console errors, draws the sandbox and loads the editor after it', async () => {
  const { browser, page, errors } = await openPage(server.url, {
    init: () => {
      // When did the app first draw, and when did the editor bundle start loading?
      new MutationObserver((_, observer) => {
        if (document.querySelector('g.node')) {
          window.__drawnAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    },
  });
  try {
    await ready(page);
    assert.equal(await page.locator('g.node').count(), 3);
    await page.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 3);
    assert.equal(await page.locator("line.endpoint-link[data-service='default/web']").count(), 3);
    assert.equal(await page.locator('#yaml-fallback').count(), 0, 'the text box gives way to CodeMirror');
    assert.match(await editorText(page), /kind: Deployment/);
    assert.match(await feedText(page), /deployment\.apps\/web created/);
    const timing = await page.evaluate(() => ({
      drawn: window.__drawnAt,
      editor: performance.getEntriesByType('resource').find((e) => /\/editor\/codemirror-[0-9a-f]+\.js$/.test(e.name))?.startTime,
    }));
    assert.ok(timing.editor !== undefined, 'the editor bundle was loaded');
    assert.ok(timing.drawn <= timing.editor, `the editor loads after the app drew (${JSON.stringify(timing)})`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('typing in the editor changes what the cluster view shows', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await cursorAtEndOf(page, 'replicas: 3');
    await retype(page, 1, '5');
    await page.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 5);
    assert.match(await feedText(page), /deployment\.apps\/web configured/);

    // The Service's selector gets a typo: it no longer matches the web pods.
    await scrollEditorToEnd(page);
    const serviceSelector = page.locator('#yaml-editor .cm-line', { hasText: /^\s+app: web$/ }).last();
    await serviceSelector.click();
    await page.keyboard.press('End');
    await page.keyboard.type('b');
    await page.waitForFunction(() => document.querySelectorAll("line.endpoint-link[data-service='default/web']").length === 0);
    assert.equal(await userPods(page), 5, 'the pods are still there, just not selected');
    assert.match(await feedText(page), /service\/web configured/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('an error is underlined with its message on hover, and clicking it in the problem list moves the cursor', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await scrollEditorToEnd(page);
    await cursorAtEndOf(page, /^\s+port: 80$/);
    await retype(page, 2, '0');
    const underline = page.locator('#yaml-editor .cm-lintRange-error').first();
    await underline.waitFor();
    assert.equal(await underline.textContent(), '0');
    const style = await underline.evaluate((el) => getComputedStyle(el).textDecorationStyle);
    assert.equal(style, 'wavy');
    await underline.hover();
    const tooltip = page.locator('.cm-tooltip-lint');
    await tooltip.waitFor();
    assert.match(await tooltip.textContent(), /spec\.ports\[0\]\.port: Invalid value: 0/);

    // Move the cursor away, then click the problem: the cursor lands on the error.
    await page.keyboard.press('Control+Home');
    const problem = page.locator('.problem.error .problem-jump').first();
    assert.match(await problem.textContent(), /app\.yaml:\d+:\d+/);
    const line = Number(await problem.getAttribute('data-line'));
    await problem.click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('cm-content'));
    assert.equal(Number(await page.locator('.cm-activeLineGutter').textContent()), line);
    assert.match(await page.locator('.cm-activeLine').textContent(), /port: 0/);
    assert.equal(await page.locator('.cluster.stale').count(), 0, 'a validation error is not a syntax error');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a syntax error keeps the last good cluster, marked stale', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    // Each change is one edit (select a character, type over it), so no pause in between can
    // apply a half-typed `replicas:` (empty means 1).
    await cursorAtEndOf(page, 'replicas: 3');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('[');
    await page.locator('.cluster.stale').waitFor();
    assert.equal(await userPods(page), 3);
    await page.locator('#yaml-editor .cm-lintRange-error').first().waitFor();
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('4');
    await page.waitForFunction(() => !document.querySelector('.cluster.stale') && document.querySelectorAll('g.pod:not(.system)').length === 4);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('warnings are underlined differently from errors', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    // A headless Service ignores session affinity: the API server warns.
    await scrollEditorToEnd(page);
    await cursorAtEndOf(page, 'targetPort: http');
    await page.keyboard.insertText('\n  clusterIP: None\n  sessionAffinity: ClientIP');
    const warning = page.locator('#yaml-editor .cm-lintRange-warning').first();
    await warning.waitFor();
    assert.equal(await warning.evaluate((el) => getComputedStyle(el).textDecorationStyle), 'dashed');
    assert.equal(await page.locator('.problem.warning').count() > 0, true);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('completion offers the Service types from the schema, and hover explains a field', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await scrollEditorToEnd(page);
    await page.locator('#yaml-editor .cm-line', { hasText: /^spec:$/ }).last().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('type: N', { delay: 30 });
    // While "type" is typed the list offers field names; after ": N", the Service types.
    await page.locator('.cm-tooltip-autocomplete li', { hasText: 'NodePort' }).waitFor();
    assert.equal(await page.locator('.cm-tooltip-autocomplete li').first().textContent(), 'NodePort');
    // CodeMirror ignores Enter for 75 ms after the list changes (its interactionDelay).
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    assert.match(await page.locator('.cm-activeLine').textContent(), /^ {2}type: NodePort$/);
    await page.waitForFunction(() => /80:3\d{4}\/TCP/.test(document.querySelector("g.service[data-key='default/web']")?.textContent ?? ''));

    await page.keyboard.press('Escape');
    await page.locator('#yaml-editor .cm-line', { hasText: 'replicas: 3' }).hover({ position: { x: 40, y: 6 } });
    const explain = page.locator('.cm-explain');
    await explain.waitFor();
    assert.match(await explain.textContent(), /Deployment spec\.replicas<integer>How many pods to run/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('Tab writes two spaces, and Escape then Tab leaves the editor', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await page.locator('#yaml-editor .cm-line', { hasText: 'kind: Deployment' }).click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Tab');
    assert.match(await page.locator('.cm-activeLine').textContent(), /^ {2}kind: Deployment$/);
    assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('cm-content')));
    await page.keyboard.press('Control+z');
    assert.match(await page.locator('.cm-activeLine').textContent(), /^kind: Deployment$/, 'undo');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !document.activeElement?.closest('#yaml-editor')), 'focus left the editor');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('files can be added, renamed, deleted and brought back, and the workspace is applied as a whole', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await page.getByRole('button', { name: '+ New file' }).click();
    const rename = page.locator('input.tab-rename');
    await rename.waitFor();
    await rename.fill('db.yaml');
    await rename.press('Enter');
    await page.locator("[role=tab][data-file='db.yaml'][aria-selected=true]").waitFor();
    assert.equal((await editorText(page)).trim(), '');
    await page.locator(EDITOR).click();
    await page.keyboard.insertText('apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n');
    await page.locator("g.service[data-key='default/db']").waitFor();
    assert.match(await feedText(page), /service\/db created/);

    // Back to app.yaml: its own text and history.
    await page.locator("[role=tab][data-file='app.yaml']").click();
    assert.match(await editorText(page), /kind: Deployment/);
    await page.locator("[role=tab][data-file='db.yaml']").click();
    assert.match(await editorText(page), /name: db/);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector("g.service[data-key='default/db']"));
    assert.equal(await page.locator('[role=tab][data-file]').count(), 1);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.locator("g.service[data-key='default/db']").waitFor();
    assert.match(await editorText(page), /name: db/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a reload keeps the work, files and all', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await cursorAtEndOf(page, 'replicas: 3');
    await retype(page, 1, '2');
    await page.getByRole('button', { name: '+ New file' }).click();
    await page.locator('input.tab-rename').press('Enter');
    await page.reload();
    await ready(page);
    assert.match(await editorText(page), /^$/, 'the new file is still the open one');
    assert.deepEqual(await page.locator('[role=tab][data-file]').allTextContents(), ['app.yaml', 'untitled-1.yaml']);
    await page.locator("[role=tab][data-file='app.yaml']").click();
    assert.match(await editorText(page), /replicas: 2/);
    await page.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 2);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('unreadable storage starts the sandbox and keeps the old data', async () => {
  const { browser, page, errors } = await openPage(server.url, {
    init: () => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('kubeplay.workspace', '{"format":"kubeplay-workspace","version":99,"files":[]}');
        sessionStorage.setItem('seeded', '1');
      }
    },
  });
  try {
    await ready(page);
    assert.match(await page.locator('.notice').textContent(), /could not be read: it was saved in format version 99.*kubeplay\.workspace\.unreadable-1/);
    assert.equal(await userPods(page), 3);
    assert.equal(await page.evaluate(() => localStorage.getItem('kubeplay.workspace.unreadable-1')), '{"format":"kubeplay-workspace","version":99,"files":[]}');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a WebAssembly trap shows a recoverable banner, and the work survives the reload', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await cursorAtEndOf(page, 'replicas: 3');
    await retype(page, 1, '4');
    // What a Rust panic looks like to the page in a release build (panic = "abort").
    await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
    const banner = page.locator('.crash-banner[role=alert]');
    await banner.waitFor();
    assert.match(await banner.textContent(), /Your work is saved/);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /unreachable/);
    errors.length = 0;

    await page.getByRole('button', { name: 'Reload without applying my files' }).click();
    await ready(page);
    assert.equal(await page.locator('.crash-banner').count(), 0);
    assert.match(await page.locator('.notice').textContent(), /started without applying/);
    assert.match(await editorText(page), /replicas: 4/);
    assert.equal(await userPods(page), 0, 'nothing applied yet');
    await page.getByRole('button', { name: 'Apply now' }).click();
    await page.waitForFunction(() => document.querySelectorAll('g.pod:not(.system)').length === 4);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a lesson walked end to end: its files open, every goal ticks, and the progress survives a reload', async () => {
  const { browser, page, errors } = await openPage(server.url);
  try {
    await ready(page);
    await page.locator("li.lesson[data-id='service-selectors'] button").click();
    await page.waitForSelector("[role=tab][data-file='service.yaml']");
    assert.deepEqual(await page.locator('[role=tab][data-file]').allTextContents(), ['deployment.yaml', 'service.yaml']);
    await page.waitForFunction(() => document.querySelectorAll('li.goal.failed').length === 2);
    assert.match(await page.locator('.lesson-task').textContent(), /fix the Service/);
    assert.equal(await page.locator('.lesson-complete').count(), 0);

    // The fix, typed as a person would: `fronted` becomes `frontend`.
    await cursorAtEndOf(page, 'tier: fronted');
    await retype(page, 1, 'nd');
    await page.waitForFunction(() => document.querySelectorAll('li.goal.passed').length === 2);
    assert.equal(await page.locator('li.goal.failed').count(), 0);
    await page.waitForSelector('.lesson-complete .next-lesson');

    await page.reload();
    await ready(page);
    assert.match(await editorText(page), /tier: frontend/);
    await page.waitForFunction(() => document.querySelectorAll('li.goal.passed').length === 2);
    await page.locator('.lessons-browse').click();
    assert.match(await page.locator("li.lesson[data-id='service-selectors'] .mark").textContent(), /done/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
