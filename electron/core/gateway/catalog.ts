/**
 * The aggregated view the gateway serves: the tools, resources, resource templates and prompts of
 * every connected server that is exposed through the gateway, in the user's server order, with
 * the tables that route each name or URI back to its server.
 *
 * Each server's lists are fetched once per connection (keyed by its SDK client, so a reconnect
 * starts fresh) and dropped when the server says its list changed. Names: see names.ts. Resource
 * URIs are kept; when two servers list the same URI the first keeps it and the other's is listed
 * as `sluice://<server>/<uri>` with a note in its description (visible, reversible, never silent).
 */
import { createHash } from 'node:crypto';
import type { Client, Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/client';
import { UriTemplate } from '@modelcontextprotocol/server';
import type { ServerConnection } from '../servers/connection.js';
import type { ServerManager } from '../servers/manager.js';
import { clashUri, gatewayName, NAME_SEPARATOR, serverPrefix } from './names.js';
import type { GatewayApp, GatewayExposure } from './seams.js';

/** Pages read from one server for one list, and items kept: a server cannot make the gateway list forever. */
const MAX_PAGES = 20;
const MAX_ITEMS_PER_SERVER = 2_000;

interface ServerLists {
  tools?: Promise<Tool[]>;
  /** The tools by the name the apps call them (built once per list: `tools/call` is the hot path). */
  toolsByName?: Promise<Map<string, Tool>>;
  resources?: Promise<Resource[]>;
  templates?: Promise<ResourceTemplate[]>;
  prompts?: Promise<Prompt[]>;
}

type ListKey = keyof ServerLists;

export interface RoutedTool {
  connection: ServerConnection;
  tool: Tool;
}

/** What one app sees, per list kind, as a digest: list_changed goes only to apps whose digest changed. */
export interface AppView {
  tools: string;
  prompts: string;
  resources: string;
}

/** A server shown to an app that is not connected now, and why. */
export interface UnavailableServer {
  name: string;
  state: string;
  error?: string;
  /** When Sluice tries again (it crashed and is being restarted). */
  reconnectAt?: number;
}

/** Every server is exposed when its switch is on (the default). */
export const EXPOSE_SWITCHED_ON: GatewayExposure = {
  isExposed: () => true,
};

export class GatewayCatalog {
  private readonly lists = new WeakMap<Client, ServerLists>();

  constructor(
    private readonly servers: ServerManager,
    private readonly exposure: () => GatewayExposure,
  ) {}

  /** A server's lists changed (its list_changed notification): fetch them again next time. */
  forget(serverName: string, kind?: 'tools' | 'resources' | 'prompts'): void {
    const client = this.clientOf(serverName);
    if (!client) return;
    const lists = this.lists.get(client);
    if (!lists) return;
    if (!kind || kind === 'tools') {
      delete lists.tools;
      delete lists.toolsByName;
    }
    if (!kind || kind === 'prompts') delete lists.prompts;
    if (!kind || kind === 'resources') {
      delete lists.resources;
      delete lists.templates;
    }
  }

  /** The connected servers `app` may see, in the user's order. */
  visibleServers(app: GatewayApp): ServerConnection[] {
    const exposure = this.exposure();
    return this.servers
      .definitions()
      .filter((definition) => definition.enabled && (definition.gateway?.exposed ?? true))
      .map((definition) => this.servers.get(definition.name))
      .filter((connection) => connection.snapshot().state === 'connected' && exposure.isExposed(app, connection.name));
  }

  async tools(app: GatewayApp): Promise<Tool[]> {
    const exposure = this.exposure();
    const perServer = await Promise.all(
      this.visibleServers(app).map(async (connection) => {
        const byName = await this.toolIndex(connection);
        return [...byName]
          .filter(([, tool]) => exposure.isExposed(app, connection.name, tool.name))
          .map(([name, tool]) => ({ ...tool, name }));
      }),
    );
    return perServer.flat();
  }

  /** Digests of the lists `app` would get now (from the cached lists; a list that cannot be fetched counts as changed). */
  async view(app: GatewayApp): Promise<AppView> {
    const digest = async (read: () => Promise<unknown>) => {
      try {
        return createHash('sha256')
          .update(JSON.stringify(await read()))
          .digest('base64');
      } catch {
        return `unavailable ${Date.now()}`;
      }
    };
    const [tools, prompts, resources] = await Promise.all([
      digest(() => this.tools(app)),
      digest(() => this.prompts(app)),
      digest(async () => [
        (await this.resources(app)).map((entry) => entry.resource),
        (await this.templates(app)).map((entry) => entry.template),
      ]),
    ]);
    return { tools, prompts, resources };
  }

  /** The server and tool behind a gateway tool name, if `app` may call it. */
  async resolveTool(app: GatewayApp, name: string): Promise<RoutedTool | undefined> {
    const exposure = this.exposure();
    for (const connection of this.visibleServers(app)) {
      const tool = (await this.toolIndex(connection)).get(name);
      if (tool) return exposure.isExposed(app, connection.name, tool.name) ? { connection, tool } : undefined;
    }
    return undefined;
  }

  /**
   * The server a name belongs to when that server is switched on and shown to `app` but not
   * connected right now (starting, restarting after a crash, failed): the app is told so instead
   * of "unknown tool". Names are matched by the server's prefix, as its tools are not known then.
   */
  unavailableServer(app: GatewayApp, name: string): UnavailableServer | undefined {
    const exposure = this.exposure();
    for (const definition of this.servers.definitions()) {
      if (
        !definition.enabled ||
        !(definition.gateway?.exposed ?? true) ||
        !name.startsWith(`${serverPrefix(definition.name)}${NAME_SEPARATOR}`)
      )
        continue;
      const status = this.servers.get(definition.name).snapshot();
      if (status.state === 'connected' || !exposure.isExposed(app, definition.name)) continue;
      return { name: definition.name, state: status.state, error: status.error, reconnectAt: status.reconnect?.at };
    }
    return undefined;
  }

  async prompts(app: GatewayApp): Promise<Prompt[]> {
    const perServer = await Promise.all(
      this.visibleServers(app).map(async (connection) =>
        (await this.list(connection, 'prompts')).map((prompt) => ({ ...prompt, name: gatewayName(connection.name, prompt.name) })),
      ),
    );
    return perServer.flat();
  }

  async resolvePrompt(app: GatewayApp, name: string): Promise<{ connection: ServerConnection; prompt: Prompt } | undefined> {
    for (const connection of this.visibleServers(app)) {
      const prompt = (await this.list(connection, 'prompts')).find((candidate) => gatewayName(connection.name, candidate.name) === name);
      if (prompt) return { connection, prompt };
    }
    return undefined;
  }

  /** Resources with their routing: the URI the app sees → server and the server's own URI. */
  async resources(app: GatewayApp): Promise<Array<{ resource: Resource; connection: ServerConnection; uri: string }>> {
    const perServer = await Promise.all(
      this.visibleServers(app).map(async (connection) => ({ connection, resources: await this.list(connection, 'resources') })),
    );
    const seen = new Map<string, string>();
    const out: Array<{ resource: Resource; connection: ServerConnection; uri: string }> = [];
    for (const { connection, resources } of perServer) {
      for (const resource of resources) {
        const owner = seen.get(resource.uri);
        if (owner === undefined) {
          seen.set(resource.uri, connection.name);
          out.push({ resource, connection, uri: resource.uri });
          continue;
        }
        const renamed = clashUri(connection.name, resource.uri);
        const note = `(Sluice: "${owner}" also lists ${resource.uri}; this one is ${connection.name}'s)`;
        out.push({
          resource: { ...resource, uri: renamed, description: resource.description ? `${resource.description} ${note}` : note },
          connection,
          uri: resource.uri,
        });
      }
    }
    return out;
  }

  async templates(app: GatewayApp): Promise<Array<{ template: ResourceTemplate; connection: ServerConnection }>> {
    const perServer = await Promise.all(
      this.visibleServers(app).map(async (connection) =>
        (await this.list(connection, 'templates')).map((template) => ({ template, connection })),
      ),
    );
    return perServer.flat();
  }

  /**
   * The server that serves a URI the app asked for: a listed resource (renamed ones map back),
   * else the first template that matches it.
   */
  async resolveUri(app: GatewayApp, uri: string): Promise<{ connection: ServerConnection; uri: string } | undefined> {
    const listed = (await this.resources(app)).find((entry) => entry.resource.uri === uri);
    if (listed) return { connection: listed.connection, uri: listed.uri };
    for (const { template, connection } of await this.templates(app)) {
      if (safeMatch(template.uriTemplate, uri)) return { connection, uri };
    }
    return undefined;
  }

  /** The server whose template (by its exact `uriTemplate` string) a completion names. */
  async resolveTemplate(app: GatewayApp, uriTemplate: string): Promise<ServerConnection | undefined> {
    return (await this.templates(app)).find((entry) => entry.template.uriTemplate === uriTemplate)?.connection;
  }

  private clientOf(serverName: string): Client | undefined {
    try {
      return this.servers.get(serverName).clientForGateway();
    } catch {
      return undefined;
    }
  }

  private toolIndex(connection: ServerConnection): Promise<Map<string, Tool>> {
    const client = connection.clientForGateway();
    let lists = this.lists.get(client);
    if (!lists) this.lists.set(client, (lists = {}));
    const cached = lists.toolsByName;
    if (cached) return cached;
    const built = this.list(connection, 'tools').then(
      (tools) => new Map(tools.map((tool) => [gatewayName(connection.name, tool.name), tool])),
    );
    lists.toolsByName = built;
    built.catch(() => {
      if (lists.toolsByName === built) delete lists.toolsByName;
    });
    return built;
  }

  private list<K extends Exclude<ListKey, 'toolsByName'>>(connection: ServerConnection, key: K): NonNullable<ServerLists[K]> {
    const client = connection.clientForGateway();
    let lists = this.lists.get(client);
    if (!lists) this.lists.set(client, (lists = {}));
    const cached = lists[key];
    if (cached) return cached;
    const fresh = fetchList(client, key) as NonNullable<ServerLists[K]>;
    lists[key] = fresh;
    // A failed fetch is not remembered: the next list asks again.
    fresh.catch(() => {
      if (lists[key] === fresh) delete lists[key];
    });
    return fresh;
  }
}

function safeMatch(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false;
  }
}

async function fetchList(client: Client, key: Exclude<ListKey, 'toolsByName'>): Promise<unknown[]> {
  const capabilities = client.getServerCapabilities();
  const supported = key === 'tools' ? capabilities?.tools : key === 'prompts' ? capabilities?.prompts : capabilities?.resources;
  if (!supported) return [];
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = cursor ? { cursor } : undefined;
    const result =
      key === 'tools'
        ? await client.listTools(params)
        : key === 'prompts'
          ? await client.listPrompts(params)
          : key === 'resources'
            ? await client.listResources(params)
            : await client.listResourceTemplates(params);
    const page_ = result as { tools?: unknown[]; prompts?: unknown[]; resources?: unknown[]; resourceTemplates?: unknown[] };
    items.push(...(page_.tools ?? page_.prompts ?? page_.resources ?? page_.resourceTemplates ?? []));
    cursor = result.nextCursor;
    if (!cursor || items.length >= MAX_ITEMS_PER_SERVER) break;
  }
  return items.slice(0, MAX_ITEMS_PER_SERVER);
}
