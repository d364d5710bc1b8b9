/** Run-time config: every broken outputs file becomes an actionable ConfigError; the local Cognito endpoint reaches Amplify. */
import { Amplify } from 'aws-amplify';
import { describe, expect, it } from 'vitest';
import { ConfigError, configureAmplify, loadConfig, usesPasswordAuth } from './config';

const outputs = {
  version: '1.4',
  auth: {
    aws_region: 'us-east-1',
    user_pool_id: 'local_abc123',
    user_pool_client_id: 'client123',
    username_attributes: ['email'],
    standard_required_attributes: ['email'],
  },
  custom: {
    chat: {
      webSocketUrl: 'ws://127.0.0.1:4001',
      httpApiUrl: 'http://127.0.0.1:4002',
      userPoolEndpoint: 'http://127.0.0.1:4003',
      authFlowType: 'USER_PASSWORD_AUTH',
    },
  },
};

const serve = (status: number, body: string): typeof fetch => async () => new Response(body, { status });

describe('loadConfig', () => {
  it('returns the outputs and the validated chat section', async () => {
    const config = await loadConfig(serve(200, JSON.stringify(outputs)));
    expect(config.chat.httpApiUrl).toBe('http://127.0.0.1:4002');
    expect(usesPasswordAuth(config)).toBe(true);
  });

  it.each([
    ['a 404', serve(404, 'Not found'), /missing \(the server answered 404\)/],
    ['an HTML fallback page', serve(200, '<!doctype html><html></html>'), /not valid JSON/],
    ['no auth section', serve(200, JSON.stringify({ custom: outputs.custom })), /no usable "auth" section/],
    ['no custom.chat', serve(200, JSON.stringify({ auth: outputs.auth })), /custom\.chat/],
    ['an empty user pool id', serve(200, JSON.stringify({ ...outputs, auth: { ...outputs.auth, user_pool_id: '' } })), /no usable "auth" section/],
    ['a chat URL that is not a URL', serve(200, JSON.stringify({ ...outputs, custom: { chat: { ...outputs.custom.chat, httpApiUrl: 'not a url' } } })), /custom\.chat/],
    ['an unknown auth flow', serve(200, JSON.stringify({ ...outputs, custom: { chat: { ...outputs.custom.chat, authFlowType: 'CUSTOM_AUTH' } } })), /custom\.chat/],
    ['a network failure', (async () => { throw new TypeError('fetch failed'); }) as typeof fetch, /did not answer/],
  ])('explains %s with a next step', async (_name, fetchFn, message) => {
    const error = (await loadConfig(fetchFn).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/npm start/);
  });
});

describe('configureAmplify', () => {
  it('configures the user pool and merges the local Cognito endpoint', async () => {
    configureAmplify(await loadConfig(serve(200, JSON.stringify(outputs))));
    expect(Amplify.getConfig().Auth?.Cognito).toMatchObject({
      userPoolId: 'local_abc123',
      userPoolClientId: 'client123',
      userPoolEndpoint: 'http://127.0.0.1:4003',
    });
  });

  it('leaves the AWS endpoint alone when none is given', async () => {
    const aws = { ...outputs, custom: { chat: { webSocketUrl: 'wss://x.example', httpApiUrl: 'https://y.example' } } };
    configureAmplify(await loadConfig(serve(200, JSON.stringify(aws))));
    expect(Amplify.getConfig().Auth?.Cognito?.userPoolEndpoint).toBeUndefined();
  });
});
