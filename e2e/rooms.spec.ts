/**
 * Rooms people live in, on the real local stack with 2–3 users: public rooms (browse, join, links, preview),
 * private rooms (members add and remove people; a non-member sees the same "not found" as for no room at all).
 */
import { expect, test } from '@playwright/test';
import { baseUrl, createRoom, expectChatOpen, messageWithBody, newUser, roomLink, roomTitle, send, sidebar, signUpFast } from './fixtures';

// Two or three users sign up and walk a whole flow: on shared CI cores that needs more than the default 60 s.
test.describe.configure({ timeout: 120_000 });

test('private room: create, add a member, a non-member cannot open it by link, removing a member cuts them off', async ({ browser }) => {
  const [alice, bob, carol] = [newUser('Alice'), newUser('Bob'), newUser('Carol')];
  const [a, b, c] = await Promise.all([0, 1, 2].map(async () => (await browser.newContext()).newPage()));
  // Every frame Bob's sockets receive, for the check that nothing reaches him once removed.
  const toBob: string[] = [];
  b.on('websocket', (ws) => ws.on('framereceived', (frame) => void toBob.push(String(frame.payload))));
  await Promise.all([signUpFast(a, alice), signUpFast(b, bob), signUpFast(c, carol)]);

  const name = `Plans ${Date.now().toString(36)}`;
  const roomId = await createRoom(a, name, { visibility: 'private', topic: 'Only for us' });
  expect(roomId).toMatch(/^p_[0-9a-z]{26}$/);
  await expect(roomTitle(a)).toHaveText(name);
  await expect(a.getByTestId('room-topic')).toHaveText('Only for us');
  await expect(roomLink(a, name)).toBeVisible();
  const secret = `the secret plan ${Date.now()}`;
  await send(a, secret);
  await expect(messageWithBody(a, secret)).toBeVisible();

  // Carol (not a member) follows the link: the same words as for a room that does not exist.
  await c.goto(`${baseUrl()}/#${roomId}`);
  const notFound = c.getByTestId('room-not-found');
  await expect(notFound).toBeVisible();
  const wordsForPrivate = await notFound.innerText();
  await expect(c.getByText(secret)).toHaveCount(0);
  await expect(roomLink(c, name)).toHaveCount(0);
  await c.goto(`${baseUrl()}/#p_${'0'.repeat(26)}`);
  await expect(notFound).toBeVisible();
  expect(await notFound.innerText()).toBe(wordsForPrivate);

  // Alice adds Bob (they share #general): the room appears in Bob's sidebar and he reads its history.
  await a.getByRole('button', { name: /^Members/ }).click();
  const members = a.getByRole('dialog', { name: `Members of ${name}` });
  await members.getByRole('button', { name: `Add ${bob.displayName}` }).click();
  await expect(members.getByTestId('member').filter({ hasText: bob.displayName })).toBeVisible();
  await members.getByRole('button', { name: 'Close' }).click();
  await roomLink(b, new RegExp(`^${name}`)).click();
  await expect(roomTitle(b)).toHaveText(name);
  await expect(messageWithBody(b, secret)).toBeVisible();
  const live = `welcome Bob ${Date.now()}`;
  await send(a, live);
  await expect(messageWithBody(b, live)).toBeVisible({ timeout: 2_000 });

  // Alice removes Bob: the room leaves his sidebar and screen at once, and nothing more reaches him.
  await a.getByRole('button', { name: /^Members/ }).click();
  await members.getByRole('button', { name: `Remove ${bob.displayName}` }).click();
  await expect(members.getByTestId('member').filter({ hasText: bob.displayName })).toHaveCount(0);
  await members.getByRole('button', { name: 'Close' }).click();
  await expect(roomLink(b, new RegExp(`^${name}`))).toHaveCount(0);
  await expect(b.getByTestId('room-not-found')).toBeVisible();
  // A second tab of Alice's is the positive signal: once the broadcast of the next message reached it, a copy meant
  // for Bob would have been posted in the same fan-out (and shown in his socket's frames).
  const a2 = await a.context().newPage();
  await a2.goto(`${baseUrl()}/#${roomId}`);
  await expectChatOpen(a2);
  await expect(roomTitle(a2)).toHaveText(name);
  const after = `after Bob left ${Date.now()}`;
  await send(a, after);
  await expect(messageWithBody(a2, after)).toBeVisible();
  await expect(b.getByText(after)).toHaveCount(0);
  expect(toBob.filter((payload) => payload.includes(after))).toEqual([]);
  // The recorder works: the message Bob got as a member is in his frames.
  expect(toBob.some((payload) => payload.includes(live))).toBe(true);
  await b.reload();
  await expect(b.getByTestId('room-not-found')).toBeVisible();

  await Promise.all([a, b, c].map((p) => p.context().close()));
});

