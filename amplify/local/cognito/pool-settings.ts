/**
 * What the local user pool looks like — the same choices as the deployed `defineAuth`: e-mail is the
 * sign-in name, e-mail is verified by a code, `preferred_username` (the chat display name) is required,
 * and the password policy Amplify UI is told about in amplify_outputs.json.
 */
import { LOCAL_PASSWORD_POLICY } from '../outputs';

/** Attributes a sign-up must carry (Cognito rejects the request otherwise). */
export const REQUIRED_ATTRIBUTES = ['email', 'preferred_username'] as const;

/** Name of the pre-token-generation "Lambda" the proxy plays (see triggers.ts). */
export const PRE_TOKEN_TRIGGER = 'local-pre-token-generation';

/** CreateUserPool input. */
export const USER_POOL = {
  PoolName: 'chat-local',
  UsernameAttributes: ['email'],
  AutoVerifiedAttributes: ['email'],
  MfaConfiguration: 'OFF',
  Policies: {
    PasswordPolicy: {
      MinimumLength: LOCAL_PASSWORD_POLICY.min_length,
      RequireLowercase: LOCAL_PASSWORD_POLICY.require_lowercase,
      RequireUppercase: LOCAL_PASSWORD_POLICY.require_uppercase,
      RequireNumbers: LOCAL_PASSWORD_POLICY.require_numbers,
      RequireSymbols: LOCAL_PASSWORD_POLICY.require_symbols,
    },
  },
  Schema: REQUIRED_ATTRIBUTES.map((Name) => ({ Name, AttributeDataType: 'String', Mutable: true, Required: true })),
} as const;

/** CreateUserPoolClient input (UserPoolId added at seed time): a public web client, no SRP locally. */
export const USER_POOL_CLIENT = {
  ClientName: 'chat-web-local',
  GenerateSecret: false,
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  // Cognito's defaults (cognito-local would otherwise issue 24 h ID tokens and never exercise refresh).
  IdTokenValidity: 60,
  AccessTokenValidity: 60,
  RefreshTokenValidity: 30,
  TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'days' },
} as const;

/**
 * cognito-local's `.cognito/config.json`. The issuer domain is the proxy's origin, so tokens name the URL
 * the browser and the verifier actually use (and stay valid across restarts on a fixed proxy port); the
 * "Lambda" endpoint is the proxy too, which answers the pre-token-generation trigger.
 */
export function cognitoLocalConfig(proxyOrigin: string) {
  const local = { accessKeyId: 'local', secretAccessKey: 'local' };
  return {
    ServerConfig: { hostname: '127.0.0.1', port: 0 },
    TokenConfig: { IssuerDomain: proxyOrigin },
    UserPoolDefaults: { UsernameAttributes: ['email'] },
    TriggerFunctions: { PreTokenGeneration: PRE_TOKEN_TRIGGER },
    LambdaClient: { endpoint: proxyOrigin, region: 'local', credentials: local },
    KMSConfig: { region: 'local', credentials: local },
  };
}
