/** Deployment-kind settings read from Amplify's CDK context and CHAT_EXTRA_ORIGINS. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { backendType, dataRemovalPolicy, extraOrigins, parseOrigin } from './deployment';

/** A bare root construct with Amplify's context (a CDK App would leave a temp cdk.out dir behind). */
const app = (type?: string) => {
  const root = new Construct(undefined as unknown as Construct, '');
  if (type) root.node.setContext('amplify-backend-type', type);
  return root;
};

describe('deployment settings', () => {
  it('reads the backend type, treating unknown values as a shared branch', () => {
    expect(backendType(app('sandbox'))).toBe('sandbox');
    expect(backendType(app('standalone'))).toBe('standalone');
    expect(backendType(app())).toBe('branch');
    expect(backendType(app('weird'))).toBe('branch');
  });

  it('destroys data only in sandboxes', () => {
    expect(dataRemovalPolicy(app('sandbox'))).toBe(RemovalPolicy.DESTROY);
    expect(dataRemovalPolicy(app('branch'))).toBe(RemovalPolicy.RETAIN);
  });

  it('allows the local dev server in sandboxes only, unless configured', () => {
    expect(extraOrigins(app('sandbox'), {})).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(extraOrigins(app('branch'), {})).toEqual([]);
    expect(extraOrigins(app('sandbox'), { CHAT_EXTRA_ORIGINS: '' })).toEqual([]);
    expect(extraOrigins(app('branch'), { CHAT_EXTRA_ORIGINS: ' https://a.example , http://localhost:5173/,https://a.example' })).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
  });

  it('refuses anything but a bare origin', () => {
    expect(parseOrigin('https://chat.example.com')).toBe('https://chat.example.com');
    for (const bad of ['chat.example.com', 'https://x.example/path', 'ftp://x.example', '*']) expect(() => parseOrigin(bad)).toThrow(/CHAT_EXTRA_ORIGINS/);
  });
});
