/**
 * The servers slice: the configured servers and their status, which one is selected or edited,
 * each server's tool list, and the tool runner's runs (kept per tool, so a run survives switching
 * views), OAuth sign-in and the app-wide sign-in settings. Fed by `servers:changed`.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../shared/contract';
import type { AuthSettingsView, ServerDefinition, ServerStatus, ToolCallResult, ToolInfo } from '../../../shared/domain';
import { errorMessage, toJson } from '../lib/format';
import { exampleArguments } from '../lib/schema-defaults';
import { forgetProgress, newCallId } from './activity';
import { toast } from './app';
import { host } from './host';

export interface ToolList {
  loading: boolean;
  tools?: ToolInfo[];
  error?: string;
}

export interface ToolRun {
  args: string;
  running: boolean;
  startedAt?: number;
  result?: ToolCallResult;
  error?: string;
  /** The running call's id (its progress events and Cancel use it). */
  callId?: string;
  /** The user pressed Cancel on the last call. */
  cancelled?: boolean;
  /** A tool whose task support is `optional`: run it as a task. */
  asTask?: boolean;
}

export type ServerFormState = { mode: 'add' } | { mode: 'edit'; name: string } | null;

export interface ServersState {
  servers: ServerStatus[];
  serversLoaded: boolean;
  selectedServer: string | null;
  serverForm: ServerFormState;
  tools: Record<string, ToolList>;
  openTool: { server: string; tool: string } | null;
  toolRuns: Record<string, ToolRun>;
  /** The app-wide OAuth settings (the client metadata document), once the server form asked for them. */
  authSettings?: AuthSettingsView;
}

export const initialServersState = (): ServersState => ({
  servers: [],
  serversLoaded: false,
  selectedServer: null,
  serverForm: null,
  tools: {},
  openTool: null,
  toolRuns: {},
});

export const useServers = create<ServersState>()(initialServersState);

const set = useServers.setState;
const get = useServers.getState;

export function subscribeServers(api: SluiceApi): () => void {
  return api.on('servers:changed', (servers) => set({ servers, serversLoaded: true }));
}

export function toolRunKey(server: string, tool: string): string {
  return `${server}\u0000${tool}`;
}

export async function refreshServers(): Promise<void> {
  const servers = await host().invoke('servers:list', {});
  set({ servers, serversLoaded: true });
}

export function selectServer(name: string | null): void {
  set({ selectedServer: name, serverForm: null });
}

export function openServerForm(form: ServerFormState): void {
  set({ serverForm: form });
}

/**
 * `clientSecret`, `privateKey`: an OAuth client's new secret or key, `null` removes the stored one,
 * absent keeps it; `idp`: likewise for enterprise-managed sign-in's identity provider secret and ID token.
 */
export async function saveServer(
  definition: ServerDefinition,
  previousName?: string,
  clientSecret?: string | null,
  privateKey?: string | null,
  idp: { clientSecret?: string | null; idToken?: string | null } = {},
): Promise<void> {
  await host().invoke('servers:save', {
    definition,
    ...(previousName !== undefined ? { previousName } : {}),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(idp.clientSecret !== undefined ? { idpClientSecret: idp.clientSecret } : {}),
    ...(idp.idToken !== undefined ? { idpIdToken: idp.idToken } : {}),
  });
  // Saving restarts the server and can take seconds: only a form that is still open moves on to
  // the saved server; a user who went elsewhere meanwhile (another server, Import…) stays there.
  const formName = previousName ?? definition.name;
  set((s) => {
    const stillOpen = s.serverForm !== null && (s.serverForm.mode === 'add' || s.serverForm.name === formName);
    return {
      ...(stillOpen ? { serverForm: null, selectedServer: definition.name } : {}),
      ...(s.selectedServer === previousName && previousName !== definition.name ? { selectedServer: definition.name } : {}),
      tools: previousName && previousName !== definition.name ? withoutKey(s.tools, previousName) : s.tools,
    };
  });
  await refreshServers().catch(() => undefined);
}

export async function removeServer(name: string): Promise<void> {
  const status = get().servers.find((s) => s.definition.name === name);
  try {
    await host().invoke('servers:remove', { name });
  } catch (error) {
    toast('error', `Could not remove ${name}: ${errorMessage(error)}`);
    return;
  }
  set((s) => ({
    selectedServer: s.selectedServer === name ? null : s.selectedServer,
    serverForm: s.serverForm?.mode === 'edit' && s.serverForm.name === name ? null : s.serverForm,
    tools: withoutKey(s.tools, name),
  }));
  await refreshServers().catch(() => undefined);
  if (status) {
    toast('info', `Removed server ${name}.`, {
      label: 'Undo',
      run: () => void saveServer(status.definition).catch((error) => toast('error', `Could not restore ${name}: ${errorMessage(error)}`)),
    });
  }
}

