/**
 * The backend's security baseline, applied once at the end of amplify/backend.ts: no guest identities,
 * access logs on every API stage, bounded retention on every Lambda log group, then cdk-nag over the
 * finished app (which must see every resource, so this runs last).
 */
import type { IConstruct } from 'constructs';
import { enableApiAccessLogs } from './api-access-logs';
import { disableGuestIdentities, type HardenableAuth } from './auth-hardening';
import { boundLambdaLogGroups } from './lambda-log-groups';
import { enforceNag, type AppliedAcknowledgement } from './nag';

/** What the baseline needs from the backend. */
export interface SecurityBaselineProps {
  /** Any construct of the app (its root is checked). */
  readonly app: IConstruct;
  readonly auth: HardenableAuth;
  /** The construct holding the APIs (their stages get access logs). */
  readonly apis: IConstruct;
  /** CHAT_API_GATEWAY_ACCOUNT_ROLE: create the account-wide log role and log WebSocket stages. */
  readonly apiGatewayAccountRole: boolean;
}

/** Applies the baseline; returns the cdk-nag acknowledgements it placed (for tests and the README). */
export function applySecurityBaseline({ app, auth, apis, apiGatewayAccountRole }: SecurityBaselineProps): AppliedAcknowledgement[] {
  disableGuestIdentities(auth);
  enableApiAccessLogs(apis, { accountRole: apiGatewayAccountRole });
  boundLambdaLogGroups(app.node.root);
  return enforceNag(app.node.root);
}
