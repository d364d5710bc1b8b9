/**
 * Messages people act on, two users on the real local stack: edit ("(edited)", ↑ and Esc in the composer), delete
 * (placeholder everywhere, the reply's quote too), reactions (picker by mouse and keyboard, chips with counts and
 * who reacted on hover and focus), replies (quote + jump to an original far back, loaded around it), typing
 * notices, rich text with safe links and mentions, and nothing missed across a reconnect.
 */
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { expectChatOpen, goToLatest, messageWithBody, send } from './fixtures';
import { act, chip, closeContexts, pair, tag } from './message-helpers';
import { seedMessages } from './seed-messages';

test.afterEach(closeContexts);

test('edit, react, reply and delete between two users, live; the actions work from the keyboard', async ({ browser }) => {
  test.setTimeout(120_000);
  const { alice, bob, a, b } = await pair(browser);
  const t = tag();
  const typo = `teh first mesage ${t}`;
  await send(a, typo);
  await expect(messageWithBody(b, typo)).toBeVisible();

  // Edit from the menu: Bob sees the new text and "(edited)"; the old text is gone.
  const fixed = `the first message ${t}`;
  await act(a, messageWithBody(a, typo), 'Edit');
  const input = a.getByTestId('composer-input');
  await expect(input).toHaveValue(typo);
  await input.fill(fixed);
  await input.press('Enter');
  const onBob = messageWithBody(b, fixed);
  await expect(onBob).toBeVisible();
  await expect(onBob.getByTestId('message-edited')).toHaveText('(edited)');
  await expect(b.getByTestId('message-list').getByText(typo)).toHaveCount(0);
  await expect(messageWithBody(a, fixed).getByTestId('message-edited')).toBeVisible();

  // ↑ in the empty composer edits the last own message; Esc cancels and leaves the message as it was.
  await input.press('ArrowUp');
  await expect(a.getByTestId('composer-mode')).toHaveAttribute('data-mode', 'edit');
  await expect(input).toHaveValue(fixed);
  await input.press('Escape');
  await expect(a.getByTestId('composer-mode')).toHaveCount(0);
  await expect(input).toHaveValue('');
  await expect(messageWithBody(a, fixed)).toBeVisible();

  // Bob reacts with the keyboard only: menu button → Enter → ↓ to "Add reaction" → Enter → → to ❤️ → Enter.
  const actionsB = onBob.getByRole('button', { name: 'Message actions', exact: true });
  await actionsB.focus();
  await b.keyboard.press('Enter');
  await expect(b.getByRole('menuitem', { name: 'Reply', exact: true })).toBeFocused();
  await expect(b.getByRole('menu').getByRole('menuitem')).toHaveText(['Reply', 'Add reaction']); // not his: no Edit/Delete
  await b.keyboard.press('ArrowDown');
  await expect(b.getByRole('menuitem', { name: 'Add reaction', exact: true })).toBeFocused();
  await b.keyboard.press('Enter');
  const picker = b.getByRole('dialog', { name: 'Add reaction' });
  await expect(picker).toBeVisible();
  await b.keyboard.press('ArrowRight');
  await b.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(actionsB).toBeFocused(); // focus goes back where it came from
  const onAlice = messageWithBody(a, fixed);
  await expect(chip(onAlice, '❤️', 1)).toBeVisible();

  // Alice adds 👍 with the mouse (any emoji: through the search), Bob joins by pressing the chip: both see 2.
  await act(a, onAlice, 'Add reaction');
  await a.getByRole('dialog', { name: 'Add reaction' }).getByTestId('emoji-search').fill('thumbs up');
  await a.getByTestId('emoji-results').getByRole('button', { name: '👍 thumbs up', exact: true }).click();
  await chip(onBob, '👍', 1).click();
  await expect(chip(onAlice, '👍', 2)).toBeVisible();
  await expect(chip(onBob, '👍', 2)).toHaveAttribute('aria-pressed', 'true');
  // Who reacted: on hover, and on keyboard focus.
  await chip(onAlice, '👍', 2).hover();
  const tip = onAlice.getByRole('tooltip').filter({ hasText: '👍' });
  await expect(tip).toBeVisible();
  await expect(tip).toHaveText(`You and ${bob.displayName} reacted with 👍`);
  await b.mouse.move(0, 0);
  await onBob.getByRole('button', { name: 'Message actions', exact: true }).focus();
  await b.keyboard.press('Shift+Tab'); // the last chip, reached by keyboard
  const tipB = onBob.getByRole('tooltip').filter({ hasText: '👍' });
  await expect(chip(onBob, '👍', 2)).toBeFocused();
  await expect(tipB).toBeVisible();
  await expect(tipB).toHaveText(`You and ${alice.displayName} reacted with 👍`);
  // Unset is idempotent and exact: Bob takes his 👍 back; Alice sees 1.
  await chip(onBob, '👍', 2).click();
  await expect(chip(onAlice, '👍', 1)).toBeVisible();

  // Bob replies: the quote shows Alice and a snippet of her message.
  const answer = `reply from Bob ${t}`;
  await act(b, onBob, 'Reply');
  await expect(b.getByTestId('composer-mode')).toContainText(`Replying to ${alice.displayName}`);
  await send(b, answer);
  const replyOnAlice = messageWithBody(a, answer);
  await expect(replyOnAlice.getByTestId('reply-quote-author')).toHaveText(alice.displayName);
  await expect(replyOnAlice.getByTestId('reply-quote-snippet')).toHaveText(fixed);

  // Alice deletes her message: a placeholder for both, no text left, and the reply's quote follows.
  await act(a, onAlice, 'Delete');
  await a.getByRole('alertdialog').getByRole('button', { name: 'Delete message' }).click();
  for (const page of [a, b]) {
    await expect(page.getByTestId('message-deleted')).toHaveText('This message was deleted');
    // Gone from the whole page (list, announcer, previews), not only from its row.
    await expect(page.getByText(fixed, { exact: true })).toHaveCount(0);
    await expect(page.getByText(typo, { exact: true })).toHaveCount(0);
    await expect(messageWithBody(page, answer).getByTestId('reply-quote-snippet')).toHaveText('This message was deleted');
  }
  // Someone else's message offers no Edit/Delete.
  await act(a, messageWithBody(a, answer), 'Reply');
  await a.getByTestId('composer-input').press('Escape');
  await messageWithBody(a, answer).getByRole('button', { name: 'Message actions', exact: true }).click();
  await expect(a.getByRole('menu').getByRole('menuitem')).toHaveText(['Reply', 'Add reaction']);
  await a.keyboard.press('Escape');
  await expect(a.getByRole('menu')).toHaveCount(0);
  for (const page of [a, b]) expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

test('a reply quote jumps to an original far back in history, loaded around it', async ({ browser }) => {
  test.setTimeout(120_000);
  const { a, roomId } = await pair(browser);
  const t = tag();
  const author = { userId: `seed-${t}`, displayName: `Seeder ${t.slice(-4)}` };
  const start = Date.now() - 60 * 60 * 1000;
  const count = 302;
  const seeded = await seedMessages({
    roomId,
    count,
    message: (i) => ({ author, at: start + i * 1000, body: i === 0 ? `the original ${t}` : `filler ${i} ${t}` }),
  });
  // The newest message replies to the oldest, 300 messages away (10 history pages of 30).
  await seedMessages({
    roomId,
    count: 1,
    message: () => ({
      author,
      at: start + count * 1000,
      body: `the reply ${t}`,
      replyTo: { messageId: seeded[0]!.messageId, authorId: author.userId, authorName: author.displayName, snippet: '' },
    }),
  });
  await a.reload();
  await expectChatOpen(a);
  // Opened with unread messages, the room lands on the first of them: go to the newest.
  await goToLatest(a, `the reply ${t}`);
  const reply = messageWithBody(a, `the reply ${t}`);
  await expect(reply).toBeVisible();
  await expect(messageWithBody(a, `the original ${t}`)).toHaveCount(0);
  const pages: string[] = [];
  a.on('request', (r) => {
    if (r.url().includes('/messages')) pages.push(r.url());
  });
  await reply.getByTestId('reply-quote').click();
  const original = messageWithBody(a, `the original ${t}`);
  await expect(original).toBeVisible();
  await expect(original).toBeFocused();
  // One request for the neighbourhood, not the 10 pages in between (the list may read a page more as it settles).
  expect(pages.filter((u) => u.includes('around='))).toHaveLength(1);
  expect(pages.length).toBeLessThanOrEqual(3);
  // One press of "Jump to latest" leaves the old window for the newest messages, shown at the bottom (not at the
  // "New messages" divider the room first opened at). On a slow device (CPU 8x slower) the new list reported
  // "at the top" while it mounted, and a "left the top" kept from the old list loaded older pages and stayed there.
  const cdp = await a.context().newCDPSession(a);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
  await a.getByRole('button', { name: /^Jump to latest/ }).click();
  await expect(reply).toBeInViewport();
});

test('rich text: the Markdown subset, safe links in a new tab, and mentions (of me: strongly)', async ({ browser }) => {
  test.setTimeout(120_000);
  const { bob, a, b } = await pair(browser);
  const t = tag();
  const input = a.getByTestId('composer-input');
  await input.fill(
    [
      `**bold ${t}** _italic_ ~~gone~~ \`code()\` see https://example.com/docs?a=1 or mail ada@example.com, not javascript:alert(1) <b>raw</b>`,
      '',
      '> quoted',
      '',
      '- one',
      '- two',
      '',
      '```',
      '<script>alert(1)</script>',
      '```',
      '',
      'hi ',
    ].join('\n'),
  );
  await input.press('Control+End');
  await input.pressSequentially(`@${bob.displayName.slice(0, 3)}`);
  await a.getByTestId('mention-options').getByRole('option', { name: bob.displayName }).click();
  await input.press('Enter');

  const row = b.getByTestId('message').filter({ hasText: `bold ${t}` });
  const body = row.getByTestId('message-body');
  await expect(body.locator('strong')).toHaveText(`bold ${t}`);
  await expect(body.locator('em')).toHaveText('italic');
  await expect(body.locator('s')).toHaveText('gone');
  await expect(body.locator('p code')).toHaveText('code()');
  await expect(body.locator('blockquote')).toHaveText('quoted');
  await expect(body.locator('ul > li')).toHaveText(['one', 'two']);
  await expect(body.locator('pre code')).toHaveText('<script>alert(1)</script>');
  await expect(body).toContainText('<b>raw</b>');
  const links = body.getByRole('link');
  await expect(links).toHaveCount(2);
  for (const [i, href] of ['https://example.com/docs?a=1', 'mailto:ada@example.com'].entries()) {
    await expect(links.nth(i)).toHaveAttribute('href', href);
    await expect(links.nth(i)).toHaveAttribute('target', '_blank');
    await expect(links.nth(i)).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  }
  // No element from the message itself: no <b>, no <script> inside the body.
  await expect(body.locator('b, script, img')).toHaveCount(0);
  // The mention: highlighted for everyone, strongly for the person mentioned.
  await expect(body.getByTestId('mention')).toHaveText(`@${bob.displayName}`);
  await expect(body.getByTestId('mention')).toHaveAttribute('data-mention-self', 'true');
  await expect(a.getByTestId('message').filter({ hasText: `bold ${t}` }).getByTestId('mention')).not.toHaveAttribute('data-mention-self', 'true');
});

test('typing: "… is typing…" for the others only, at most one frame per 3 s, cleared by their message', async ({ browser }) => {
  test.setTimeout(120_000);
  const { alice, a, b } = await pair(browser);
  const typingFrames: number[] = [];
  a.on('websocket', (ws) => ws.on('framesent', (f) => String(f.payload).includes('"typing"') && typingFrames.push(Date.now())));
  await a.reload(); // a socket the listener sees from the start
  await expectChatOpen(a);
  const input = a.getByTestId('composer-input');
  const started = Date.now();
  await input.pressSequentially('hello there, typing for a little while', { delay: 50 }); // ~2 s of keystrokes
  const notice = b.getByRole('status').filter({ hasText: 'is typing' });
  await expect(notice).toHaveText(`${alice.displayName} is typing…`);
  await expect(a.getByTestId('typing-notice')).toHaveText(''); // never shown to the typer
  // ~2 s of typing: exactly one frame (the next may go out 3 s after the first).
  const typedFor = Date.now() - started;
  expect(typingFrames.length).toBeLessThanOrEqual(Math.floor(typedFor / 3000) + 1);
  expect(typingFrames.length).toBeGreaterThanOrEqual(1);
  // Observed here, in the test process: frame events reach it with some jitter, so a 3 s spacing can look ~0.1 s shorter.
  for (let i = 1; i < typingFrames.length; i++) expect(typingFrames[i]! - typingFrames[i - 1]!).toBeGreaterThanOrEqual(2700);
  await input.press('Enter');
  // Cleared by the message itself, well before the 6 s expiry (and the message is there before typing again: a
  // typing frame can overtake a message on its way, and the message's arrival clears its author's notice).
  await expect(messageWithBody(b, 'hello there, typing for a little while')).toBeVisible();
  await expect(b.getByTestId('typing-notice')).toHaveText('', { timeout: 2_000 });
  // Typing again and stopping: one more frame, and the notice expires on its own (6 s after it; slack for load).
  const before = typingFrames.length;
  // The server fans out at most one typing frame per socket and room per second (socket-rooms.ts): a frame sent
  // right after the last one (a slow machine types the line above in over 3 s, so a second frame went mid-line) would
  // be dropped there. Wait out that second, then type.
  const sinceLast = Date.now() - typingFrames.at(-1)!;
  if (sinceLast < 1_100) await a.waitForTimeout(1_100 - sinceLast);
  await input.pressSequentially('x');
  await expect(notice).toBeVisible();
  await expect(b.getByTestId('typing-notice')).toHaveText('', { timeout: 12_000 });
  expect(typingFrames.length - before).toBe(1);
});

test('after a reconnect, edits, deletes and reactions made while away show without a reload', async ({ browser }) => {
  test.setTimeout(120_000);
  let blocked = false;
  const sockets: WebSocketRoute[] = [];
  const { a, b } = await pair(browser, {
    routeB: (ws) => {
      if (blocked) return void ws.close({ code: 4000, reason: 'test: network down' });
      ws.connectToServer();
      sockets.push(ws);
    },
  });
  const t = tag();
  const [edited, deleted, reacted] = [`to edit ${t}`, `to delete ${t}`, `to react ${t}`];
  for (const text of [edited, deleted, reacted]) await send(a, text);
  await expect(messageWithBody(b, reacted)).toBeVisible();
  await b.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // Bob's connection drops and stays down.
  blocked = true;
  for (const ws of sockets.splice(0)) await ws.close({ code: 4000, reason: 'test: network down' });
  await expect(b.getByTestId('connection-status')).not.toHaveAttribute('data-status', 'open');

  // Meanwhile Alice edits, deletes and reacts.
  await act(a, messageWithBody(a, edited), 'Edit');
  await a.getByTestId('composer-input').fill(`edited while away ${t}`);
  await a.getByTestId('composer-input').press('Enter');
  await expect(messageWithBody(a, `edited while away ${t}`)).toBeVisible();
  await act(a, messageWithBody(a, deleted), 'Delete');
  await a.getByRole('alertdialog').getByRole('button', { name: 'Delete message' }).click();
  await expect(a.getByTestId('message-deleted')).toHaveCount(1);
  await act(a, messageWithBody(a, reacted), 'Add reaction');
  await a.getByRole('dialog', { name: 'Add reaction' }).getByRole('button', { name: '🎉 party popper', exact: true }).click();
  await expect(chip(messageWithBody(a, reacted), '🎉', 1)).toBeVisible();
  await expect(messageWithBody(b, edited)).toBeVisible(); // Bob has not seen any of it yet

  // Back online: Bob's client reconnects by itself and catches up — same page, no reload.
  blocked = false;
  // As a browser does when the network returns (the client then retries at once instead of at its next backoff).
  await b.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(b.getByTestId('connection-status')).toHaveAttribute('data-status', 'open', { timeout: 30_000 });
  await expect(messageWithBody(b, `edited while away ${t}`).getByTestId('message-edited')).toBeVisible();
  await expect(b.getByText(deleted, { exact: true })).toHaveCount(0);
  await expect(b.getByTestId('message-deleted')).toHaveText('This message was deleted');
  await expect(chip(messageWithBody(b, reacted), '🎉', 1)).toBeVisible();
  expect(await b.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});

