/**
 * A fake `SluiceApi` for the renderer's state under plain Node: invokes are answered by the
 * test's handlers (validated against the contract's response schema, so a fake cannot answer
 * what the host never would) and recorded; events and reconnects are fired by the test.
 */
import {
  invokeChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type SluiceApi,
} from '../../shared/contract.js';

export type FakeAnswers = { [C in InvokeChannel]?: (request: InvokeRequest<C>) => InvokeResponse<C> | Promise<InvokeResponse<C>> };

/** What a freshly started renderer asks for, answered with "nothing yet". */
export const EMPTY_HOST: FakeAnswers = {
  'app:info': () => ({ version: '0.0.0-test', mode: 'web', dataDir: '/tmp/sluice-test', notices: [] }),
  'updates:state': () => ({ supported: false, enabled: false, status: 'idle', currentVersion: '0.0.0-test' }),
  'servers:list': () => [],
  'providers:list': () => [],
  'history:usage': () => [],
  'sampling:settings': () => ({ paused: false, policies: {} }),
  'sampling:list': () => [],
  'elicitation:list': () => [],
  'toolCalls:list': () => [],
  'gateway:status': () => ({
    settings: { enabled: false, port: 7345 },
    listening: false,
    apps: [],
    tokens: [],
    relay: { command: 'sluice', args: ['--relay'] },
  }),
};

export interface FakeHost {
  api: SluiceApi;
  answers: FakeAnswers;
  /** Every invoke, in order. */
  calls: Array<{ channel: InvokeChannel; request: unknown }>;
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
  /** The transport came back (web mode's socket reconnected). */
  reconnect(): void;
  /** Web mode's socket dropped. */
  loseConnection(newAddress: boolean): void;
  /** How many listeners are subscribed (all of them go when the state disconnects). */
  listenerCount(): number;
}

export function fakeHost(answers: FakeAnswers = {}): FakeHost {
  const all: FakeAnswers = { ...EMPTY_HOST, ...answers };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  const lostListeners = new Set<(info: { newAddress: boolean }) => void>();
  const calls: FakeHost['calls'] = [];
  const api: SluiceApi = {
    async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      calls.push({ channel, request });
      const answer = all[channel];
      if (!answer) throw new Error(`The fake host has no answer for ${channel}`);
      return invokeChannels[channel].response.parse(await answer(request)) as InvokeResponse<C>;
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    onConnectionLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  };
  return {
    api,
    answers: all,
    calls,
    emit: (channel, payload) => listeners.get(channel)?.forEach((listener) => listener(payload)),
    reconnect: () => reconnectListeners.forEach((listener) => listener()),
    loseConnection: (newAddress) => lostListeners.forEach((listener) => listener({ newAddress })),
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0) + reconnectListeners.size + lostListeners.size,
  };
}

/** Lets pending promise callbacks (the state's awaited invokes) run. */
export async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