export async function restartServer(name: string): Promise<void> {
  try {
    await host().invoke('servers:restart', { name });
  } catch (error) {
    toast('error', `Could not restart ${name}: ${errorMessage(error)}`);
  }
}

export async function setServerEnabled(status: ServerStatus, enabled: boolean): Promise<void> {
  const name = status.definition.name;
  try {
    await host().invoke('servers:setEnabled', { name, enabled });
    await refreshServers().catch(() => undefined);
  } catch (error) {
    toast('error', `Could not ${enabled ? 'enable' : 'disable'} ${name}: ${errorMessage(error)}`);
  }
}

export async function loadTools(name: string): Promise<void> {
  set((s) => ({ tools: { ...s.tools, [name]: { ...s.tools[name], loading: true, error: undefined } } }));
  try {
    const tools = await host().invoke('servers:listTools', { name });
    set((s) => ({ tools: { ...s.tools, [name]: { loading: false, tools } } }));
  } catch (error) {
    set((s) => ({ tools: { ...s.tools, [name]: { loading: false, error: errorMessage(error) } } }));
  }
}

export function openToolRunner(server: string, tool: ToolInfo): void {
  const key = toolRunKey(server, tool.name);
  set((s) => ({
    openTool: { server, tool: tool.name },
    toolRuns: s.toolRuns[key] ? s.toolRuns : { ...s.toolRuns, [key]: { args: toJson(exampleArguments(tool.inputSchema)), running: false } },
  }));
}

export function closeToolRunner(): void {
  set({ openTool: null });
}

function patchRun(key: string, patch: Partial<ToolRun>): void {
  set((s) => ({ toolRuns: { ...s.toolRuns, [key]: { args: '{}', running: false, ...s.toolRuns[key], ...patch } } }));
}

export function setToolArgs(server: string, tool: string, args: string): void {
  patchRun(toolRunKey(server, tool), { args });
}

/** Calls a tool without blocking anything: a sampling request it triggers shows up meanwhile. */
export async function callTool(server: string, tool: string): Promise<void> {
  const key = toolRunKey(server, tool);
  const run = get().toolRuns[key];
  if (!run || run.running) return;
  let args: unknown;
  try {
    args = JSON.parse(run.args.trim() === '' ? '{}' : run.args);
  } catch (error) {
    patchRun(key, { result: undefined, error: `The arguments are not valid JSON: ${errorMessage(error)}` });
    return;
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) {
    patchRun(key, { result: undefined, error: 'The arguments must be a JSON object, e.g. {}' });
    return;
  }
  const callId = newCallId();
  patchRun(key, { running: true, startedAt: Date.now(), result: undefined, error: undefined, cancelled: false, callId });
  try {
    const result = await host().invoke('servers:callTool', {
      name: server,
      tool,
      arguments: args as Record<string, unknown>,
      callId,
      asTask: run.asTask,
    });
    patchRun(key, { running: false, result });
  } catch (error) {
    patchRun(key, { running: false, error: errorMessage(error) });
  } finally {
    forgetProgress(callId);
  }
}

/** Marks the run cancelled and asks the host to cancel it (the result area then says so). */
export function markToolRunCancelled(server: string, tool: string): string | undefined {
  const key = toolRunKey(server, tool);
  const callId = get().toolRuns[key]?.callId;
  if (callId) patchRun(key, { cancelled: true });
  return callId;
}

export function setToolRunAsTask(server: string, tool: string, asTask: boolean): void {
  patchRun(toolRunKey(server, tool), { asTask });
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

// ---------- sign-in (OAuth) ----------

/** Starts signing in; returns the authorization page to open (web mode), `undefined` when it failed (toasted). */
export async function signIn(name: string): Promise<{ authorizationUrl?: string } | undefined> {
  try {
    const { authorizationUrl } = await host().invoke('servers:signIn', { name });
    return { authorizationUrl };
  } catch (error) {
    toast('error', `Could not start signing in to ${name}: ${errorMessage(error)}`);
    return undefined;
  }
}

export async function signOut(name: string): Promise<void> {
  try {
    await host().invoke('servers:signOut', { name });
  } catch (error) {
    toast('error', `Could not sign out of ${name}: ${errorMessage(error)}`);
  }
}

/** Reads the app-wide sign-in settings (throws: the form says why). */
export async function loadAuthSettings(): Promise<AuthSettingsView> {
  const authSettings = await host().invoke('auth:settings', {});
  set({ authSettings });
  return authSettings;
}

/** Sets (or, with an empty `clientMetadataUrl`, clears) the app-wide client metadata document; returns what the host then has. */
export async function saveAuthSettings(clientMetadataUrl: string): Promise<AuthSettingsView> {
  await host().invoke('auth:setSettings', clientMetadataUrl ? { clientMetadataUrl } : {});
  return loadAuthSettings();
}
