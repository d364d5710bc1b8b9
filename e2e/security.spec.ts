/**
 * Security in the real browser: markup in a DISPLAY NAME stays text for everyone who sees it, and no
 * Cognito token ever appears in a URL (the WebSocket URL carries only a one-time ticket that is dead once
 * the handshake is done).
 */
import { expect, test, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { messageWithBody, newUser, send, signUpFast, type TestUser } from './fixtures';

const JWT_LIKE = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;

/** Records every dialog (alert/confirm/prompt) a page opens, dismissing it so nothing blocks. */
function recordDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

test('markup in a display name renders as literal text for the other user, never as an element', async ({ browser }) => {
  // 28 characters: within the 32-character display-name limit.
  const mallory: TestUser = { ...newUser('Mallory'), displayName: '<img src=x onerror=alert(1)>' };
  const bob = newUser('Bob');
  const [contextM, contextB] = [await browser.newContext(), await browser.newContext()];
  const [m, b] = [await contextM.newPage(), await contextB.newPage()];
  const dialogs = [...[m, b].map(recordDialogs)];

  await Promise.all([signUpFast(m, mallory), signUpFast(b, bob)]);
  const hello = `hello from the display name ${Date.now()}`;
  await send(m, hello);

  const seenByBob = messageWithBody(b, hello);
  await expect(seenByBob).toBeVisible();
  await expect(seenByBob.getByTestId('message-author')).toHaveText(mallory.displayName);
  // Mallory's own page shows the name twice (account menu, own message): as text too.
  await expect(m.locator('.account-name')).toContainText(mallory.displayName);
  await expect(messageWithBody(m, hello).getByTestId('message-author')).toContainText(mallory.displayName);
  for (const page of [m, b]) await expect(page.locator('img[src="x"], img[onerror]')).toHaveCount(0);
  // After a reload the name comes from history (HTTP), not the live frame: still text.
  await b.reload();
  await expect(messageWithBody(b, hello).getByTestId('message-author')).toHaveText(mallory.displayName);
  await expect(b.locator('img[src="x"], img[onerror]')).toHaveCount(0);
  expect(dialogs.flat()).toEqual([]);
  await Promise.all([contextM.close(), contextB.close()]);
});

test('no Cognito token in any URL; the WebSocket URL holds a one-time ticket that is refused once used', async ({ page }) => {
  const urls: string[] = [];
  const sockets: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (ws) => sockets.push(ws.url()));

  await signUpFast(page, newUser('Urls'));
  await send(page, `url check ${Date.now()}`);

  expect(sockets.length).toBeGreaterThan(0);
  expect([...urls, ...sockets].filter((url) => JWT_LIKE.test(decodeURIComponent(url)))).toEqual([]);
  const socketUrl = new URL(sockets.at(-1)!);
  const ticket = socketUrl.searchParams.get('ticket') ?? '';
  expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // Whoever later finds this URL (history, proxy log, screenshot) cannot open a socket with it.
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(socketUrl.toString());
    ws.on('error', () => {});
    ws.once('open', () => {
      ws.close();
      reject(new Error('a used ticket opened a second socket'));
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
  });
  expect(status).toBe(401);
});
