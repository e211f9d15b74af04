/**
 * The client command the MCP conformance suite runs (`npm run test:conformance`): Sluice's host
 * core, driven through its invoke contract exactly as the renderer drives it, against the test
 * server the suite started for one scenario.
 *
 * Usage (by the suite): MCP_CONFORMANCE_SCENARIO=<name> [MCP_CONFORMANCE_CONTEXT=<json>] client.ts <server-url>
 *
 * Where a person would act, it does what the UI offers by default:
 * - the server is added with the Add server form (Streamable HTTP), with the OAuth options the
 *   scenario hands out (a pre-registered client, client credentials, a client metadata URL,
 *   enterprise-managed authorization's identity provider and ID token);
 * - "Sign in" is pressed whenever the server's status asks for it (bounded);
 * - the browser is played by fetching the authorization URL and following its redirects to
 *   Sluice's loopback listener, as the system browser would;
 * - every tool is run once from the tool runner with the form's starting values (schema
 *   defaults, else a plain value of the field's type);
 * - an elicitation form is accepted as the server filled it in: the answer leaves every field
 *   out, so the host's own defaults (not the renderer's) are what the suite grades.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerDefinitionInput, ServerStatus } from '../../shared/domain.js';
import { SluiceHost } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';

const SERVER = 'conformance';
/** The client ID metadata document URL the suite's CIMD scenario expects. */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
/** Sign-in presses before giving up (a person would stop too). */
const MAX_SIGN_INS = 5;
const STEP_TIMEOUT_MS = 20_000;

interface Context {
  name?: string;
  client_id?: string;
  client_secret?: string;
  private_key_pem?: string;
  signing_algorithm?: string;
  /** auth/cross-app-access-complete-flow: the enterprise identity provider and the user's ID token from it. */
  idp_client_id?: string;
  idp_id_token?: string;
  idp_issuer?: string;
  idp_token_endpoint?: string;
}

interface SavedSecrets {
  clientSecret?: string;
  privateKey?: string;
  idpIdToken?: string;
}

function log(text: string): void {
  process.stderr.write(`[sluice-conformance] ${text}\n`);
}

/** The system browser: loads the authorization page and follows redirects, wherever they lead (the loopback listener included). */
async function browse(url: string): Promise<void> {
  let next = new URL(url);
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(next, { redirect: 'manual' });
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    log(`browser: GET ${next.origin}${next.pathname} -> ${response.status}`);
    if (response.status < 300 || response.status >= 400 || !location) return;
    next = new URL(location, next);
  }
}

/** The tool runner's starting values: the schema's defaults, else a plain value of each required field's type. */
function formValues(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; default?: unknown; enum?: unknown[] }>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (property.default !== undefined) values[name] = property.default;
    else if (!required.has(name)) continue;
    else if (Array.isArray(property.enum) && property.enum.length) values[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') values[name] = 1;
    else if (property.type === 'boolean') values[name] = false;
    else if (property.type === 'array') values[name] = [];
    else if (property.type === 'object') values[name] = {};
    else values[name] = 'test';
  }
  return values;
}

function definitionFor(url: string, context: Context): { definition: ServerDefinitionInput } & SavedSecrets {
  const base = { name: SERVER, type: 'http' as const, url };
  switch (context.name) {
    case 'auth/pre-registration':
      return { definition: { ...base, oauth: { clientId: context.client_id } }, clientSecret: context.client_secret };
    case 'auth/client-credentials-basic':
      return {
        definition: { ...base, oauth: { clientId: context.client_id, grant: 'client_credentials', clientAuth: 'client_secret_basic' } },
        clientSecret: context.client_secret,
      };
    case 'auth/client-credentials-jwt':
      return {
        definition: {
          ...base,
          oauth: {
            clientId: context.client_id,
            grant: 'client_credentials',
            clientAuth: 'private_key_jwt',
            ...(context.signing_algorithm ? { signingAlgorithm: context.signing_algorithm as 'ES256' } : {}),
          },
        },
        privateKey: context.private_key_pem,
      };
    case 'auth/cross-app-access-complete-flow':
      return {
        definition: {
          ...base,
          oauth: {
            clientId: context.client_id,
            grant: 'cross_app_access',
            idp: { issuer: context.idp_issuer ?? '', tokenEndpoint: context.idp_token_endpoint, clientId: context.idp_client_id ?? '' },
          },
        },
        clientSecret: context.client_secret,
        idpIdToken: context.idp_id_token,
      };
    default:
      return { definition: { ...base, oauth: { clientMetadataUrl: CLIENT_METADATA_URL } } };
  }
}

