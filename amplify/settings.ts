/**
 * Every deployment setting, in one place: each is an environment variable read when the backend is
 * synthesized (`ampx sandbox`, `ampx pipeline-deploy`, `npm run synth`, the infra tests). In CI they
 * come from the GitHub environment's variables (.github/workflows/deploy.yml); for a sandbox, from
 * your shell. docs/deploy.md's settings table is generated from SETTINGS (settings.test.ts checks it).
 */
import { z } from 'zod';

/** One setting: its variable, what it does, its default, and who must set it. */
export interface SettingInfo {
  readonly env: string;
  readonly description: string;
  readonly default: string;
}

/** The settings, by key. */
export const SETTINGS = {
  emailFrom: {
    env: 'CHAT_EMAIL_FROM',
    description:
      'From-address of Cognito\'s emails (sign-up codes, password resets), sent through Amazon SES. **Required for `branch` deployments** unless `CHAT_EMAIL_COGNITO_DEFAULT=1`.',
    default: 'unset: Cognito\'s built-in sender (sandboxes)',
  },
  emailSesIdentity: {
    env: 'CHAT_EMAIL_SES_IDENTITY',
    description: 'The verified SES identity that owns the from-address: the address itself or its domain (e.g. `example.com`), in the deployment\'s region.',
    default: 'the from-address',
  },
  cognitoDefaultEmail: {
    env: 'CHAT_EMAIL_COGNITO_DEFAULT',
    description:
      'The one-line opt-out: `1` lets a `branch` deployment use Cognito\'s built-in sender (about 50 emails a day per account; demos only).',
    default: 'off',
  },
  apiGatewayAccountRole: {
    env: 'CHAT_API_GATEWAY_ACCOUNT_ROLE',
    description:
      '`1` creates the account-wide API Gateway CloudWatch role (`AWS::ApiGateway::Account`, one per account and region, retained) and turns on WebSocket access logs. Set it in at most one deployment per account and region.',
    default: 'off: WebSocket access logs off (HTTP API access logs stay on)',
  },
  alarmEmail: {
    env: 'CHAT_ALARM_EMAIL',
    description: 'Where alarms are sent (an email subscription on the alarm topic of branch deployments; sandboxes have no alarms).',
    default: 'unset',
  },
  extraOrigins: {
    env: 'CHAT_EXTRA_ORIGINS',
    description: 'Extra browser origins (comma-separated `https://host`) allowed to call the HTTP API; empty means none.',
    default: 'sandbox: `http://localhost:3000`, `http://127.0.0.1:3000`; branch: none',
  },
  previousCspHashes: {
    env: 'CHAT_PREVIOUS_CSP_HASHES',
    description:
      'Path of the live build\'s `csp-hashes.json`; its hashes stay allowed for one more deploy so open pages keep working while the new build uploads. **Set by the workflow**, not by hand.',
    default: 'unset (first deploy)',
  },
} as const satisfies Record<string, SettingInfo>;

const flag = (name: string) =>
  z
    .enum(['', '0', '1', 'false', 'true'], { error: `${name} must be 1 or 0` })
    .optional()
    .transform((v) => v === '1' || v === 'true');
const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));
const optionalEmail = (name: string) =>
  optionalText.pipe(z.email({ error: `${name} must be an email address like chat@example.com` }).optional());

const schema = z.object({
  [SETTINGS.emailFrom.env]: optionalEmail(SETTINGS.emailFrom.env),
  [SETTINGS.emailSesIdentity.env]: optionalText,
  [SETTINGS.cognitoDefaultEmail.env]: flag(SETTINGS.cognitoDefaultEmail.env),
  [SETTINGS.apiGatewayAccountRole.env]: flag(SETTINGS.apiGatewayAccountRole.env),
  [SETTINGS.alarmEmail.env]: optionalEmail(SETTINGS.alarmEmail.env),
  [SETTINGS.previousCspHashes.env]: optionalText,
});

/** Parsed settings (CHAT_EXTRA_ORIGINS is parsed by amplify/stacks/deployment.ts, which needs the backend type). */
export interface Settings {
  /** SES sender, when configured. */
  readonly email?: { readonly fromEmail: string; readonly sesIdentity: string };
  readonly cognitoDefaultEmail: boolean;
  readonly apiGatewayAccountRole: boolean;
  readonly alarmEmail?: string;
  readonly previousCspHashesFile?: string;
}

/** A setting is malformed or missing: the message names the variable and the fix. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads and validates the settings from `env`; throws SettingsError naming the variable on bad input. */
export function readSettings(env: Readonly<Record<string, string | undefined>> = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new SettingsError(parsed.error.issues.map((i) => i.message).join('; '));
  const s = parsed.data;
  const fromEmail = s[SETTINGS.emailFrom.env];
  const identity = s[SETTINGS.emailSesIdentity.env];
  if (identity && !fromEmail) {
    throw new SettingsError(`${SETTINGS.emailSesIdentity.env} is set but ${SETTINGS.emailFrom.env} is not: set the from-address too`);
  }
  if (fromEmail && identity && identity !== fromEmail && !fromEmail.toLowerCase().endsWith(`@${identity.toLowerCase()}`)) {
    throw new SettingsError(`${SETTINGS.emailFrom.env} (${fromEmail}) must be the SES identity ${identity} or an address of that domain`);
  }
  return {
    email: fromEmail ? { fromEmail, sesIdentity: identity ?? fromEmail } : undefined,
    cognitoDefaultEmail: s[SETTINGS.cognitoDefaultEmail.env],
    apiGatewayAccountRole: s[SETTINGS.apiGatewayAccountRole.env],
    alarmEmail: s[SETTINGS.alarmEmail.env],
    previousCspHashesFile: s[SETTINGS.previousCspHashes.env],
  };
}

/**
 * A `branch` deployment must send email through SES or opt out in one line; throws SettingsError
 * naming both otherwise. Sandboxes may use Cognito's built-in sender.
 */
export function requireProductionEmail(settings: Settings): void {
  if (settings.email || settings.cognitoDefaultEmail) return;
  throw new SettingsError(
    `A branch deployment needs an email sender: set ${SETTINGS.emailFrom.env}=chat@your-domain (a verified SES identity; see docs/deploy.md), ` +
      `or opt out with ${SETTINGS.cognitoDefaultEmail.env}=1 to use Cognito's built-in sender (about 50 emails a day).`,
  );
}

/** Markers around the generated table in docs/deploy.md. */
export const SETTINGS_TABLE_START = '<!-- settings:start (generated from amplify/settings.ts: npx tsx scripts/settings-table.ts) -->';
export const SETTINGS_TABLE_END = '<!-- settings:end -->';

/** The markdown table of every setting (with its markers). */
export function settingsTable(): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rows = Object.values(SETTINGS).map((s: SettingInfo) => `| \`${s.env}\` | ${cell(s.description)} | ${cell(s.default)} |`);
  return [SETTINGS_TABLE_START, '| Variable | What it does | Default |', '| --- | --- | --- |', ...rows, SETTINGS_TABLE_END].join('\n');
}

/** `doc` with the text between the markers replaced by the current table. */
export function withSettingsTable(doc: string): string {
  const start = doc.indexOf(SETTINGS_TABLE_START);
  const end = doc.indexOf(SETTINGS_TABLE_END);
  if (start < 0 || end < start) throw new Error(`no ${SETTINGS_TABLE_START} … ${SETTINGS_TABLE_END} section`);
  return doc.slice(0, start) + settingsTable() + doc.slice(end + SETTINGS_TABLE_END.length);
}
