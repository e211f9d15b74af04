/**
 * What a request queue does when the server cancels a request it is waiting on (the SDK aborts
 * the handler's signal on `notifications/cancelled`, a server timeout, or a closed connection).
 */
export function onServerCancel(signal: AbortSignal | undefined, cancel: (message: string) => void): void {
  signal?.addEventListener(
    'abort',
    () => {
      const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? '');
      cancel(reason ? `The server cancelled the request: ${reason}` : 'The server cancelled the request');
    },
    { once: true },
  );
}
