/**
 * Secret values of server definitions live in the secret store (the OS keychain in the desktop
 * app), not in servers.json: an environment variable or header whose name looks secret (token,
 * key, password, Authorization, …) is written to the file as a reference,
 * `${sluice-secret:<id>}`, and resolved only when the transport is built. The renderer sees the
 * reference too, so a secret never reaches it; saving a definition with the reference unchanged
 * keeps the stored value, a new value replaces it. Plain values in older files are moved on load.
 */
import { randomUUID } from 'node:crypto';
import type { ServerDefinition } from '../../../shared/domain.js';
import { looksSecret } from '../../../shared/server-features.js';
import type { SecretStore } from '../storage/secret-store.js';

const REFERENCE = /^\$\{sluice-secret:([0-9a-f-]{36})\}$/;
const storeKey = (id: string) => `server-secret:${id}`;

type Values = Record<string, string>;

/** Where a definition keeps values that may be secret: a stdio server's env, a remote server's headers. */
function secretValues(definition: ServerDefinition): { values: Values } {
  return { values: definition.type === 'stdio' ? definition.env : definition.headers };
}

function referencedIds(definition: ServerDefinition | undefined): Set<string> {
  if (!definition) return new Set();
  const ids = Object.values(secretValues(definition).values).map((value) => REFERENCE.exec(value)?.[1]);
  return new Set(ids.filter((id): id is string => id !== undefined));
}

export class ServerSecrets {
  constructor(private readonly secrets: SecretStore) {}

  /** Whether the definition still has a secret-looking value in plain text. */
  hasPlainSecrets(definition: ServerDefinition): boolean {
    return Object.entries(secretValues(definition).values).some(
      ([name, value]) => looksSecret(name) && value !== '' && !REFERENCE.test(value),
    );
  }

  /**
   * Moves the definition's plain secret values into the store, answering the definition with
   * references in their place. References no longer used since `previous` are deleted.
   */
  async extract(definition: ServerDefinition, previous?: ServerDefinition): Promise<ServerDefinition> {
    const { values } = secretValues(definition);
    const next: Values = {};
    for (const [name, value] of Object.entries(values)) {
      if (!looksSecret(name) || value === '' || REFERENCE.test(value)) {
        next[name] = value;
        continue;
      }
      const id = randomUUID();
      await this.secrets.set(storeKey(id), value);
      next[name] = `\${sluice-secret:${id}}`;
    }
    const extracted: ServerDefinition = definition.type === 'stdio' ? { ...definition, env: next } : { ...definition, headers: next };
    await this.forgetUnused(previous, extracted);
    return extracted;
  }

  /** Deletes the stored values `before` referenced that `after` (if any) no longer does. */
  async forgetUnused(before: ServerDefinition | undefined, after: ServerDefinition | undefined): Promise<void> {
    const kept = referencedIds(after);
    for (const id of referencedIds(before)) if (!kept.has(id)) await this.secrets.delete(storeKey(id));
  }

  /** The env or headers with every reference replaced by its stored value, for the transport only. */
  async resolve(definition: ServerDefinition): Promise<Values> {
    const { values } = secretValues(definition);
    const resolved: Values = {};
    for (const [name, value] of Object.entries(values)) {
      const id = REFERENCE.exec(value)?.[1];
      if (id === undefined) {
        resolved[name] = value;
        continue;
      }
      const stored = await this.secrets.get(storeKey(id));
      if (stored === undefined)
        throw new Error(`The stored value of ${name} is missing from the secret store: enter it again in the server's settings`);
      resolved[name] = stored;
    }
    return resolved;
  }
}
