import { describe, expect, it } from 'vitest';
import { readSettings, requireProductionEmail, SETTINGS, SettingsError } from './settings';

describe('readSettings', () => {
  it('defaults: no email sender, account role off, nothing else', () => {
    expect(readSettings({})).toEqual({ email: undefined, cognitoDefaultEmail: false, apiGatewayAccountRole: false, alarmEmail: undefined, previousCspHashesFile: undefined });
  });

  it('reads every setting, the SES identity defaulting to the from-address', () => {
    expect(readSettings({ CHAT_EMAIL_FROM: 'chat@example.com', CHAT_API_GATEWAY_ACCOUNT_ROLE: '1', CHAT_ALARM_EMAIL: 'ops@example.com', CHAT_PREVIOUS_CSP_HASHES: '/tmp/h.json' })).toEqual({
      email: { fromEmail: 'chat@example.com', sesIdentity: 'chat@example.com' },
      cognitoDefaultEmail: false,
      apiGatewayAccountRole: true,
      alarmEmail: 'ops@example.com',
      previousCspHashesFile: '/tmp/h.json',
    });
    expect(readSettings({ CHAT_EMAIL_FROM: 'chat@example.com', CHAT_EMAIL_SES_IDENTITY: 'example.com' }).email).toEqual({ fromEmail: 'chat@example.com', sesIdentity: 'example.com' });
    expect(readSettings({ CHAT_EMAIL_COGNITO_DEFAULT: 'true', CHAT_EMAIL_FROM: '  ' })).toMatchObject({ email: undefined, cognitoDefaultEmail: true });
  });

  it('refuses malformed values, naming the variable', () => {
    expect(() => readSettings({ CHAT_EMAIL_FROM: 'not-an-address' })).toThrow(/CHAT_EMAIL_FROM must be an email address/);
    expect(() => readSettings({ CHAT_API_GATEWAY_ACCOUNT_ROLE: 'yes' })).toThrow(/CHAT_API_GATEWAY_ACCOUNT_ROLE must be 1 or 0/);
    expect(() => readSettings({ CHAT_ALARM_EMAIL: 'ops' })).toThrow(/CHAT_ALARM_EMAIL/);
    expect(() => readSettings({ CHAT_EMAIL_SES_IDENTITY: 'example.com' })).toThrow(/CHAT_EMAIL_FROM is not/);
    expect(() => readSettings({ CHAT_EMAIL_FROM: 'chat@other.org', CHAT_EMAIL_SES_IDENTITY: 'example.com' })).toThrow(SettingsError);
  });
});

describe('requireProductionEmail', () => {
  it('passes with an SES sender or the explicit opt-out', () => {
    expect(() => requireProductionEmail(readSettings({ CHAT_EMAIL_FROM: 'chat@example.com' }))).not.toThrow();
    expect(() => requireProductionEmail(readSettings({ CHAT_EMAIL_COGNITO_DEFAULT: '1' }))).not.toThrow();
  });

  it('fails otherwise, naming the setting and the one-line opt-out', () => {
    expect(() => requireProductionEmail(readSettings({}))).toThrow(
      new RegExp(`${SETTINGS.emailFrom.env}=.*${SETTINGS.cognitoDefaultEmail.env}=1`),
    );
  });
});

describe('docs/deploy.md', () => {
  it('lists every setting (generated table is current: `npx tsx scripts/settings-table.ts`)', async () => {
    const { readFileSync } = await import('node:fs');
    const { settingsTable } = await import('./settings');
    const doc = readFileSync(new URL('../docs/deploy.md', import.meta.url), 'utf8');
    expect(doc).toContain(settingsTable());
    for (const s of Object.values(SETTINGS)) expect(doc).toContain(`\`${s.env}\``);
  });
});
