/** custom.chat in amplify_outputs.json: valid sections come back exactly, every broken one is refused. */
import { describe, expect, it } from 'vitest';
import { CHAT_OUTPUT_KEY, chatOutputsFrom, deployOutputsFrom, isUrl } from './outputs';

const wrap = (chat: unknown) => ({ custom: { [CHAT_OUTPUT_KEY]: chat } });
const local = { webSocketUrl: 'ws://127.0.0.1:4001', httpApiUrl: 'http://127.0.0.1:4002', userPoolEndpoint: 'http://127.0.0.1:4003', authFlowType: 'USER_PASSWORD_AUTH' };
const site = { siteUrl: 'https://d111.cloudfront.net', siteBucketName: 'site-bucket', siteDistributionId: 'E123' };

describe('chatOutputsFrom', () => {
  it('returns the section exactly, without keys it does not know', () => {
    expect(chatOutputsFrom(wrap({ ...local, extra: 1 }))).toEqual(local);
    const aws = { webSocketUrl: 'wss://a.execute-api.eu-west-1.amazonaws.com/prod', httpApiUrl: 'https://b.execute-api.eu-west-1.amazonaws.com', siteUrl: site.siteUrl };
    expect(chatOutputsFrom(wrap(aws))).toEqual(aws);
    expect(Object.keys(chatOutputsFrom(wrap(aws)))).not.toContain('authFlowType');
  });

  it.each([
    ['no custom section', {}],
    ['a null file', null],
    ['an array as the section', { custom: { chat: [] } }],
    ['no socket URL', wrap({ httpApiUrl: local.httpApiUrl })],
    ['a socket URL that is not a URL', wrap({ ...local, webSocketUrl: '127.0.0.1:4001' })],
    ['an HTTP URL that is a number', wrap({ ...local, httpApiUrl: 4002 })],
    ['a bad Cognito endpoint', wrap({ ...local, userPoolEndpoint: '' })],
    ['a bad site URL', wrap({ ...local, siteUrl: 'site' })],
    ['an unknown auth flow', wrap({ ...local, authFlowType: 'CUSTOM_AUTH' })],
  ])('refuses %s, saying how to generate the file', (_name, outputs) => {
    expect(() => chatOutputsFrom(outputs)).toThrow(/custom\.chat .*npm start/);
  });
});

describe('deployOutputsFrom', () => {
  it('returns the site fields of a branch deployment', () => {
    expect(deployOutputsFrom(wrap({ ...local, ...site }))).toEqual(site);
  });

  it.each([
    ['a sandbox (no site)', wrap(local)],
    ['a too short bucket name', wrap({ ...local, ...site, siteBucketName: 'ab' })],
    ['an empty distribution id', wrap({ ...local, ...site, siteDistributionId: '' })],
    ['a site URL that is not a URL', wrap({ ...local, ...site, siteUrl: 'cloudfront' })],
  ])('refuses %s', (_name, outputs) => {
    expect(() => deployOutputsFrom(outputs)).toThrow(/branch deployment/);
  });
});

describe('isUrl', () => {
  it('accepts what the WHATWG URL parser accepts, nothing else', () => {
    expect(['ws://127.0.0.1:1', 'wss://x.example/prod', 'https://x.example', 'mailto:a@b.example'].every(isUrl)).toBe(true);
    expect(['', 'x.example', '/relative', 42, undefined, null].some(isUrl)).toBe(false);
  });
});
