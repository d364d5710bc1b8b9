import { expect, test } from '@playwright/test';
import { baseUrl, expectChatOpen, messageWithBody, newUser, send, signUpThroughUi } from './fixtures';

test('rooms are separate: a message in one room stays there, and a shared room link opens it with history', async ({ browser }) => {
  const room = `team-${Date.now().toString(36)}`;
  const dana = newUser('Dana');
  const erin = newUser('Erin');
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await Promise.all([signUpThroughUi(a, dana), signUpThroughUi(b, erin)]);

  // Dana joins the room through the switcher; an invalid name is refused in words, nothing changes.
  await a.getByTestId('room-input').fill('Not A Room!');
  await a.getByTestId('room-join').click();
  await expect(a.getByRole('alert').filter({ hasText: 'lowercase' })).toBeVisible();
  await a.getByTestId('room-input').fill(room);
  await a.getByTestId('room-join').click();
  await expect(a).toHaveURL(new RegExp(`#${room}$`));
  await expect(a.getByRole('heading', { level: 2 })).toHaveText(`#${room}`);
  await expectChatOpen(a);

  const secret = `only in ${room}`;
  await send(a, secret);
  await expect(messageWithBody(a, secret)).toBeVisible();

  // Erin, still in #general, never receives it. Positive signal instead of a sleep: a message Erin sends to #general
  // after Dana's was stored comes back to her, so her socket is live and past that point.
  const later = `later in general ${Date.now()}`;
  await send(b, later);
  await expect(messageWithBody(b, later)).toBeVisible();
  await expect(messageWithBody(b, secret)).toHaveCount(0);

  // A link to the room opens it, with its history.
  await b.goto(`${baseUrl()}/#${room}`);
  await expectChatOpen(b);
  await expect(messageWithBody(b, secret)).toBeVisible();

  // Back returns to #general.
  await a.goBack();
  await expect(a.getByRole('heading', { level: 2 })).toHaveText('#general');
  await expectChatOpen(a);
  await expect(messageWithBody(a, secret)).toHaveCount(0);

  await a.context().close();
  await b.context().close();
});
