/**
 * `npm run screenshots`: the README's pictures, made from the real app on a seeded local stack — the chat in
 * the light theme, in the dark theme, and on a phone — written to docs/screenshots/.
 *
 *   npm run screenshots          # builds, then this
 *   npx tsx scripts/screenshots.ts   # with an existing out/
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { baseUrl, expectChatOpen, signUpThroughUi, type TestUser } from '../e2e/fixtures';
import { seedMessages } from '../e2e/seed-messages';
import { createPublicRoom, newPage, startSeededStack } from './seeded-stack';

const OUT = resolve(import.meta.dirname, '../docs/screenshots');
const MINUTE = 60_000;

const PEOPLE = {
  grace: { userId: 'seed-grace', displayName: 'Grace Hopper' },
  alan: { userId: 'seed-alan', displayName: 'Alan Turing' },
  katherine: { userId: 'seed-katherine', displayName: 'Katherine Johnson' },
};

/** A short conversation over two days: [who, minutes before now, text]. */
const SCRIPT: Array<[keyof typeof PEOPLE, number, string]> = [
  ['grace', 1530, 'Morning! The release branch is cut — please keep merges to fixes only.'],
  ['alan', 1528, 'Noted. I still have the retry fix for the outbox, it is small.'],
  ['alan', 1527, 'Tests are green locally, opening the PR now.'],
  ['katherine', 1490, 'Reviewed and approved. The numbers in the bench look right to me.'],
  ['grace', 1420, 'Great, merging. Thanks both!'],
  ['katherine', 95, 'Heads-up: the staging deploy starts at 14:00 UTC.'],
  ['alan', 60, 'I will watch the dashboards while it rolls out.'],
  ['alan', 59, 'Error rate and p99 latency are the two I care about.'],
  ['grace', 31, 'Staging looks healthy. Latency is flat, no new errors.'],
  ['katherine', 12, 'Then production after lunch? I can drive it.'],
  ['grace', 10, 'Sounds good to me.'],
  ['grace', 9, 'I will post the release notes in #announcements.'],
];

async function seedConversation(roomId: string): Promise<void> {
  const now = Date.now();
  await seedMessages({
    roomId,
    count: SCRIPT.length,
    message: (i) => {
      const [who, ago, body] = SCRIPT[i]!;
      return { author: PEOPLE[who], at: now - ago * MINUTE, body };
    },
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.getByRole('region', { name: /^Messages in #/ }).waitFor();
  await page.waitForTimeout(500); // let the list settle at the bottom
  await page.screenshot({ path: resolve(OUT, name) });
  console.log(`docs/screenshots/${name}`);
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const stack = await startSeededStack();
  try {
    const user: TestUser = { email: `ada-${Date.now().toString(36)}@example.test`, password: `Passw0rd-${Date.now().toString(36)}`, displayName: 'Ada Lovelace' };
    const setup = await newPage(stack.browser, { viewport: { width: 1280, height: 800 } });
    await signUpThroughUi(setup, user);
    const roomId = await createPublicRoom(setup, 'release-train', 'Shipping the next version together');
    await seedConversation(roomId);
    await setup.context().close();

    const shots: Array<[string, Parameters<typeof newPage>[1]]> = [
      ['chat-light.png', { viewport: { width: 1280, height: 800 }, colorScheme: 'light' }],
      ['chat-dark.png', { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }],
      ['chat-mobile.png', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light' }],
    ];
    for (const [name, options] of shots) {
      const page = await newPage(stack.browser, options);
      await page.goto(baseUrl());
      await page.getByLabel('Email', { exact: true }).fill(user.email);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expectChatOpen(page);
      await page.goto(`${baseUrl()}/#${roomId}`);
      await expectChatOpen(page);
      await page.getByTestId('message-list').getByText('I will post the release notes').waitFor();
      await shoot(page, name);
      await page.context().close();
    }
  } finally {
    await stack.close();
  }
  process.exit(0); // Imported handler modules leave timers behind.
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
