/**
 * Helpers for e2e: unique users, Amplify UI sign-up/sign-in (signUpFast skips rendering the sign-up form for tests
 * that are not about it). How a test user comes to exist depends on
 * the target: locally through the sign-up form and the code the local Cognito prints; against a deployed
 * branch (BASE_URL) through the Cognito admin API (no email), then the sign-in form. global-setup.ts
 * removes what a deployed run created.
 */
import { expect, type Page } from '@playwright/test';
import { createUser, type DeployedTarget } from './deployed';

export interface TestUser {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}

/** A fresh user per test run, so tests never depend on each other's accounts. */
export function newUser(name: string): TestUser {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { email: `${runEmailPrefix()}${name.toLowerCase()}-${id}@example.test`, password: `Passw0rd-${id}`, displayName: `${name} ${id.slice(-4)}` };
}

/** Every user of this run has an email starting with this (cleanup finds them by it). */
export function runEmailPrefix(): string {
  return `e2e-${process.env.E2E_RUN_ID ?? 'local'}-`;
}

/** The deployed branch this run targets, or undefined for the local stack. */
export function deployedTarget(): DeployedTarget | undefined {
  const { E2E_REGION: region, E2E_USER_POOL_ID: userPoolId } = process.env;
  return region && userPoolId ? { region, userPoolId, emailPrefix: runEmailPrefix() } : undefined;
}

/** The web app's URL, from the stack e2e/global-setup.ts started. */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run e2e through `npx playwright test` (global setup starts the stack)');
  return url;
}

/** How long a sign-up may take to produce its confirmation code on the local stack. */
const CONFIRMATION_CODE_WAIT_MS = 30_000;

/** Reads the code cognito-local generated, from the local Cognito proxy (local stack only). */
export async function confirmationCode(email: string): Promise<string> {
  const url = `${process.env.E2E_COGNITO_URL}/_local/confirmation-code?username=${encodeURIComponent(email)}`;
  // Until a deadline rather than a fixed number of tries: on a busy machine cognito-local can take seconds to sign up.
  const deadline = Date.now() + CONFIRMATION_CODE_WAIT_MS;
  while (Date.now() < deadline) {
    const response = await fetch(url);
    if (response.ok) return ((await response.json()) as { code: string }).code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no confirmation code for ${email}`);
}

/**
 * Makes a new user exist and signed in, then waits for the chat. Local stack: the Amplify UI sign-up form
 * with the printed confirmation code. Deployed: the admin API creates the confirmed user, then the UI signs in.
 */
export async function signUpThroughUi(page: Page, user: TestUser): Promise<void> {
  const deployed = deployedTarget();
  if (deployed) {
    await createUser(deployed, user);
    return signInThroughUi(page, user);
  }
  await page.goto(baseUrl());
  await page.getByRole('tab', { name: 'Create Account' }).click();
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Display name', { exact: true }).fill(user.displayName);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create Account' }).click();
  const code = await confirmationCode(user.email);
  await page.getByLabel('Confirmation Code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expectChatOpen(page);
}

/**
 * Makes a new user exist, then signs in through the sign-in form and waits for the chat: the fast path for tests
 * that are not about sign-up (chat.spec.ts, the forgot-password and the CSP tests cover the sign-up form itself):
 * the user is created through the Cognito admin API, on the local stack as on a deployed branch.
 */
export async function signUpFast(page: Page, user: TestUser): Promise<void> {
  const deployed = deployedTarget();
  if (deployed) await createUser(deployed, user);
  else await signUpLocally(user);
  await signInThroughUi(page, user);
}

/**
 * Creates a confirmed user in the local Cognito the way the deployed path does (admin API: no code, e-mail marked
 * verified). Not SignUp + code: under parallel sign-ups on a busy machine cognito-local's pool file and its printed
 * code can both lag for long, which made the code wait flaky; the sign-up form and its code are covered by the
 * tests that use signUpThroughUi.
 */
async function signUpLocally(user: TestUser): Promise<void> {
  const outputs = (await (await fetch(`${baseUrl()}/amplify_outputs.json`)).json()) as { auth: { user_pool_id: string } };
  const call = async (target: string, body: object) => {
    const response = await fetch(process.env.E2E_COGNITO_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify({ UserPoolId: outputs.auth.user_pool_id, Username: user.email, ...body }),
    });
    if (!response.ok) throw new Error(`local Cognito ${target} for ${user.email}: ${response.status} ${await response.text()}`);
  };
  await call('AdminCreateUser', {
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: user.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'preferred_username', Value: user.displayName },
    ],
  });
  await call('AdminSetUserPassword', { Password: user.password, Permanent: true });
}

/** Signs an existing user in through Amplify UI. */
export async function signInThroughUi(page: Page, user: TestUser): Promise<void> {
  await page.goto(baseUrl());
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectChatOpen(page);
}

/** The chat is shown and its socket is open. */
export async function expectChatOpen(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open', { timeout: 15_000 });
}

/** Types into the composer and presses Enter (Enter sends). */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Brings the open room to its newest message `newestBody`. A room opened with more unread than one page lands on
 * the first unread (detached from the present) once the room list arrives, which can be after the first paint: so
 * "Jump to latest" is pressed whenever it shows, until the newest message is on screen and the button is gone.
 */
export async function goToLatest(page: Page, newestBody: string): Promise<void> {
  const jump = page.getByTestId('jump-to-latest');
  await expect(async () => {
    // Short: the button goes once the list is at the newest message, and a click waiting for it would wait forever.
    if (await jump.isVisible()) await jump.click({ timeout: 2_000 });
    await expect(messageWithBody(page, newestBody)).toBeInViewport({ timeout: 2_000 });
    await expect(jump).toBeHidden({ timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
}

/** The message list's entry whose body has exactly this text. */
export function messageWithBody(page: Page, text: string) {
  return page.getByTestId('message').filter({ has: page.getByTestId('message-body').getByText(text, { exact: true }) });
}

/** The sidebar (`navigation` named "Rooms"). */
export function sidebar(page: Page) {
  return page.getByRole('navigation', { name: 'Rooms' });
}

/** A sidebar room link by its exact accessible name ("general", "general, 3 unread", …). */
export function roomLink(page: Page, name: string | RegExp) {
  return sidebar(page).getByRole('link', { name, exact: typeof name === 'string' });
}

/** The room on screen's title (h2). */
export function roomTitle(page: Page) {
  return page.getByTestId('room-title');
}

/** Creates a room through "Create room"; resolves with its id (from the URL hash). */
export async function createRoom(page: Page, name: string, options: { topic?: string; visibility?: 'public' | 'private' } = {}): Promise<string> {
  await sidebar(page).getByRole('button', { name: 'Create room' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create room' });
  await dialog.getByLabel('Name').fill(name);
  if (options.topic) await dialog.getByLabel('Topic (optional)').fill(options.topic);
  await dialog.getByLabel(options.visibility === 'private' ? 'Private' : 'Public').check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#./);
  return decodeURIComponent(new URL(page.url()).hash.slice(1));
}
