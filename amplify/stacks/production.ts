/**
 * What a shared (`branch` / `standalone`) deployment must have that a throwaway sandbox need not: an SES
 * email sender (or the explicit opt-out), and a user pool that survives stack deletion or replacement.
 * The tables are retained on the same deployments (deployment.ts), so accounts and messages stay together.
 */
import { Arn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { CfnUserPool, IUserPool } from 'aws-cdk-lib/aws-cognito';
import { requireProductionEmail, type Settings } from '../settings';
import { backendType } from './deployment';

/** The part of `backend.auth` this needs. */
export interface ProductionAuth {
  readonly resources: { readonly userPool: IUserPool; readonly cfnResources: { readonly cfnUserPool: CfnUserPool } };
}

/** Applies the production defaults to a non-sandbox backend; throws SettingsError when the email sender is missing. */
export function applyProductionDefaults(auth: ProductionAuth, settings: Settings): void {
  const { userPool, cfnResources } = auth.resources;
  const pool = cfnResources.cfnUserPool;
  if (settings.email && settings.email.sesIdentity !== settings.email.fromEmail) {
    // defineAuth names the from-address as the SES identity; a verified domain owns the address instead.
    const emailConfiguration = pool.emailConfiguration as CfnUserPool.EmailConfigurationProperty;
    pool.emailConfiguration = {
      ...emailConfiguration,
      sourceArn: Arn.format({ service: 'ses', resource: 'identity', resourceName: settings.email.sesIdentity }, Stack.of(pool)),
    };
  }
  if (backendType(pool) === 'sandbox') return;
  requireProductionEmail(settings);
  // Accounts outlive the stack: deleting or replacing the branch stack must not delete every user.
  userPool.applyRemovalPolicy(RemovalPolicy.RETAIN);
  pool.deletionProtection = 'ACTIVE';
}
