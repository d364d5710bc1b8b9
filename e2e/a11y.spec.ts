/**
 * Accessibility in the real browser: axe (all rules, WCAG 2.1 AA contrast included) reports no violation on
 * any screen — sign-in, sign-up, the chat with a seeded history (separators, grouped rows, Jump to latest),
 * every dialog, the phone drawer and "Room not found" — in the light theme and in the dark one. Plus the theme
 * itself: it follows the system, and the toggle's choice persists across reloads and sign-out.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, expectChatOpen, newUser, send, signInThroughUi, signUpFast } from './fixtures';
import { seedMessages } from './seed-messages';

const MINUTE = 60_000;

/**
 * Runs axe on what is on screen once it has settled; the failure lists each rule with the elements it flagged.
 * Settled: every finite CSS transition and animation has ended. Mid-slide, the phone drawer's room links are
 * still visible but off-screen, and axe takes an off-screen `#` link for a skip link whose target is missing.
 */
async function expectNoViolations(page: Page, screen: string): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  const report = violations.map((v) => `${screen}: ${v.id} — ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
  expect(report, `axe violations on ${screen}`).toEqual([]);
}

/** The theme the page shows, told by the page background (--page: #f4f5f9 light, #111319 dark). */
const shownScheme = (page: Page) =>
  page.evaluate(() => {
    const background = getComputedStyle(document.body).backgroundColor;
    if (background === 'rgb(17, 19, 25)') return 'dark';
    return background === 'rgb(244, 245, 249)' ? 'light' : background;
  });

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test(`sign-in and sign-up screens have no axe violations (${colorScheme})`, async ({ page }) => {
      await page.goto(baseUrl());
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
      expect(await shownScheme(page)).toBe(colorScheme);
      await expectNoViolations(page, 'sign in');
      await page.getByRole('tab', { name: 'Create Account' }).click();
      await expect(page.getByLabel('Confirm Password', { exact: true })).toBeVisible();
      await expectNoViolations(page, 'create account');
      const user = newUser('Confirm');
      await page.getByLabel('Email', { exact: true }).fill(user.email);
      await page.getByLabel('Display name', { exact: true }).fill(user.displayName);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByLabel('Confirm Password', { exact: true }).fill(user.password);
      await page.getByRole('button', { name: 'Create Account' }).click();
      await expect(page.getByLabel('Confirmation Code')).toBeVisible();
      await expectNoViolations(page, 'confirm sign-up');
      await page.reload();
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
      await page.getByRole('button', { name: 'Forgot your password?' }).click();
      await expect(page.getByRole('button', { name: 'Send code' })).toBeVisible();
      await expectNoViolations(page, 'forgot password');
    });

    test(`chat screens and dialogs have no axe violations (${colorScheme})`, async ({ page }) => {
      test.setTimeout(120_000);
      await signUpFast(page, newUser('Axe'));
      expect(await shownScheme(page)).toBe(colorScheme);
      const rooms = page.getByRole('navigation', { name: 'Rooms' });
      await rooms.getByRole('button', { name: 'Create room' }).click();
      const create = page.getByRole('dialog', { name: 'Create room' });
      await create.getByLabel('Name').fill(`axe-${colorScheme}-${Date.now().toString(36)}`);
      await expectNoViolations(page, 'create room dialog');
      await create.getByRole('button', { name: 'Create' }).click();
      await expect(create).toBeHidden();
      const roomId = decodeURIComponent(new URL(page.url()).hash.slice(1));

      // A history with day separators, grouped rows, a mention and both authors. It ends at most an hour after the
      // last midnight, so a separator is among the newest rows the list renders whatever the time of day (ending
      // "now" put midnight ~40 rows up in the afternoon, outside the virtualized window). Before 1 a.m. it ends a
      // minute ago; if that is still before midnight, "my own message" below opens Today.
      const midnight = new Date().setHours(0, 0, 0, 0);
      const end = Math.min(Date.now() - MINUTE, midnight + 60 * MINUTE);
      await seedMessages({
        roomId,
        count: 120,
        message: (i) => ({
          author: i % 4 ? { userId: 'seed-ada', displayName: 'Ada Seed' } : { userId: 'seed-bob', displayName: 'Bob Seed' },
          at: end - (119 - i) * 20 * MINUTE,
          body: `history line ${i}`,
        }),
      });
      await page.reload();
      await expectChatOpen(page);
      await send(page, 'my own message');
      await expect(page.getByTestId('message-list').getByText('my own message')).toBeVisible();
      await expect(page.locator('.day-separator').first()).toBeVisible();
      await expectNoViolations(page, 'room');

      // Scrolled up: the Jump to latest button and the header of older messages.
      await page.getByRole('region', { name: /^Messages in #/ }).evaluate((el) => el.scrollTo({ top: 0 }));
      await expect(page.getByTestId('jump-to-latest')).toBeVisible();
      await expectNoViolations(page, 'room scrolled up');

      await page.getByRole('button', { name: 'Switch room' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expectNoViolations(page, 'quick switcher');
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toBeHidden();

      await rooms.getByRole('button', { name: 'Browse rooms' }).click();
      await expect(page.getByRole('dialog', { name: 'Browse rooms' }).getByTestId('browse-room').first()).toBeVisible();
      await expectNoViolations(page, 'browse rooms dialog');
      await page.getByRole('dialog', { name: 'Browse rooms' }).getByRole('button', { name: 'Close' }).click();

      await page.goto(`${baseUrl()}/#no-such-room-${Date.now().toString(36)}`);
      await expect(page.getByTestId('room-not-found')).toBeVisible();
      await expectNoViolations(page, 'room not found');

      // A phone: the sidebar is a drawer.
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(`${baseUrl()}/#${roomId}`);
      await expectChatOpen(page);
      await expect(rooms).toBeHidden();
      await expectNoViolations(page, 'phone');
      await page.getByTestId('drawer-toggle').click();
      await expect(rooms).toBeVisible();
      await expectNoViolations(page, 'phone drawer');
    });
  });
}

test('the theme follows the system until toggled; the choice persists across reloads and sign-out', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const user = newUser('Theme');
  await signUpFast(page, user);
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await shownScheme(page)).toBe('light');
  const lightPage = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await shownScheme(page)).toBe('dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightPage);

  // Kept across a reload, and on the sign-in screen after signing out (applied before the app runs).
  await page.reload();
  await expectChatOpen(page);
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(await shownScheme(page)).toBe('dark');
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

  // Toggling back to the system's own theme forgets the choice: the page follows the system again.
  await signInThroughUi(page, user);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await page.evaluate(() => localStorage.getItem('chatroom-theme'))).toBeNull();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await shownScheme(page)).toBe('dark');
});
