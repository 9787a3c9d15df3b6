// The start-up and edit benchmark: serves the built site (dist/, `make build`) and opens it in
// Debian's Chromium RUNS times with a fresh profile each time, measuring
//  - drawn: navigation start to the sandbox's three web pods in the cluster view;
//  - interactive: navigation start to that and the YAML editor (CodeMirror) accepting input;
//  - edit: on a lesson-size workspace (30 objects, pasted into the editor), the first
//    `replicas: 3` changed to 4, then the longest frame (the largest gap between two animation
//    frames) from the key press until 500 ms after the new pod is drawn — the debounced apply,
//    the model and the re-render all run inside one such frame — and the time from the key
//    press to the new pod (which includes the debounce delay).
// Prints medians (and every run with --json). With --profile=FILE, the first run's edit is also
// recorded by V8's sampling profiler (CDP `Profiler`, 100 µs) into FILE (a .cpuprofile that
// Chromium's DevTools open), and the functions with the most self time are listed: names are
// readable on a build whose wasm kept its name section (no wasm-opt). With --cpu, each run's edit
// is also traced (CDP `Tracing`) and the main thread's CPU time (not wall time, so other
// processes on a busy machine barely change it) is added up per frame: the tasks since the
// previous frame's rendering plus that rendering; the busiest frame is reported.
//
//   node e2e/bench-start.mjs [DIST_DIR] [--runs=N] [--json] [--profile=FILE] [--cpu]
import { openPage } from './browser.mjs';
import { serve } from './static-server.mjs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
const dist = resolve(args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const profileFile = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
const cpu = args.includes('--cpu');
const USER_PODS = 'g.pod:not(.system)';
const EDITOR = '#yaml-editor .cm-content';

// Runs in the page before its scripts: notes, on every animation frame, when the pods and the
// editor first exist, and keeps the frame times for the edit measurement.
const watch = `
  window.__bench = { frames: [] };
  const tick = (now) => {
    const b = window.__bench;
    b.frames.push(now);
    if (b.frames.length > 4000) b.frames.splice(0, 2000);
    const pods = document.querySelectorAll(${JSON.stringify(USER_PODS)}).length;
    if (b.drawn === undefined && pods >= 3) b.drawn = performance.now();
    if (b.interactive === undefined && pods >= 3 && document.querySelector(${JSON.stringify(EDITOR)})) {
      b.interactive = performance.now();
    }
    if (b.newPod === undefined && b.editAt !== undefined && pods > b.before) b.newPod = performance.now();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

// The lesson-size workspace of core's apply benchmark (core/src/bench_fixtures.rs,
// `apply_workspace(6, 3, 4, 6, 2)`): 2 namespaces, 6 Deployments x 3 replicas with their
// Services (every fifth a NodePort), 4 Services selecting a tier, 6 ingress policies —
// 30 objects, 18 pods. The edit is measured on it.
function lessonWorkspace() {
  const apps = 6, replicas = 3, extra = 4, policies = 6, namespaces = 2;
  let text = '';
  for (let n = 0; n < namespaces; n++) text += `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns${n}\n  labels:\n    team: t${n}\n---\n`;
  for (let a = 0; a < apps; a++) {
    const ns = a % namespaces;
    text += `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${a}\n  namespace: ns${ns}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: app${a}\n  template:\n    metadata:\n      labels:\n        app: app${a}\n        tier: t${a % 3}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 8080\n---\n`;
    text += `apiVersion: v1\nkind: Service\nmetadata:\n  name: app${a}\n  namespace: ns${ns}\nspec:\n  type: ${a % 5 === 0 ? 'NodePort' : 'ClusterIP'}\n  selector:\n    app: app${a}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\n`;
  }
  for (let s = 0; s < extra; s++) text += `apiVersion: v1\nkind: Service\nmetadata:\n  name: extra${s}\n  namespace: ns${s % namespaces}\nspec:\n  selector:\n    tier: t${s % 3}\n  ports:\n  - port: 8080\n---\n`;
  for (let p = 0; p < policies; p++) text += `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: pol${p}\n  namespace: ns${p % namespaces}\nspec:\n  podSelector:\n    matchLabels:\n      app: app${p % apps}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: t${(p + 1) % namespaces}\n      podSelector:\n        matchLabels:\n          tier: t${p % 3}\n    ports:\n    - port: 8080\n---\n`;
  return text;
}

// The trace recorded since `Tracing.start`, as its list of events.
async function stopTracing(cdp) {
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream });
    text += chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const trace = JSON.parse(text);
  return trace.traceEvents ?? trace;
}

// The most main-thread CPU time (ms) that went into one frame: a rendering task (style,
// layout, paint) plus every task since the previous one (input, timers, the apply).
function busiestFrame(events) {
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  const rendering = new Set(onMain.filter((e) => ['Layout', 'Paint', 'UpdateLayoutTree', 'PrePaint'].includes(e.name)).map((e) => e.ts));
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.tdur !== undefined).sort((a, b) => a.ts - b.ts);
  let busiest = 0;
  let since = 0;
  for (const task of tasks) {
    since += task.tdur / 1000;
    const renders = [...rendering].some((ts) => ts >= task.ts && ts < task.ts + task.dur);
    if (renders) {
      busiest = Math.max(busiest, since);
      since = 0;
    }
  }
  return Math.max(busiest, since);
}

// The 25 functions with the most self time in `profile`, and the time not idle, on stderr.
function printProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let busy = 0;
  profile.samples.forEach((id, k) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const dt = (profile.timeDeltas[k + 1] ?? 0) / 1000;
    if (['(idle)', '(program)', '(root)'].includes(functionName)) return;
    busy += dt;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.error(`profile: ${round(busy)} ms busy (not idle) from the key press to 500 ms after the new pod`);
  for (const [key, ms] of top) console.error(`  ${round(ms).toString().padStart(7)} ms  ${key}`);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const round = (x) => Math.round(x * 10) / 10;

const server = await serve(dist);
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const { browser, page, errors } = await openPage(server.url, { init: watch });
    try {
      await page.waitForFunction(() => window.__bench.interactive !== undefined, null, { timeout: 30_000 });
      // The lesson-size workspace replaces the sandbox's text; its 18 pods are drawn first.
      await page.locator(EDITOR).click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(lessonWorkspace());
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 18, USER_PODS, { timeout: 10_000 });
      await page.keyboard.press('Control+Home'); // CodeMirror draws only the lines in view
      await page.evaluate(() => { window.__bench.before = document.querySelectorAll('g.pod:not(.system)').length; });
      const line = page.locator('#yaml-editor .cm-line', { hasText: /^\s+replicas: 3$/ }).first();
      await line.click();
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace');
      const cdp = (profileFile && i === 0) || cpu ? await page.context().newCDPSession(page) : undefined;
      if (cpu) await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReturnAsStream' });
      if (cdp && profileFile && i === 0) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      await page.evaluate(() => { window.__bench.editAt = performance.now(); });
      await page.keyboard.type('4');
      await page.waitForFunction(() => window.__bench.newPod !== undefined, null, { timeout: 10_000 });
      await page.waitForTimeout(500);
      const busiestFrameCpu = cpu ? busiestFrame(await stopTracing(cdp)) : undefined;
      if (cdp && profileFile && i === 0) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(profileFile, JSON.stringify(profile));
        printProfile(profile);
      }
      const run = await page.evaluate(() => {
        const b = window.__bench;
        const after = b.frames.filter((t) => t >= b.editAt);
        let longest = 0;
        for (let k = 1; k < after.length; k++) longest = Math.max(longest, after[k] - after[k - 1]);
        return { drawn: b.drawn, interactive: b.interactive, editLongestFrame: longest, editToNewPod: b.newPod - b.editAt };
      });
      if (cpu) run.editBusiestFrameCpu = busiestFrameCpu;
      if (errors.length) throw new Error(`console errors: ${errors.join('\n')}`);
      results.push(run);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}

const summary = Object.fromEntries(
  ['drawn', 'interactive', 'editLongestFrame', 'editToNewPod', ...(cpu ? ['editBusiestFrameCpu'] : [])].map((k) => [
    k,
    round(median(results.map((r) => r[k]))),
  ]),
);
if (args.includes('--json')) {
  console.log(JSON.stringify({ runs: results, median: summary }, null, 2));
} else {
  console.log(`runs: ${runs} (medians)`);
  console.log(`drawn: ${summary.drawn} ms, interactive: ${summary.interactive} ms (goal 1000 ${summary.interactive < 1000 ? 'ok' : 'OVER'})`);
  console.log(`edit: longest frame ${summary.editLongestFrame} ms (goal 16.7 ${summary.editLongestFrame <= 17 ? 'ok' : 'OVER'}), key press to the new pod ${summary.editToNewPod} ms`);
  if (cpu) console.log(`edit: busiest frame ${summary.editBusiestFrameCpu} ms of main-thread CPU`);
}
