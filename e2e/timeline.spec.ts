/**
 * The timeline in the real browser against the local stack, with rooms seeded straight into the local
 * DynamoDB (e2e/seed-messages.ts): day separators and author grouping, infinite scroll upward that keeps the
 * reader's place, "Jump to latest" with "N new", and the announcer (live arrivals only). Virtualization (10,000
 * loaded messages) is big-history.spec.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, expectChatOpen, goToLatest, messageWithBody, newUser, send, signUpFast } from './fixtures';
import { seedMessages } from './seed-messages';
import { ADA, BOB, DAY, MINUTE, PLACE_SETTLE_MS, createRoom, loaded, openRoom, scroller, settled } from './timeline-helpers';

test.use({ timezoneId: 'UTC', locale: 'en-US' });

/** The first message row whose top is inside the scroller's viewport: its id and offset from the viewport top. */
function topVisible(page: Page) {
  return scroller(page).evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    for (const row of el.querySelectorAll<HTMLElement>('[data-testid="message"][data-message-id]')) {
      const offset = row.getBoundingClientRect().top - top;
      if (offset >= 0) return { id: row.dataset.messageId!, offset };
    }
    return undefined;
  });
}

test('day separators read Today, Yesterday, then a date; one author within minutes is grouped under one header', async ({ page }) => {
  await signUpFast(page, newUser('Days'));
  const roomId = await createRoom(page, `days-${Date.now().toString(36)}`);
  const now = Date.now();
  const today = new Date(now).setUTCHours(9, 0, 0, 0);
  const midnight = new Date(now).setUTCHours(0, 0, 0, 0);
  // Today's messages: in the past, but after midnight even in the first minutes of a day (ten minutes back from
  // 00:07 was yesterday: the test failed every night from 00:00 to 00:10 UTC).
  const base = Math.max(midnight + MINUTE, Math.min(today, now - 10 * MINUTE));
  const plan = [
    { author: ADA, at: today - 3 * DAY, body: 'three days ago' },
    { author: ADA, at: today - DAY, body: 'yesterday 1' },
    { author: ADA, at: today - DAY + 2 * MINUTE, body: 'yesterday 2 (grouped)' },
    { author: ADA, at: today - DAY + 30 * MINUTE, body: 'yesterday 3 (new header: later)' },
    { author: BOB, at: today - DAY + 31 * MINUTE, body: 'yesterday bob' },
    { author: ADA, at: base, body: 'today 1' },
    { author: ADA, at: base + MINUTE, body: 'today 2 (grouped)' },
  ];
  await seedMessages({ roomId, count: plan.length, message: (i) => plan[i]! });
  await openRoom(page, roomId);

  const expectedDate = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(today - 3 * DAY);
  await expect(page.locator('.day-separator')).toHaveText([expectedDate, 'Yesterday', 'Today']);
  const grouped = async (body: string) => (await messageWithBody(page, body).locator('xpath=ancestor::li[contains(@class,"timeline-item")]').getAttribute('data-grouped')) === 'true';
  expect(await grouped('three days ago')).toBe(false);
  expect(await grouped('yesterday 1')).toBe(false);
  expect(await grouped('yesterday 2 (grouped)')).toBe(true);
  expect(await grouped('yesterday 3 (new header: later)')).toBe(false);
  expect(await grouped('yesterday bob')).toBe(false);
  expect(await grouped('today 1')).toBe(false);
  expect(await grouped('today 2 (grouped)')).toBe(true);
  // A grouped row shows no author header; the first of the group does.
  await expect(messageWithBody(page, 'today 1').locator('.message-meta')).toBeVisible();
  await expect(messageWithBody(page, 'today 2 (grouped)').locator('.message-meta')).not.toBeInViewport();
});

