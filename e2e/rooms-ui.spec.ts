/**
 * Workspace UI on the real local stack: the Ctrl/Cmd+K quick switcher and Alt+↑/↓, the sidebar as a drawer
 * on a 360 px phone with nothing scrolling sideways, Esc marking a room read, forgotten password end to end
 * (the local stack prints the reset code like sign-up codes), and no CSP violation on the way.
 */
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, confirmationCode, createRoom, deployedTarget, expectChatOpen, newUser, roomLink, roomTitle, send, sidebar, signInThroughUi, signUpFast, signUpThroughUi } from './fixtures';

// Two or three users sign up and walk a whole flow: on shared CI cores that needs more than the default 60 s.
test.describe.configure({ timeout: 120_000 });

/** Collects CSP violations the page reports (a refused inline style or script would show here). */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /content security policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

const noSideScroll = (page: Page) =>
  page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) <= window.innerWidth);

test('quick switcher (Ctrl+K, type, Enter), Alt+↑/↓ between rooms, Esc in a room', async ({ page }) => {
  const csp = await watchCsp(page);
  const user = newUser('Keys');
  await signUpFast(page, user);
  const stamp = Date.now().toString(36);
  await createRoom(page, `alpha-${stamp}`);
  await createRoom(page, `beta-${stamp}`);
  await expect(roomTitle(page)).toHaveText(`#beta-${stamp}`);

  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Switch room' });
  await expect(dialog).toBeVisible();
  await page.keyboard.type(`alph`);
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(roomTitle(page)).toHaveText(`#alpha-${stamp}`);
  await expect(page).toHaveURL(new RegExp(`#alpha-${stamp}$`));

  // Sidebar order is by activity: beta (created last) then alpha then general. Alt+↑ goes up one.
  const order = await sidebar(page).getByTestId('room-link').evaluateAll((links) => links.map((l) => l.getAttribute('data-room-id')));
  const at = order.indexOf(`alpha-${stamp}`);
  await page.keyboard.press('Alt+ArrowDown');
  await expect(roomTitle(page)).toHaveText(`#${order[(at + 1) % order.length]}`);
  await page.keyboard.press('Alt+ArrowUp');
  await expect(roomTitle(page)).toHaveText(`#alpha-${stamp}`);

  // Esc closes the switcher without moving; in the room it marks it read (no unread left to show).
  await page.keyboard.press('Control+k');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`#alpha-${stamp}$`));
  await send(page, 'still here');
  await page.keyboard.press('Escape');
  await expect(roomLink(page, `alpha-${stamp}`)).toBeVisible();
  expect(csp).toEqual([]);
});

test('on a 360 px phone the sidebar is a drawer and nothing scrolls sideways', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const csp = await watchCsp(page);
  await page.goto(baseUrl());
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(await noSideScroll(page)).toBe(true);
  await signUpFast(page, newUser('Phone'));
  expect(await noSideScroll(page)).toBe(true);

  const nav = sidebar(page);
  const toggle = page.getByTestId('drawer-toggle');
  await expect(nav).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(nav).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  expect(await noSideScroll(page)).toBe(true);
  await nav.getByRole('button', { name: 'Create room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await expect(dialog).toBeVisible();
  expect(await noSideScroll(page)).toBe(true);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Esc closes it (focus back on its button); choosing a room closes it too.
  await toggle.click();
  await expect(nav).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
  await expect(toggle).toBeFocused();
  await toggle.click();
  await roomLink(page, /^general/).click();
  await expect(nav).toBeHidden();
  await expect(roomTitle(page)).toHaveText('#general');
  await send(page, `a long line from a phone ${'x'.repeat(120)}`);
  expect(await noSideScroll(page)).toBe(true);
  expect(csp).toEqual([]);
  await context.close();
});

test('forgot password: the reset code (printed by the local stack) sets a new password that signs in', async ({ browser }) => {
  test.skip(deployedTarget() !== undefined, 'a deployed branch mails the reset code; only the local stack prints it');
  const user = newUser('Forgetful');
  const first = await browser.newContext();
  await signUpThroughUi(await first.newPage(), user); // the form, so a sign-up code exists to tell apart
  await first.close();
  const signUpCode = await confirmationCode(user.email);

  const page = await (await browser.newContext()).newPage();
  const csp = await watchCsp(page);
  await page.goto(baseUrl());
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Enter your email').fill(user.email);
  await page.getByRole('button', { name: 'Send code' }).click();
  const codeField = page.getByLabel(/^Code/);
  await expect(codeField).toBeVisible();
  // The newest code for this address is now the reset code.
  let code = signUpCode;
  for (let i = 0; i < 50 && code === signUpCode; i++) {
    await page.waitForTimeout(100);
    code = await confirmationCode(user.email);
  }
  expect(code).not.toBe(signUpCode);
  const newPassword = `${user.password}-New1!`;
  await codeField.fill(code);
  await page.getByLabel(/^New Password/).fill(newPassword);
  await page.getByLabel(/^Confirm Password/).fill(newPassword);
  await page.getByRole('button', { name: 'Submit' }).click();
  // Amplify UI signs in with the new password, or returns to sign-in: either way the new one works.
  await expect(page.getByTestId('connection-status').or(page.getByRole('button', { name: 'Sign in', exact: true }))).toBeVisible({ timeout: 15_000 });
  if (await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()) {
    await signInThroughUi(page, { ...user, password: newPassword });
  }
  await expectChatOpen(page);
  expect(csp).toEqual([]);

  // The old password no longer works.
  const other = await (await browser.newContext()).newPage();
  await other.goto(baseUrl());
  await other.getByLabel('Email', { exact: true }).fill(user.email);
  await other.getByLabel('Password', { exact: true }).fill(user.password);
  await other.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(other.getByRole('tabpanel', { name: 'Sign In' }).getByRole('alert')).toBeVisible();
  await expect(other.getByTestId('connection-status')).toHaveCount(0);
  await page.context().close();
  await other.context().close();
});