async function main(): Promise<void> {
  const url = process.argv[2];
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  if (!url) throw new Error('usage: client.ts <server-url> (MCP_CONFORMANCE_SCENARIO in the environment)');
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Context;
  log(`scenario ${scenario}, server ${url}`);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'sluice-conformance-'));
  const browsing: Promise<void>[] = [];
  const host = await SluiceHost.start({
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    mode: 'desktop',
    openExternal: async (authorizationUrl) => {
      browsing.push(browse(authorizationUrl).catch((error: unknown) => log(`browser: ${String(error)}`)));
    },
  });
  // Elicitation dialog: accepted with the form as the server sent it (see the header).
  host.events.on('elicitation:added', (request) => {
    log(`elicitation: accepting ${request.id} without changes`);
    const answer =
      request.mode === 'url' ? { id: request.id, action: 'accept' as const } : { id: request.id, action: 'accept' as const, content: {} };
    void host.invoke('elicitation:respond', answer).catch((error: unknown) => log(`elicitation: ${String(error)}`));
  });

  let signIns = 0;
  let signingIn: Promise<unknown> | undefined;
  const status = async () => (await host.invoke('servers:list', {})).find((s) => s.definition.name === SERVER);
  /** What a person does on seeing the status: press Sign in when it asks for one. */
  const react = (current: ServerStatus | undefined) => {
    if (!current?.auth || current.auth.state !== 'signed-out' || signingIn) return;
    if (signIns >= MAX_SIGN_INS) return;
    signIns++;
    log(`pressing Sign in (${signIns}): ${current.auth.message ?? ''}`);
    signingIn = host
      .invoke('servers:signIn', { name: SERVER })
      .catch((error: unknown) => log(`sign-in: ${String(error)}`))
      .finally(() => (signingIn = undefined));
  };
  host.events.on('servers:changed', (statuses) => react(statuses.find((s) => s.definition.name === SERVER)));

  try {
    const { definition, clientSecret, privateKey, idpIdToken } = definitionFor(url, context);
    await host.invoke('servers:save', {
      definition,
      ...(clientSecret ? { clientSecret } : {}),
      ...(privateKey ? { privateKey } : {}),
      ...(idpIdToken ? { idpIdToken } : {}),
    });
    react(await status());
    const connected = await waitFor(async () => {
      const current = await status();
      if (current?.state === 'connected') return current;
      // An error that no sign-in can fix (the status does not ask for one).
      if (current?.state === 'error' && current.auth?.state !== 'signed-out' && current.auth?.state !== 'signing-in' && !signingIn) {
        throw new Error(`could not connect: ${current.error}`);
      }
      if (current?.auth?.state === 'error') throw new Error(`sign-in failed: ${current.auth.message}`);
      if (signIns >= MAX_SIGN_INS && current?.auth?.state === 'signed-out')
        throw new Error(`still not signed in after ${signIns} sign-ins: ${current.auth.message}`);
      return undefined;
    });
    log(`connected (${connected.protocolVersion})`);
    /** A request that hit the sign-in wall is made again once signed in, as a person would after pressing Sign in. */
    const asUser = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await request();
        } catch (error) {
          const current = await status();
          if (signIns >= MAX_SIGN_INS || !current?.auth || current.auth.state === 'signed-in' || current.auth.state === 'error')
            throw error;
          log(`${what} needs a sign-in first: ${error instanceof Error ? error.message : String(error)}`);
          await waitFor(async () => {
            const now = await status();
            if (now?.auth?.state === 'error') throw new Error(`sign-in failed: ${now.auth.message}`);
            return now?.state === 'connected' && now.auth?.state === 'signed-in' && !signingIn ? now : undefined;
          });
        }
      }
    };
    const tools = await asUser('listing tools', () => host.invoke('servers:listTools', { name: SERVER }));
    log(`tools: ${tools.map((tool) => tool.name).join(', ') || 'none'}`);
    for (const tool of tools) {
      try {
        const result = await asUser(`calling ${tool.name}`, () =>
          host.invoke('servers:callTool', { name: SERVER, tool: tool.name, arguments: formValues(tool.inputSchema) }),
        );
        log(`called ${tool.name}${result.isError ? ' (tool error)' : ''}`);
      } catch (error) {
        log(`calling ${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    }
  } finally {
    await Promise.all(browsing);
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
    log('closed');
  }
}

async function waitFor<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the server to connect');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    log(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
