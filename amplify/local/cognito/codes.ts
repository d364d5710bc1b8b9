/**
 * Confirmation codes. cognito-local does not send mail: it prints a box on stdout, e.g.
 *
 *   ╭──────────────────────────────────────────────╮
 *   │   Confirmation Code Delivery                 │
 *   │   Username:    c63651ae-59c6-4ede-…          │   (the real username: the `sub`, as email is an alias)
 *   │   Destination: example@example.com           │
 *   │   Code:        352011                        │
 *   ╰──────────────────────────────────────────────╯
 *
 * wrapped in pino-pretty colours. This store remembers the latest code per username and per e-mail, fed
 * by that stream (`push`) and by the proxy, which reads the code of a new sign-up from cognito-local's
 * pool file at once (`record`) because the stdout box can arrive a log line late.
 */

/** What a code is for: confirming a sign-up, or resetting a forgotten password. */
export type CodePurpose = 'sign-up' | 'reset';

/** One delivered code. `again` marks a deliberate re-send (announced even if the code is unchanged). */
export interface CodeDelivery {
  readonly username: string;
  readonly destination?: string;
  readonly code: string;
  readonly again?: boolean;
  /** Absent means sign-up (the original kind of code). */
  readonly purpose?: CodePurpose;
}

// Colours come from pino-pretty (forced on), so strip them before matching.
const ANSI = /\u001b\[[0-9;]*m/g;
const FIELD = /(Username|Destination|Code):\s+(\S+)/;
type Field = 'Username' | 'Destination' | 'Code';
// The box's first line names the operation that mailed it (`<reqId> ForgotPassword ╭───`).
const RESET_BOX = /\bForgotPassword\b/;

/** Latest code per username / e-mail (case-insensitive). */
export class ConfirmationCodes {
  private readonly byKey = new Map<string, string>();
  private pending: (Partial<Record<Field, string>> & { purpose?: CodePurpose }) | undefined;

  /** `onDelivery` hears each new code once (a code seen from both sources is announced once). */
  constructor(private readonly onDelivery?: (delivery: CodeDelivery) => void) {}

  /** Feeds one cognito-local stdout line; returns true when it belonged to a box (callers need not echo it). */
  push(rawLine: string): boolean {
    const line = rawLine.replace(ANSI, '');
    // A box opens with its top border; its title says what it is.
    if (line.includes('╭')) {
      this.pending = RESET_BOX.test(line) ? { purpose: 'reset' } : {};
      return true;
    }
    if (line.includes('Confirmation Code Delivery')) {
      this.pending ??= {};
      return true;
    }
    if (!this.pending) return false;
    const field = FIELD.exec(line);
    if (field) this.pending[field[1] as Field] = field[2];
    // The bottom border ends one delivery.
    if (line.includes('╰')) {
      const { Username: username, Destination: destination, Code: code, purpose } = this.pending;
      this.pending = undefined;
      if (username && code) this.record({ username, destination, code, ...(purpose ? { purpose } : {}) });
    }
    return true;
  }

  /** Records a delivery and announces it unless this exact code was already known for that user. */
  record(delivery: CodeDelivery): void {
    const known = this.get(delivery.username) === delivery.code;
    for (const key of [delivery.username, delivery.destination])
      if (key) this.byKey.set(key.toLowerCase(), delivery.code);
    if (!known || delivery.again) this.onDelivery?.(delivery);
  }

  /** The latest code for a username or e-mail, if any. */
  get(usernameOrEmail: string): string | undefined {
    return this.byKey.get(usernameOrEmail.trim().toLowerCase());
  }
}
