import { AsyncLocalStorage } from 'node:async_hooks';

/** The current request's id, visible to every log line written while handling it. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
