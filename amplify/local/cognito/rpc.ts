/**
 * A minimal Cognito Identity Provider JSON-RPC call (the wire format every SDK uses: POST / with
 * `X-Amz-Target`). The local stack talks to cognito-local with it, so no SDK is needed at run time.
 */

/** A Cognito error answer (`__type` + message), kept typed so callers can branch on the name. */
export class CognitoRpcError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(`${type}: ${message}`);
    this.name = 'CognitoRpcError';
  }
}

/** A raw answer, for callers that pass it on unchanged. */
export interface RpcResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** Posts a JSON body (already serialised) to `AWSCognitoIdentityProviderService.<target>`. */
export async function rawCognitoRpc(endpoint: string, target: string, body: string): Promise<RpcResponse> {
  const response = await fetch(new URL('/', endpoint), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
    },
    body,
  });
  const contentType = response.headers.get('content-type') ?? 'application/x-amz-json-1.1';
  return { status: response.status, contentType, text: await response.text() };
}

/** Calls `target` and resolves to the parsed answer; a Cognito error becomes a `CognitoRpcError`. */
export async function cognitoRpc<T = Record<string, unknown>>(
  endpoint: string,
  target: string,
  body: unknown,
): Promise<T> {
  const { status, text } = await rawCognitoRpc(endpoint, target, JSON.stringify(body));
  const json = parseJson(text);
  if (status >= 400) {
    throw new CognitoRpcError(String(json.__type ?? json.code ?? 'UnknownError'), String(json.message ?? ''), status);
  }
  return json as T;
}

/** A JSON answer in Cognito's content type (errors: `{ __type, message }` with a 4xx/5xx status). */
export function jsonAnswer(status: number, body: unknown): RpcResponse {
  return { status, contentType: 'application/x-amz-json-1.1', text: JSON.stringify(body) };
}

/** Parses a JSON object body; anything else reads as an empty object. */
export function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
