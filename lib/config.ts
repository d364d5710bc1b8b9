/**
 * Run-time configuration: the browser fetches `amplify_outputs.json` beside the static site, so one
 * `next build` serves the local stack, a sandbox and production alike.
 */
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { OUTPUTS_PATH, chatOutputsFrom, isText, type ChatOutputs } from './outputs';

/** The parsed outputs file plus its validated `custom.chat` section. */
export interface AppConfig {
  readonly outputs: Record<string, unknown>;
  readonly chat: ChatOutputs;
}

/** A configuration problem a person can fix; `hint` says how. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly hint = 'Run `npm start` for the local stack, or `npm run sandbox` against your AWS sandbox, then reload.',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Only what sign-in cannot work without (region, pool and client ids); Amplify validates the rest itself. */
function hasAuthSection(outputs: unknown): boolean {
  const auth = (outputs as { auth?: Record<string, unknown> } | null)?.auth;
  return typeof auth === 'object' && auth !== null && isText(auth.aws_region) && isText(auth.user_pool_id) && isText(auth.user_pool_client_id);
}

/** Fetches and validates the outputs file; every failure is a ConfigError with a next step. */
export async function loadConfig(fetchFn: typeof fetch = fetch, path = OUTPUTS_PATH): Promise<AppConfig> {
  let response: Response;
  try {
    // no-store: a stale cached file would point the app at a stack that no longer exists.
    response = await fetchFn(path, { cache: 'no-store' });
  } catch {
    throw new ConfigError(`Could not download ${path}: the web server did not answer.`);
  }
  if (!response.ok) throw new ConfigError(`${path} is missing (the server answered ${response.status}).`);
  let outputs: unknown;
  try {
    outputs = JSON.parse(await response.text());
  } catch {
    // Static hosts often answer unknown paths with index.html, which lands here.
    throw new ConfigError(`${path} is not valid JSON.`);
  }
  if (!hasAuthSection(outputs)) {
    throw new ConfigError(`${path} has no usable "auth" section (user pool id, client id and region).`);
  }
  try {
    return { outputs: outputs as Record<string, unknown>, chat: chatOutputsFrom(outputs) };
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * Configures Amplify from the outputs, then adds the local Cognito endpoint: `parseAmplifyConfig`
 * does not map any endpoint field from amplify_outputs.json, so it is merged in afterwards.
 */
export function configureAmplify(config: AppConfig): void {
  Amplify.configure(config.outputs as Parameters<typeof Amplify.configure>[0]);
  const endpoint = config.chat.userPoolEndpoint;
  if (!endpoint) return;
  const current = Amplify.getConfig();
  const cognito = current.Auth?.Cognito;
  if (!cognito?.userPoolId || !cognito.userPoolClientId) return;
  // The cast only bridges AuthConfig's strict union; the object keeps whichever pool variant it had.
  Amplify.configure({ ...current, Auth: { ...current.Auth, Cognito: { ...cognito, userPoolEndpoint: endpoint } } } as ResourcesConfig);
}

/** True when the stack cannot do SRP (cognito-local), so sign-in must send the password flow. */
export function usesPasswordAuth(config: AppConfig): boolean {
  return config.chat.authFlowType === 'USER_PASSWORD_AUTH';
}
