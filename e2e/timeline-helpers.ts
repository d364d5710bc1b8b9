/**
 * Helpers of the timeline e2e tests (timeline.spec.ts, big-history.spec.ts): rooms seeded straight into the local
 * DynamoDB, opened so their history is read from the table, and readings of the message list.
 */
import { expect, type Page } from '@playwright/test';
import { baseUrl, expectChatOpen } from './fixtures';
import type { SeedAuthor } from './seed-messages';

export const ADA: SeedAuthor = { userId: 'seed-ada', displayName: 'Ada Seed' };
export const BOB: SeedAuthor = { userId: 'seed-bob', displayName: 'Bob Seed' };
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
/** The list puts the reader's place back for a few frames after a page lands (components/timeline/use-keep-place.ts). */
export const PLACE_SETTLE_MS = 250;
/** The bound for 10,000 loaded messages. */
export const MAX_ROWS = 100;

/** Creates a public room through the UI and returns its id (the creator is its only member). */
export async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: 'Create room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Public').check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#./);
  return decodeURIComponent(new URL(page.url()).hash.slice(1));
}

/** Reopens the app on `roomId` so its history is read from the table. */
export async function openRoom(page: Page, roomId: string): Promise<void> {
  await page.goto(`${baseUrl()}/#${roomId}`);
  await page.reload();
  await expectChatOpen(page);
  await expect(scroller(page)).toBeVisible();
}

export const scroller = (page: Page) => page.getByRole('region', { name: /^Messages in #/ });
export const loaded = async (page: Page) => Number(await scroller(page).getAttribute('data-loaded'));
export const rowsInDom = (page: Page) => page.locator('[data-testid="message"]').count();

/**
 * Waits until the list holds still (two readings of its scroll position and height 400 ms apart agree). After a jump
 * to the newest message Virtuoso re-aims at it for a moment whenever rows are measured (react-virtuoso's
 * scrollToIndex retries), so a scroll to the top made meanwhile was pulled back to the bottom.
 */
export async function settled(page: Page): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      const now = await scroller(page).evaluate((el) => `${el.scrollTop}/${el.scrollHeight}`);
      const still = now === last;
      last = now;
      return still;
    }, { intervals: [400] })
    .toBe(true);
}
