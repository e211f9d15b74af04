/**
 * The one SluiceApi the renderer's state talks to. `startSluice` connects it once at startup
 * (the preload's `window.sluice`, or web mode's WebSocket bridge); unit tests connect a fake, so
 * no state module reaches for `window` and all of them import under plain Node.
 */
import type { SluiceApi } from '../../../shared/contract';

let current: SluiceApi | undefined;

export function connectHost(api: SluiceApi): void {
  current = api;
}

export function host(): SluiceApi {
  if (!current) throw new Error('Sluice: the renderer state was used before startSluice connected it to the host');
  return current;
}
