/**
 * The one handler style of the host. Each feature module exports a function that takes the
 * services it needs and returns the handlers for its own channels, typed `HandlersFor<…>`;
 * host.ts only spreads them into one map, which must cover every contract channel exactly (a
 * missing channel is a compile error there).
 */
import type { InvokeChannel, InvokeResponse, ParsedInvokeRequest } from '../../shared/contract.js';

/** Answers one channel's validated request. */
export type Handler<C extends InvokeChannel> = (request: ParsedInvokeRequest<C>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;

/** The handlers of a feature's channels `C`, one per channel. */
export type HandlersFor<C extends InvokeChannel> = { [K in C]: Handler<K> };

/** The answer of a channel whose response is just `{ ok: true }`. */
export const ok = { ok: true as const };
