/**
 * The local stack's amplify_outputs.json: the same shape `ampx sandbox` writes, pointing at the
 * emulators, plus the two local-only hints the client understands (userPoolEndpoint, authFlowType).
 */
import { CHAT_OUTPUT_KEY, type ChatOutputs } from '../../lib/outputs';

/** Inputs: where the local services listen. */
export interface LocalOutputsInput {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly userPoolEndpoint: string;
  readonly httpApiUrl: string;
  readonly webSocketUrl: string;
  readonly siteUrl?: string;
}

/** Password rules the local pool enforces; mirrored here so Amplify UI validates the same way. */
export const LOCAL_PASSWORD_POLICY = {
  min_length: 8,
  require_lowercase: true,
  require_uppercase: true,
  require_numbers: true,
  require_symbols: true,
} as const;

/** Builds the amplify_outputs.json object (schema version 1.4) for the local stack. */
export function localOutputs(input: LocalOutputsInput) {
  const chat: ChatOutputs = {
    webSocketUrl: input.webSocketUrl,
    httpApiUrl: input.httpApiUrl,
    ...(input.siteUrl ? { siteUrl: input.siteUrl } : {}),
    userPoolEndpoint: input.userPoolEndpoint,
    authFlowType: 'USER_PASSWORD_AUTH',
  };
  return {
    version: '1.4',
    auth: {
      aws_region: input.region,
      user_pool_id: input.userPoolId,
      user_pool_client_id: input.userPoolClientId,
      password_policy: {
        min_length: LOCAL_PASSWORD_POLICY.min_length,
        require_lowercase: LOCAL_PASSWORD_POLICY.require_lowercase,
        require_uppercase: LOCAL_PASSWORD_POLICY.require_uppercase,
        require_numbers: LOCAL_PASSWORD_POLICY.require_numbers,
        require_symbols: LOCAL_PASSWORD_POLICY.require_symbols,
      },
      username_attributes: ['email'],
      standard_required_attributes: ['email', 'preferred_username'],
      user_verification_types: ['email'],
      unauthenticated_identities_enabled: false,
      mfa_configuration: 'NONE',
      mfa_methods: [],
      groups: [],
    },
    custom: { [CHAT_OUTPUT_KEY]: chat },
  };
}
