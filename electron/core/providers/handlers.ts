/** The `providers:*` channels: the model providers and their keys (which never leave the host). */
import { ok, type HandlersFor } from '../handlers.js';
import type { ProviderRegistry } from './registry.js';

export type ProviderChannel = 'providers:list' | 'providers:save' | 'providers:remove' | 'providers:test';

export function providerHandlers({ providers }: { providers: ProviderRegistry }): HandlersFor<ProviderChannel> {
  return {
    'providers:list': () => providers.list(),
    'providers:save': (input) => providers.save(input),
    'providers:remove': async ({ id }) => {
      await providers.remove(id);
      return ok;
    },
    // `{ id }` tests a saved provider; a draft (with `kind`) tests the form's values without saving.
    'providers:test': (request) => ('kind' in request ? providers.testDraft(request) : providers.test(request.id)),
  };
}