test('public rooms: create, browse and join; a link opens a preview with Join; the name says who can find it', async ({ browser }) => {
  const [dana, erin] = [newUser('Dana'), newUser('Erin')];
  const [a, b] = await Promise.all([0, 1].map(async () => (await browser.newContext()).newPage()));
  await Promise.all([signUpFast(a, dana), signUpFast(b, erin)]);

  const slug = `team-${Date.now().toString(36)}`;
  const roomId = await createRoom(a, slug.toUpperCase(), { topic: 'Where the team talks' });
  expect(roomId).toBe(slug);
  await expect(roomTitle(a)).toHaveText(`#${slug}`);
  const hello = `hello team ${Date.now()}`;
  await send(a, hello);

  // Erin opens the link: history readable, a Join button, no sidebar entry yet.
  await b.goto(`${baseUrl()}/#${slug}`);
  await expectChatOpen(b);
  await expect(messageWithBody(b, hello)).toBeVisible();
  await expect(b.getByTestId('room-preview-bar')).toBeVisible();
  await expect(roomLink(b, slug)).toHaveCount(0);
  await b.getByTestId('room-preview-bar').getByRole('button', { name: 'Join' }).click();
  await expect(b.getByTestId('room-preview-bar')).toBeHidden();
  await expect(roomLink(b, slug)).toBeVisible();

  // Leave, then find it again through Browse rooms (name, topic, member count) and join there.
  await b.getByRole('button', { name: 'Leave room' }).click();
  await expect(roomLink(b, slug)).toHaveCount(0);
  await sidebar(b).getByRole('button', { name: 'Browse rooms' }).click();
  const browse = b.getByRole('dialog', { name: 'Browse rooms' });
  const entry = browse.getByTestId('browse-room').filter({ hasText: slug });
  await expect(entry).toContainText('Where the team talks');
  await expect(entry).toContainText('1 member');
  await entry.getByRole('button', { name: `Join ${slug}` }).click();
  await expect(entry.getByRole('button', { name: `Leave ${slug}` })).toBeVisible();
  await expect(entry).toContainText('2 members');
  await browse.getByRole('button', { name: 'Close' }).click();
  await expect(roomLink(b, new RegExp(`^${slug}`))).toBeVisible();

  // Muted: no count and not bold for ordinary messages.
  await roomLink(b, new RegExp(`^${slug}`)).click();
  await expect(roomLink(b, slug)).toBeVisible(); // opened: read
  await b.getByRole('button', { name: 'Mute' }).click();
  await expect(roomLink(b, `${slug}, muted`)).toBeVisible();
  await roomLink(b, /^general/).click();
  await send(a, `quiet please ${Date.now()}`);
  await expect(roomLink(b, `${slug}, muted`).getByTestId('room-preview')).toContainText('quiet please');
  await expect(roomLink(b, `${slug}, muted`)).not.toHaveAttribute('data-unread', 'true');
  await expect(roomLink(b, `${slug}, muted`).getByTestId('unread-badge')).toHaveCount(0);

  // A public name that exists is refused with words; nothing is created.
  await sidebar(a).getByRole('button', { name: 'Create room' }).click();
  const dialog = a.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Name').fill(slug);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await Promise.all([a, b].map((p) => p.context().close()));
});
