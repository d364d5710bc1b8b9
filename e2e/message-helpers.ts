/** Helpers of the messages e2e specs: two users in a room of their own, the actions menu, reaction chips. */
import { expect, type Browser, type Locator, type Page, type WebSocketRoute } from '@playwright/test';
import { baseUrl, createRoom, expectChatOpen, newUser, signUpFast } from './fixtures';

/**
 * Closes every browser context the test opened (an afterEach of the specs that use `pair`): a context left open
 * stays signed in, connected and rendering through the rest of its worker's tests.
 */
export async function closeContexts({ browser }: { browser: Browser }): Promise<void> {
  await Promise.all(browser.contexts().map((context) => context.close()));
}

/** Two signed-up users in a fresh public room of their own (so parallel tests never share a timeline). */
export async function pair(browser: Browser, options: { routeB?: (ws: WebSocketRoute) => void } = {}) {
  const alice = newUser('Alice');
  const bob = newUser('Bob');
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  // Every CSP violation on either page is recorded (the picker, rich text and chips must cause none).
  for (const page of [a, b]) {
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = []);
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  }
  if (options.routeB) await b.routeWebSocket(/\?ticket=/, options.routeB);
  await Promise.all([signUpFast(a, alice), signUpFast(b, bob)]);
  const roomId = await createRoom(a, `msg-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`);
  await b.goto(`${baseUrl()}/#${roomId}`);
  await b.getByTestId('room-preview-bar').getByRole('button', { name: 'Join' }).click();
  await expect(b.getByTestId('room-preview-bar')).toBeHidden();
  await expectChatOpen(b);
  return { alice, bob, a, b, roomId };
}

/** Opens a message's "Message actions" menu with the mouse and chooses `item`. */
export async function act(page: Page, row: Locator, item: 'Edit' | 'Delete' | 'Reply' | 'Add reaction') {
  await row.hover();
  await row.getByRole('button', { name: 'Message actions', exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

export const chip = (row: Locator, emoji: string, count: number) =>
  row.getByRole('button', { name: `${emoji} ${count} ${count === 1 ? 'reaction' : 'reactions'}, react with ${emoji}`, exact: true });

export const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

