import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSiteHashes } from '../../amplify/stacks/csp-hashes';
import { BOOTSTRAP_PARAMETER, checkAccount, checkLocal, PreflightError } from './preflight-checks';

const built = mkdtempSync(join(tmpdir(), 'preflight-out-'));
writeFileSync(join(built, 'index.html'), '<script>boot()</script>');
writeSiteHashes(built);
const empty = mkdtempSync(join(tmpdir(), 'preflight-empty-'));
afterAll(() => [built, empty].forEach((d) => rmSync(d, { recursive: true, force: true })));

const env = { AMPLIFY_APP_ID: 'd1abc2def3', CHAT_EMAIL_FROM: 'chat@example.com' };

describe('checkLocal', () => {
  it('passes with an app id, a build and the email setting', () => {
    expect(checkLocal({ env, outDir: built })).toEqual({ appId: 'd1abc2def3' });
  });

  it('names the fix for each missing piece', () => {
    expect(() => checkLocal({ env: { ...env, AMPLIFY_APP_ID: undefined }, outDir: built })).toThrow(/AMPLIFY_APP_ID is not set: set the repository variable/);
    expect(() => checkLocal({ env: { ...env, AMPLIFY_APP_ID: 'my-app' }, outDir: built })).toThrow(/"my-app", not an Amplify app id/);
    expect(() => checkLocal({ env, outDir: empty })).toThrow(/run `npm run build` before deploying/);
    expect(() => checkLocal({ env: { AMPLIFY_APP_ID: 'd1abc2def3' }, outDir: built })).toThrow(/CHAT_EMAIL_FROM=.*CHAT_EMAIL_COGNITO_DEFAULT=1/);
    expect(() => checkLocal({ env: { ...env, CHAT_API_GATEWAY_ACCOUNT_ROLE: 'maybe' }, outDir: built })).toThrow(PreflightError);
  });
});

describe('checkAccount (AWS CLI answers scripted: no AWS here)', () => {
  const answering = (missing: string) => (args: readonly string[]) => !args.join(' ').includes(missing);
  const input = (aws: (a: readonly string[]) => boolean) => ({ env, outDir: built, branch: 'staging', aws });

  it('passes when bootstrap, app and branch exist, asking for exactly those', () => {
    const calls: string[] = [];
    checkAccount(input((a) => (calls.push(a.join(' ')), true)), 'd1abc2def3');
    expect(calls).toEqual([
      `ssm get-parameter --name ${BOOTSTRAP_PARAMETER}`,
      'amplify get-app --app-id d1abc2def3',
      'amplify get-branch --app-id d1abc2def3 --branch-name staging',
    ]);
  });

  it('one clear message per missing piece', () => {
    expect(() => checkAccount(input(answering('ssm')), 'd1abc2def3')).toThrow(/not CDK-bootstrapped.*npx cdk bootstrap aws:\/\/ACCOUNT_ID\/REGION/);
    expect(() => checkAccount(input(answering('get-app')), 'd1abc2def3')).toThrow(/app d1abc2def3 not found.*setup stack/);
    expect(() => checkAccount(input(answering('get-branch')), 'd1abc2def3')).toThrow(/no branch "staging".*aws amplify create-branch --app-id d1abc2def3 --branch-name staging/);
  });
});
