/**
 * The deployed handler modules, loaded as-is. Imported dynamically so the caller can set process.env
 * first: handlers (and the SDK clients they create) read their configuration from it, as on Lambda.
 */
type HandlerOf<M> = M extends { handler: infer H } ? H : never;

/** Every handler the gateway routes to. */
export interface Handlers {
  readonly createTicket: HandlerOf<typeof import('../../functions/create-ticket/handler')>;
  readonly getMessages: HandlerOf<typeof import('../../functions/get-messages/handler')>;
  readonly storeMessage: HandlerOf<typeof import('../../functions/store-message/handler')>;
  readonly rooms: HandlerOf<typeof import('../../functions/rooms/handler')>;
  readonly wsAuthorizer: HandlerOf<typeof import('../../functions/ws-authorizer/handler')>;
  readonly wsConnect: HandlerOf<typeof import('../../functions/ws-connect/handler')>;
  readonly wsDisconnect: HandlerOf<typeof import('../../functions/ws-disconnect/handler')>;
  readonly wsMessage: HandlerOf<typeof import('../../functions/ws-message/handler')>;
  /** Not behind a route: the emulated fan-out queue invokes it (amplify/local/queue.ts). */
  readonly fanoutWorker: HandlerOf<typeof import('../../functions/fanout-worker/handler')>;
}

/** Imports every handler module; call only after the handlers' env vars are in process.env. */
export async function loadHandlers(): Promise<Handlers> {
  const [createTicket, getMessages, storeMessage, rooms, wsAuthorizer, wsConnect, wsDisconnect, wsMessage, fanoutWorker] = await Promise.all([
    import('../../functions/create-ticket/handler'),
    import('../../functions/get-messages/handler'),
    import('../../functions/store-message/handler'),
    import('../../functions/rooms/handler'),
    import('../../functions/ws-authorizer/handler'),
    import('../../functions/ws-connect/handler'),
    import('../../functions/ws-disconnect/handler'),
    import('../../functions/ws-message/handler'),
    import('../../functions/fanout-worker/handler'),
  ]);
  return {
    createTicket: createTicket.handler,
    getMessages: getMessages.handler,
    storeMessage: storeMessage.handler,
    rooms: rooms.handler,
    wsAuthorizer: wsAuthorizer.handler,
    wsConnect: wsConnect.handler,
    wsDisconnect: wsDisconnect.handler,
    wsMessage: wsMessage.handler,
    fanoutWorker: fanoutWorker.handler,
  };
}

/** Outcome of one invocation: the handler's result, or the error it threw (Lambda reports both). */
export type Invocation<R> = { readonly ok: true; readonly result: R } | { readonly ok: false; readonly error: unknown };

/**
 * Runs invocations and remembers the ones in flight, so `drain()` can wait for them before the
 * databases stop. Never throws: a failing handler must not take the gateway down.
 */
export class Invoker {
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly log: (line: string) => void) {}

  /** Calls `fn(event)`; logs only the error's name (messages may quote user input or secrets). */
  invoke<E, R>(name: string, fn: (event: E) => Promise<R>, event: E): Promise<Invocation<R>> {
    const run = (async (): Promise<Invocation<R>> => {
      try {
        return { ok: true, result: await fn(event) };
      } catch (error) {
        this.log(`${name} failed: ${(error as Error | null)?.name ?? 'Error'}`);
        return { ok: false, error };
      }
    })();
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));
    return run;
  }

  /** Resolves when every invocation started so far (and any they start) has finished. */
  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }
}
