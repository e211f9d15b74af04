/** The `elicitation:*` channels: the queue of questions servers ask, and the user's answers. */
import { ok, type HandlersFor } from '../handlers.js';
import type { ElicitationBroker } from './broker.js';

export type ElicitationChannel = 'elicitation:list' | 'elicitation:respond' | 'elicitation:dismiss';

export function elicitationHandlers({ elicitation }: { elicitation: ElicitationBroker }): HandlersFor<ElicitationChannel> {
  return {
    'elicitation:list': () => elicitation.list(),
    'elicitation:respond': async ({ id, action, content }) => {
      await elicitation.respond(id, action, content);
      return ok;
    },
    'elicitation:dismiss': ({ id }) => {
      elicitation.dismiss(id);
      return ok;
    },
  };
}
