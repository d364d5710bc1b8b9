/**
 * The security headers CloudFront sends (same builder, local origins) are on every response, and the
 * app runs under its CSP: sign-up, sign-in, the chat and the 404 page report no CSP violation.
 */
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, expectChatOpen, messageWithBody, newUser, send, signInThroughUi, signUpThroughUi } from './fixtures';

/** Collects CSP violations the page reports, from its first script on, plus CSP console errors. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`));
  });
  const console: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /content security policy/i.test(m.text())) console.push(m.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...console];
}

test('every response carries the security headers; the CSP allows inline code only by hash', async ({ request }) => {
  for (const path of ['/', '/amplify_outputs.json', '/no-such-page']) {
    const headers = (await request.get(`${baseUrl()}${path}`)).headers();
    const csp = headers['content-security-policy'] ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc, path).toMatch(/'sha256-/);
    expect(scriptSrc, path).not.toContain('unsafe-inline');
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(headers['strict-transport-security'], path).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
  }
});

test('sign-up, sign-in, chat and the 404 page run without a CSP violation', async ({ browser }) => {
  const user = newUser('Csp');
  const first = await browser.newContext();
  const a = await first.newPage();
  const violationsA = await watchCsp(a);
  await signUpThroughUi(a, user);
  const text = `csp check ${Date.now()}`;
  await send(a, text);
  await expect(messageWithBody(a, text)).toBeVisible();

  // A separate browser profile signs in with the password (the sign-in flow, not the sign-up one).
  const second = await browser.newContext();
  const b = await second.newPage();
  const violationsB = await watchCsp(b);
  await signInThroughUi(b, user);
  await expectChatOpen(b);
  await expect(messageWithBody(b, text)).toBeVisible();
  expect(await violationsA()).toEqual([]);
  expect(await violationsB()).toEqual([]);

  // Next's built-in 404 page has inline styles: allowed by hash too.
  const response = await b.goto(`${baseUrl()}/no-such-page`);
  expect(response?.status()).toBe(404);
  await expect(b.getByRole('heading', { name: '404' })).toBeVisible();
  expect(await violationsB()).toEqual([]);
  await first.close();
  await second.close();
});
