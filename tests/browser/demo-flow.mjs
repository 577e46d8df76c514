// Drives the demo page through send -> wrong code -> right code -> session in headless Debian Chromium.
// Usage: node tests/browser/demo-flow.mjs <base-url> <code-file> <screenshot.png>
// The test that starts the host writes the delivered code to <code-file>; this script polls for it.
import { chromium } from "playwright-core";
import { mkdtemp, readFile, rm, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const [baseUrl, codeFile, screenshot] = process.argv.slice(2);
if (!baseUrl || !codeFile || !screenshot) {
  console.error("usage: node tests/browser/demo-flow.mjs <base-url> <code-file> <screenshot.png>");
  process.exit(2);
}

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const step = (text) => console.log(`demo-flow: ${text}`);

async function waitForCode(timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await readFile(codeFile, "utf8").catch(() => "");
    if (/^\d{4,10}$/.test(text.trim())) return text.trim();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no code in ${codeFile} within ${timeoutMs} ms`);
}

const profile = await mkdtemp(join(tmpdir(), "demo-flow-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 800, height: 720 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => { if (message.type() === "error") console.error(`page console: ${message.text()}`); });

  step(`open ${baseUrl}/api/demo`);
  await page.goto(`${baseUrl}/api/demo`);
  await page.fill("#to", "+14155550123");
  await page.click("#send");
  await page.waitForSelector("#verify-step:not([hidden])");
  const masked = (await page.textContent("#masked-to")).trim();
  if (!/^\+1415\*+23$/.test(masked)) throw new Error(`masked destination looks wrong: ${masked}`);
  step(`code sent to ${masked}`);

  const code = await waitForCode();
  const wrong = code === "000000" ? "111111" : "000000";
  await page.fill("#code", wrong);
  await page.click("#verify");
  await page.waitForSelector("#error:not([hidden])");
  const error = await page.textContent("#error");
  if (!error.includes("invalid_code") || !error.includes("Attempts left: 4")) throw new Error(`unexpected error box: ${error}`);
  step(`wrong code shows: ${error.trim()}`);

  await page.fill("#code", code);
  await page.click("#verify");
  await page.waitForSelector("#session:not([hidden])");
  const subject = (await page.textContent("#session-subject")).trim();
  if (subject !== masked) throw new Error(`session subject ${subject} is not ${masked}`);
  if (!(await page.isHidden("#error"))) throw new Error("the error box is still shown after a successful verify");
  step(`session shown for ${subject}, expires ${(await page.textContent("#session-expires")).trim()}`);

  await mkdir(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot saved to ${screenshot}`);
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
