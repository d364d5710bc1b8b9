/**
 * Virtualization in the real browser against the local stack: 10,000 messages seeded straight into the local
 * DynamoDB, all loaded by scrolling up, never put more than 100 message rows in the DOM. Its own file so that
 * Playwright starts it early (files run in name order): the longest e2e test (~1 min) last left one worker idle.
 */
import { expect, test } from '@playwright/test';
import { goToLatest, messageWithBody, newUser, signUpFast } from './fixtures';
import { seedMessages } from './seed-messages';
import { ADA, BOB, MAX_ROWS, MINUTE, PLACE_SETTLE_MS, createRoom, loaded, openRoom, rowsInDom, scroller, settled } from './timeline-helpers';

test.use({ timezoneId: 'UTC', locale: 'en-US' });

test('10,000 loaded messages keep at most 100 message rows in the DOM', async ({ page }) => {
  test.setTimeout(300_000);
  const COUNT = 10_000;
  await signUpFast(page, newUser('Ten'));
  const roomId = await createRoom(page, `ten-k-${Date.now().toString(36)}`);
  const start = Date.now() - (COUNT + 10) * MINUTE;
  await seedMessages({ roomId, count: COUNT, message: (i) => ({ author: i % 5 ? ADA : BOB, at: start + i * MINUTE, body: `message ${i}` }) });
  await openRoom(page, roomId);
  await goToLatest(page, `message ${COUNT - 1}`);
  await settled(page);

  let most = 0;
  // Scroll to the top until the whole history is loaded: each arrival of a page moves the top further up.
  while ((await loaded(page)) < COUNT) {
    const count = await loaded(page);
    await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => loaded(page), { timeout: 20_000 }).toBeGreaterThan(count);
    most = Math.max(most, await rowsInDom(page));
    await page.waitForTimeout(PLACE_SETTLE_MS);
  }
  expect(await loaded(page)).toBe(COUNT);
  await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(page.getByText(`This is the beginning of #${roomId}.`)).toBeVisible();
  await expect(messageWithBody(page, 'message 0')).toBeVisible();
  most = Math.max(most, await rowsInDom(page));

  // And back down to the newest.
  await page.getByTestId('jump-to-latest').click();
  await expect(messageWithBody(page, `message ${COUNT - 1}`)).toBeInViewport();
  most = Math.max(most, await rowsInDom(page));
  console.log(`10,000 loaded messages: at most ${most} message rows in the DOM`);
  expect(most).toBeGreaterThan(0);
  expect(most).toBeLessThanOrEqual(MAX_ROWS);
});
