import { describe, expect, it } from 'vitest';
import { ConfirmationCodes, type CodeDelivery } from './codes';

// cognito-local 5.3 stdout for one SignUp, as captured (pino-pretty colours included).
const BOX = [
  '[1795598827365] \u001b[32mINFO\u001b[39m: \u001b[36m1fa7842e SignUp ╭─────────────────────────────────────────╮',
  '│                                                       │',
  '│   Confirmation Code Delivery                          │',
  '│                                                       │',
  '│   Username:    a78e2f35-b552-4668-8c34-2fb01276a480   │',
  '│   Destination: A@Example.com                          │',
  '│   Code:        514205                                 │',
  '│                                                       │',
  '╰───────────────────────────────────────────────────────╯\u001b[39m \u001b[90m{"reqId":"1fa7842e","target":"SignUp"}\u001b[39m',
];

describe('ConfirmationCodes', () => {
  it('reads the code from the box and keys it by username and (case-insensitive) e-mail', () => {
    const seen: CodeDelivery[] = [];
    const codes = new ConfirmationCodes((d) => seen.push(d));
    expect(BOX.map((line) => codes.push(line))).not.toContain(false);
    expect(codes.get('a@example.com')).toBe('514205');
    expect(codes.get('a78e2f35-b552-4668-8c34-2fb01276a480')).toBe('514205');
    expect(seen).toEqual([
      { username: 'a78e2f35-b552-4668-8c34-2fb01276a480', destination: 'A@Example.com', code: '514205' },
    ]);
  });

  it('keeps the latest code and ignores ordinary log lines', () => {
    const codes = new ConfirmationCodes();
    expect(codes.push('[1] \u001b[32mINFO\u001b[39m: NONE NONE Cognito Local running on http://127.0.0.1:9229')).toBe(
      false,
    );
    for (const line of BOX) codes.push(line);
    for (const line of BOX) codes.push(line.replace('514205', '000111'));
    expect(codes.get('a@example.com')).toBe('000111');
    expect(codes.get('nobody@example.com')).toBeUndefined();
  });

  it('announces a code once, whether it came from the pool file, stdout or both; a re-send always', () => {
    const seen: string[] = [];
    const codes = new ConfirmationCodes((d) => seen.push(`${d.destination}:${d.code}`));
    codes.record({ username: 'a78e2f35-b552-4668-8c34-2fb01276a480', destination: 'a@example.com', code: '514205' });
    for (const line of BOX) codes.push(line);
    codes.record({
      username: 'a78e2f35-b552-4668-8c34-2fb01276a480',
      destination: 'a@example.com',
      code: '514205',
      again: true,
    });
    expect(seen).toEqual(['a@example.com:514205', 'a@example.com:514205']);
  });

  it('labels a code mailed by ForgotPassword as a password reset', () => {
    const seen: CodeDelivery[] = [];
    const codes = new ConfirmationCodes((d) => seen.push(d));
    for (const line of BOX) codes.push(line.replace(' SignUp ', ' ForgotPassword ').replace('514205', '777001'));
    for (const line of BOX) codes.push(line.replace('514205', '777002'));
    expect(seen.map((d) => [d.code, d.purpose])).toEqual([
      ['777001', 'reset'],
      ['777002', undefined],
    ]);
    expect(codes.get('a@example.com')).toBe('777002');
  });
});
