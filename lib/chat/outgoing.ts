/** The sends a person is waiting on, for the UI: pending until acked, failed with a reason, retryable. */
import { ulid } from 'ulid';
import { ChatError, parseBody } from '../chat-error';
import type { ChatMessage } from '../protocol';

/** One message the server has not confirmed yet. */
export interface OutgoingMessage {
  readonly clientMessageId: string;
  readonly body: string;
  /** The message it replies to (an id, never a copy of its text). */
  readonly replyToMessageId?: string;
  /** Why it failed for good; undefined while it is still on its way. */
  readonly error?: string;
}

/** The part of ChatClient this needs. */
export interface SendingClient {
  send(body: string, clientMessageId?: string, replyToMessageId?: string): Promise<ChatMessage>;
}

/** Human words for any failure. */
export function describeError(error: unknown): string {
  return error instanceof ChatError ? error.message : 'Something went wrong; try again';
}

/**
 * Tracks sends by clientMessageId. A retry re-uses the id, so if the first attempt was in fact stored the
 * server answers with that message instead of storing it twice.
 */
export class Outgoing {
  private readonly items = new Map<string, OutgoingMessage>();
  private snapshot: readonly OutgoingMessage[] = [];

  constructor(
    private readonly client: SendingClient,
    private readonly onChange: () => void,
  ) {}

  /** Validates and sends; throws a ChatError (EMPTY_BODY, BODY_TOO_LONG…) for a body that can never be sent. */
  send(body: string, replyToMessageId?: string): string {
    const text = parseBody(body);
    const clientMessageId = ulid();
    this.track({ clientMessageId, body: text, ...(replyToMessageId ? { replyToMessageId } : {}) });
    return clientMessageId;
  }

  /** Sends a failed message again with its original id. */
  retry(clientMessageId: string): void {
    const item = this.items.get(clientMessageId);
    if (item?.error !== undefined) this.track({ clientMessageId, body: item.body, ...(item.replyToMessageId ? { replyToMessageId: item.replyToMessageId } : {}) });
  }

  /** Forgets a failed message. */
  discard(clientMessageId: string): void {
    if (this.items.get(clientMessageId)?.error === undefined) return;
    this.items.delete(clientMessageId);
    this.changed();
  }

  /** In the order they were sent; the same array until something changes. */
  list(): readonly OutgoingMessage[] {
    return this.snapshot;
  }

  private track(item: OutgoingMessage): void {
    this.items.set(item.clientMessageId, item);
    this.changed();
    this.client.send(item.body, item.clientMessageId, item.replyToMessageId).then(
      () => {
        this.items.delete(item.clientMessageId);
        this.changed();
      },
      (error: unknown) => {
        if (!this.items.has(item.clientMessageId)) return;
        this.items.set(item.clientMessageId, { ...item, error: describeError(error) });
        this.changed();
      },
    );
  }

  private changed(): void {
    this.snapshot = [...this.items.values()];
    this.onChange();
  }
}
