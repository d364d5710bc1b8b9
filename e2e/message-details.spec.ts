/**
 * Message details on the real local stack, two users: every message action by keyboard alone (↑ edits the last
 * own message, Esc cancels, Reply, Delete with its confirmation, a reaction in a chosen skin tone that the next
 * picker remembers, a chip pressed back); a reply still on its way already shows its quote; a deleted last
 * message previews in the sidebar as "Name: message deleted", live and after a reload (the server's preview).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type WebSocketRoute } from '@playwright/test';
import { messageWithBody, send, sidebar } from './fixtures';
import { act, chip, closeContexts, pair, tag } from './message-helpers';

test.afterEach(closeContexts);

test('every message action works from the keyboard alone; the skin tone is chosen by keyboard and remembered', async ({ browser }) => {
  test.setTimeout(120_000);
  const { alice, a, b } = await pair(browser);
  const t = tag();
  const first = `first ${t}`;
  await send(a, first);
  await expect(messageWithBody(a, first)).toBeVisible(); // stored (↑ edits stored messages, not ones on their way)
  const input = a.getByTestId('composer-input');

  // ↑ in the empty composer edits the last own message; Esc cancels and changes nothing; ↑ again and Enter saves.
  await input.press('ArrowUp');
  await expect(a.getByTestId('composer-mode')).toHaveAttribute('data-mode', 'edit');
  await expect(input).toHaveValue(first);
  await input.press('Escape');
  await expect(a.getByTestId('composer-mode')).toHaveCount(0);
  await expect(input).toHaveValue('');
  await expect(messageWithBody(b, first)).toBeVisible();
  await expect(messageWithBody(b, first).getByTestId('message-edited')).toHaveCount(0);
  await input.press('ArrowUp');
  await input.fill(`fixed ${t}`);
  await input.press('Enter');
  await expect(messageWithBody(b, `fixed ${t}`).getByTestId('message-edited')).toBeVisible();

  // Bob, keyboard only: menu → Reply → type → Enter.
  const onBob = messageWithBody(b, `fixed ${t}`);
  await onBob.getByRole('button', { name: 'Message actions', exact: true }).focus();
  await b.keyboard.press('Enter');
  await expect(b.getByRole('menuitem', { name: 'Reply', exact: true })).toBeFocused();
  await b.keyboard.press('Enter');
  await expect(b.getByTestId('composer-mode')).toContainText(`Replying to ${alice.displayName}`);
  await expect(b.getByTestId('composer-input')).toBeFocused();
  await b.keyboard.type(`answer ${t}`);
  await b.keyboard.press('Enter');
  await expect(messageWithBody(a, `answer ${t}`).getByTestId('reply-quote-author')).toHaveText(alice.displayName);

  // Bob reacts in a skin tone, keyboard only: menu ↑ (last item: Add reaction) → Tab to the tones → → → (medium) → back
  // to the common row with Shift+Tab → Enter on 👍🏽.
  await onBob.getByRole('button', { name: 'Message actions', exact: true }).focus();
  await b.keyboard.press('ArrowUp');
  await expect(b.getByRole('menuitem', { name: 'Add reaction', exact: true })).toBeFocused();
  await b.keyboard.press('Enter');
  const picker = b.getByRole('dialog', { name: 'Add reaction' });
  await expect(picker.getByRole('radio', { name: 'Default skin tone' })).toBeChecked();
  await picker.getByRole('radio', { name: 'Default skin tone' }).focus();
  for (let i = 0; i < 3; i++) await b.keyboard.press('ArrowRight');
  await expect(picker.getByRole('radio', { name: 'Medium skin tone' })).toBeChecked();
  await expect(picker.getByRole('group', { name: 'Common reactions' }).getByRole('button').first()).toHaveAccessibleName('👍🏽 thumbs up: medium skin tone');
  await picker.getByRole('button', { name: '👍🏽 thumbs up: medium skin tone' }).focus();
  await b.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(chip(messageWithBody(a, `fixed ${t}`), '👍🏽', 1)).toBeVisible();

  // The next picker (even after a reload) starts in the chosen tone, search results included.
  await b.reload();
  const again = messageWithBody(b, `fixed ${t}`);
  await again.getByRole('button', { name: 'Message actions', exact: true }).focus();
  await b.keyboard.press('ArrowUp');
  await b.keyboard.press('Enter');
  await expect(picker.getByRole('radio', { name: 'Medium skin tone' })).toBeChecked();
  await picker.getByTestId('emoji-search').fill('waving');
  await expect(picker.getByTestId('emoji-results').getByRole('button', { name: '👋🏽 waving hand: medium skin tone', exact: true })).toBeVisible();
  // The open picker, tones and results included, has no axe violation (the picker's own element only).
  expect((await new AxeBuilder({ page: b }).include('[data-testid="emoji-picker"]').analyze()).violations).toEqual([]);
  await b.keyboard.press('Escape');
  await expect(picker).toBeHidden();

  // The chip, by keyboard: Bob takes his 👍🏽 back with Enter.
  await again.getByRole('button', { name: 'Message actions', exact: true }).focus();
  await b.keyboard.press('Shift+Tab');
  await expect(chip(again, '👍🏽', 1)).toBeFocused();
  await b.keyboard.press('Enter');
  await expect(chip(messageWithBody(a, `fixed ${t}`), '👍🏽', 1)).toHaveCount(0);

  // Alice deletes by keyboard: menu → Delete → the confirmation takes focus; Esc cancels, then Enter confirms.
  const onAlice = messageWithBody(a, `fixed ${t}`);
  await onAlice.getByRole('button', { name: 'Message actions', exact: true }).focus();
  await a.keyboard.press('Enter');
  await expect(a.getByRole('menu').getByRole('menuitem')).toHaveText(['Edit', 'Delete', 'Reply', 'Add reaction']);
  await a.keyboard.press('ArrowDown');
  await a.keyboard.press('Enter');
  const confirm = a.getByRole('alertdialog');
  await expect(confirm.getByRole('button', { name: 'Delete message' })).toBeFocused();
  await a.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(onAlice.getByRole('button', { name: 'Message actions', exact: true })).toBeFocused();
  await a.keyboard.press('Enter');
  await a.keyboard.press('ArrowDown');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Enter');
  await expect(b.getByTestId('message-deleted')).toHaveText('This message was deleted');
  for (const page of [a, b]) expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

test('a reply still on its way shows the quoted author and snippet at once', async ({ browser }) => {
  let holding = true;
  const held: string[] = [];
  let toServer: ((frame: string) => void) | undefined;
  const { alice, a, b } = await pair(browser, {
    routeB: (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      toServer = (frame) => server.send(frame);
      // Bob's sends stay unacknowledged while `holding` (the server never sees them); everything else flows.
      ws.onMessage((frame) => {
        if (holding && typeof frame === 'string' && frame.includes('"sendMessage"')) held.push(frame);
        else server.send(frame);
      });
    },
  });
  const t = tag();
  const original = `original words ${t}`;
  await send(a, original);
  await act(b, messageWithBody(b, original), 'Reply');
  await b.getByTestId('composer-input').fill(`pending reply ${t}`);
  await b.getByTestId('composer-input').press('Enter');

  const pending = b.getByTestId('outgoing-message').filter({ hasText: `pending reply ${t}` });
  await expect(pending).toHaveAttribute('data-state', 'sending');
  await expect(pending.getByTestId('reply-quote-author')).toHaveText(alice.displayName);
  await expect(pending.getByTestId('reply-quote-snippet')).toHaveText(original);
  expect(held.length).toBeGreaterThan(0); // it really was not sent yet

  // Released (the held frame goes on to the server; its ack comes back on the same socket): the stored reply
  // keeps the same quote.
  holding = false;
  for (const frame of held.splice(0)) toServer!(frame);
  const stored = messageWithBody(b, `pending reply ${t}`);
  await expect(stored).toBeVisible();
  await expect(b.getByTestId('outgoing-message')).toHaveCount(0);
  await expect(stored.getByTestId('reply-quote-snippet')).toHaveText(original);
  await expect(messageWithBody(a, `pending reply ${t}`).getByTestId('reply-quote-author')).toHaveText(alice.displayName);
});

test('a deleted last message previews as "Name: message deleted" in the sidebar, live and after a reload', async ({ browser }) => {
  const { alice, a, b, roomId } = await pair(browser);
  const t = tag();
  await send(a, `going away ${t}`);
  const previewOn = (page: typeof a) => sidebar(page).locator(`a[href="#${roomId}"]`).getByTestId('room-preview');
  await expect(previewOn(b)).toHaveText(`${alice.displayName}: going away ${t}`);
  await expect(previewOn(a)).toHaveText(`You: going away ${t}`);

  await act(a, messageWithBody(a, `going away ${t}`), 'Delete');
  await a.getByRole('alertdialog').getByRole('button', { name: 'Delete message' }).click();
  await expect(previewOn(b)).toHaveText(`${alice.displayName}: message deleted`);
  await expect(previewOn(b)).toHaveAttribute('data-deleted', 'true');
  await expect(previewOn(a)).toHaveText('You: message deleted');
  expect(await previewOn(b).evaluate((el) => getComputedStyle(el).fontStyle)).toBe('italic');

  // From the server's /me/rooms after a reload: the same.
  await b.reload();
  await expect(previewOn(b)).toHaveText(`${alice.displayName}: message deleted`);
  await expect(previewOn(b)).toHaveAttribute('data-deleted', 'true');
});
