/**
 * For a test file of the renderer's state slices: every case starts from every slice's first state
 * with timers mocked (toasts expire by setTimeout), and `start` connects the state to a fresh fake
 * host and lets its first loads settle; the state is disconnected after each case.
 */
import { afterEach, beforeEach, mock } from 'node:test';
import { resetState, startSluice } from '../../renderer/src/state/index.js';
import { fakeHost, settled, type FakeAnswers, type FakeHost } from './fake-sluice-api.js';

export function freshRendererState(): { start(answers?: FakeAnswers): Promise<FakeHost> } {
  let stop: () => void = () => undefined;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    resetState();
    stop = () => undefined;
  });
  afterEach(() => {
    stop();
    mock.timers.reset();
  });
  return {
    async start(answers = {}) {
      const host = fakeHost(answers);
      stop = startSluice(host.api);
      await settled();
      return host;
    },
  };
}
