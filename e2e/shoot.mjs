// Screenshots for looking at the app by eye: `node e2e/shoot.mjs DIST OUT_PREFIX [steps.json]`.
// Serves DIST, opens it at 1280x800 (and other sizes given by SIZES=WxH,...), runs optional
// steps (click selectors, type), and writes OUT_PREFIX-NAME.png. WORKSPACE=FILE (the storage
// format's JSON) opens that workspace instead of the sandbox. Not a test: a tool for review.
import { openPage } from './browser.mjs';
import { serve } from './static-server.mjs';

const [dist, out, stepsFile] = process.argv.slice(2);
const { url, close } = await serve(dist);
const workspace = process.env.WORKSPACE ? await (await import('node:fs/promises')).readFile(process.env.WORKSPACE, 'utf8') : null;
const init = workspace ? `localStorage.getItem('kubeplay.shot') || (localStorage.setItem('kubeplay.workspace', ${JSON.stringify(workspace)}), localStorage.setItem('kubeplay.shot', '1'))` : undefined;
const { browser, page, errors } = await openPage(url, { init });
await page.waitForSelector('.cluster-svg .pod');
const steps = stepsFile ? JSON.parse(await (await import('node:fs/promises')).readFile(stepsFile, 'utf8')) : [];
for (const step of steps) {
  if (step.size) await page.setViewportSize({ width: step.size[0], height: step.size[1] });
  if (step.click) await page.click(step.click);
  if (step.type) await page.keyboard.type(step.type);
  if (step.press) await page.keyboard.press(step.press);
  if (step.wait) await page.waitForTimeout(step.wait);
  if (step.emulate) await page.emulateMedia(step.emulate);
  if (step.shot) await page.screenshot({ path: `${out}-${step.shot}.png` });
}
if (!steps.length) await page.screenshot({ path: `${out}-default.png` });
if (errors.length) console.error('console errors:', errors);
await browser.close();
await close();
