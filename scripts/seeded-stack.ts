/**
 * For the measurement and screenshot scripts: the local stack serving the static export, Debian's Chromium,
 * and a signed-up user in a public room seeded straight into the local DynamoDB (e2e/seed-messages.ts).
 * Everything started here is stopped by `close()`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { startLocalStack } from '../amplify/local/stack';
import { chromiumLaunchOptions } from '../e2e/chromium';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface SeededStack {
  browser: Browser;
  webUrl: string;
  close(): Promise<void>;
}

/** Starts the stack (out/ must exist: `npm run build`) and the browser; sets the E2E_* variables the fixtures read. */
export async function startSeededStack(): Promise<SeededStack> {
  const outDir = resolve(import.meta.dirname, '../out');
  if (!existsSync(resolve(outDir, 'index.html'))) throw new Error('This needs the static export: run `npm run build` first');
  const stack = await startLocalStack({ staticDir: outDir });
  process.env.E2E_BASE_URL = stack.webUrl;
  process.env.E2E_COGNITO_URL = stack.cognito.endpoint;
  process.env.E2E_DYNAMO_ENDPOINT = stack.dynamoEndpoint;
  let browser: Browser;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    browser,
    webUrl: stack.webUrl,
    close: async () => {
      await browser.close().catch(() => undefined);
      await stack.stop();
    },
  };
}

/** A new page in its own context (own storage, so its theme and session are its own). */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  return context.newPage();
}

/** Creates a public room through the UI and returns its id. */
export async function createPublicRoom(page: Page, name: string, topic?: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: 'Create room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Name').fill(name);
  if (topic) await dialog.getByLabel('Topic (optional)').fill(topic);
  await dialog.getByLabel('Public').check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.waitForURL(/#./);
  return decodeURIComponent(new URL(page.url()).hash.slice(1));
}

/** The timeline's scroller, and how many messages it holds. */
export const scroller = (page: Page) => page.getByRole('region', { name: /^Messages in #/ });
export const loadedCount = async (page: Page) => Number(await scroller(page).getAttribute('data-loaded'));

/** Scrolls to the top until `count` messages are loaded (each arriving page is prepended above). */
export async function loadAll(page: Page, count: number, onPage?: () => Promise<void>): Promise<void> {
  // Opened with 99+ unread, the room moves to its first unread once the room list arrives (maybe after the first
  // paint): press "Jump to latest" whenever it shows, until it has stayed hidden for a second.
  const jump = page.getByTestId('jump-to-latest');
  for (let quietSince = Date.now(), deadline = Date.now() + 30_000; Date.now() - quietSince < 1_000; ) {
    if (Date.now() > deadline) throw new Error('the room never settled at its newest message');
    if (await jump.isVisible()) {
      await jump.click();
      quietSince = Date.now();
    }
    await page.waitForTimeout(100);
  }
  for (let loaded = await loadedCount(page); loaded < count; ) {
    await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
    const deadline = Date.now() + 20_000;
    let now = loaded;
    while (now <= loaded) {
      if (Date.now() > deadline) throw new Error(`stuck at ${loaded} of ${count} messages`);
      await page.waitForTimeout(50);
      now = await loadedCount(page);
    }
    loaded = now;
    await onPage?.();
    await page.waitForTimeout(250); // the list restores the reader's place for a few frames after a page lands
  }
}