test('scrolling up loads older pages and keeps the top message in place; Jump to latest counts new messages; only live ones are announced', async ({ browser }) => {
  test.setTimeout(120_000);
  const [reader, writer] = [newUser('Reader'), newUser('Writer')];
  const [a, b] = await Promise.all([0, 1].map(async () => (await browser.newContext({ timezoneId: 'UTC', locale: 'en-US' })).newPage()));
  await Promise.all([signUpFast(a, reader), signUpFast(b, writer)]);
  const roomId = await createRoom(a, `scroll-${Date.now().toString(36)}`);
  const start = Date.now() - 400 * MINUTE;
  await seedMessages({ roomId, count: 300, message: (i) => ({ author: i % 3 ? ADA : BOB, at: start + i * MINUTE, body: `seeded ${i}` }) });
  await openRoom(a, roomId);
  // 300 unread open at the first of them; read to the newest, the room reopens at its newest page instead, with
  // older pages to load by scrolling up (what this test is about).
  // Every request for an older page from here on: none may come before the reader scrolls up (a reader at the
  // newest message must not pull the whole history in the background, neither after "Jump to latest" mounts the
  // list again nor on reopening); the first one after is held, so the place can be measured before and after it lands.
  let scrolledUp = false;
  let early = 0;
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested!: () => void;
  const asked = new Promise<void>((resolve) => (requested = resolve));
  await a.route(/\/messages\?.*before=/, async (route) => {
    // A gap fill's read-back pages carry `after` too (reopening reads back what arrived since the window held): the
    // older pages of scrolling up never do.
    if (new URL(route.request().url()).searchParams.has('after')) return void (await route.continue());
    if (!scrolledUp) return void (early++, await route.continue());
    requested();
    await held;
    await route.continue();
  });
  await goToLatest(a, 'seeded 299');
  // Reopened until the stored read position has caught up (the read state travels over the socket).
  await expect(async () => {
    await openRoom(a, roomId);
    await expect(messageWithBody(a, 'seeded 299')).toBeInViewport({ timeout: 3_000 });
    await expect(a.getByTestId('jump-to-latest')).toBeHidden({ timeout: 1_000 });
    expect(await loaded(a)).toBeLessThan(300);
  }).toPass({ timeout: 30_000 });

  await settled(a);
  const before = await loaded(a);
  scrolledUp = true;
  await scroller(a).evaluate((el) => el.scrollTo({ top: 0 }));
  await asked;
  expect(early).toBe(0);
  await expect(a.getByTestId('load-older')).toHaveAttribute('aria-disabled', 'true');
  const top = await topVisible(a);
  expect(top).toBeDefined();
  release();
  await expect.poll(() => loaded(a)).toBeGreaterThan(before);
  await a.unroute(/\/messages\?.*before=/);
  // The message that was at the top is still there, at the same height (older ones went above it). Up to 4 px:
  // it may now continue its author's group from the older page, which drops its row's top padding.
  const offsetOf = (id: string) =>
    scroller(a).evaluate((el, id) => {
      const row = el.querySelector(`[data-testid="message"][data-message-id="${id}"]`);
      return row ? row.getBoundingClientRect().top - el.getBoundingClientRect().top : undefined;
    }, id);
  await expect.poll(async () => Math.abs(((await offsetOf(top!.id)) ?? Infinity) - top!.offset)).toBeLessThanOrEqual(4);
  await expect(a.getByTestId('jump-to-latest')).toHaveAccessibleName('Jump to latest');

  // Rows mounted by that scrolling were not announced.
  const announcer = a.getByTestId('announcer');
  await expect(announcer.locator('p')).toHaveCount(0);

  // Two new messages while the reader is scrolled up: counted, announced (author and text only), not scrolled to.
  await b.goto(`${baseUrl()}/#${roomId}`);
  await expectChatOpen(b);
  await b.getByTestId('room-preview-bar').getByRole('button', { name: 'Join' }).click();
  await expect(b.getByTestId('room-preview-bar')).toBeHidden();
  await send(b, 'live one');
  await send(b, 'live two');
  await expect(a.getByTestId('jump-to-latest')).toHaveAccessibleName('Jump to latest, 2 new');
  await expect(announcer.locator('p')).toHaveText([`${writer.displayName}: live one`, `${writer.displayName}: live two`]);
  expect(Math.abs(((await offsetOf(top!.id)) ?? Infinity) - top!.offset)).toBeLessThanOrEqual(4);

  await a.getByTestId('jump-to-latest').click();
  await expect(messageWithBody(a, 'live two')).toBeInViewport();
  await expect(a.getByTestId('jump-to-latest')).toBeHidden();
  await expect(scroller(a)).toBeFocused();
  // At the bottom, new messages are followed.
  await send(b, 'live three');
  await expect(messageWithBody(a, 'live three')).toBeInViewport();
  await expect(a.getByTestId('jump-to-latest')).toBeHidden();
  await Promise.all([a.context().close(), b.context().close()]);
});
