/**
 * Tightens what `defineAuth` leaves open. Amplify's identity pool hands AWS credentials to anonymous
 * visitors by default; the chat never uses AWS credentials (it calls its APIs with the user's ID token),
 * so guests get none. Amplify derives `unauthenticated_identities_enabled` in amplify_outputs.json from
 * this same property, so the client stops asking for guest credentials too.
 */
import type { CfnIdentityPool } from 'aws-cdk-lib/aws-cognito';

/** The part of `backend.auth` this needs. */
export interface HardenableAuth {
  readonly resources: { readonly cfnResources: { readonly cfnIdentityPool: CfnIdentityPool } };
}

/** No anonymous identities (AwsSolutions-COG7). */
export function disableGuestIdentities(auth: HardenableAuth): void {
  auth.resources.cfnResources.cfnIdentityPool.allowUnauthenticatedIdentities = false;
}
