/**
 * The renderer's state: one zustand store fed by the host's events, plus the actions that call it.
 * Events are subscribed once, at startup (`startSluice`), never from React effects.
 */
import { create } from 'zustand';
import { getApi } from './api';
import type {
  AppInfo,
  PendingSampling,
  ProviderInput,
  ProviderTestInput,
  ProviderView,
  SamplingEndReason,
  ServerDefinition,
  ServerStatus,
  ToolCallResult,
  ToolInfo,
  UpdateState,
} from '../../shared/domain';
import type { CreateMessageResult } from '../../shared/mcp';
import { answerContent, buildParams, createDraft, resultText, type RequestDraft } from './lib/draft';
import { errorMessage, toJson } from './lib/format';
import { parseModelKey } from './lib/models';
import { exampleArguments } from './lib/schema-defaults';
import { startSamplingExtras } from './components/sampling/sampling-store';
import { rereadIfShown, startServerFeatures } from './components/servers/server-features-store';
import { forgetProgress, newCallId, startActivity } from './components/servers/activity-store';
import { startElicitation } from './components/elicitation/elicitation-store';
import { startHistory } from './state/history';

export type View = 'servers' | 'requests' | 'providers' | 'history' | 'apps';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'warning' | 'error';
  text: string;
  action?: { label: string; run: () => void };
}

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

/**
 * The request whose dialog was open when the server cancelled it, timed out or went away: the
 * dialog stays, in a "the server gave up" state with the user's edits (copyable, nothing can be
 * sent), until the user closes it. Edits are never thrown away under the user's hands.
 */
export interface EndedDialog {
  request: PendingSampling;
  draft: RequestDraft;
  reason: SamplingEndReason;
  message: string;
}

export type ServerFormState = { mode: 'add' } | { mode: 'edit'; name: string } | null;

export interface SluiceState {
  view: View;
  info?: AppInfo;
  /** The desktop app's self-update (web mode: `supported: false`). */
  updates?: UpdateState;
  /** Web mode: the socket to the host is down (`newAddress`: the host restarted with a new token). */
  bridgeLost?: { newAddress: boolean };
  notices: string[];
  loadError?: string;

  servers: ServerStatus[];
  serversLoaded: boolean;
  selectedServer: string | null;
  serverForm: ServerFormState;
  tools: Record<string, ToolList>;
  openTool: { server: string; tool: string } | null;
  toolRuns: Record<string, ToolRun>;

  pending: PendingSampling[];
  drafts: Record<string, RequestDraft>;
  /** The request the user explicitly opened; else the dialog shows the oldest pending one. */
  dialogId: string | null;
  /** The user put the dialog aside; a new request brings it back. */
  dialogHidden: boolean;
  endedDialog: EndedDialog | null;

  providers: ProviderView[];
  providersLoaded: boolean;
  toasts: Toast[];
}

export const useStore = create<SluiceState>()(() => ({
  view: 'servers',
  notices: [],
  servers: [],
  serversLoaded: false,
  selectedServer: null,
  serverForm: null,
  tools: {},
  openTool: null,
  toolRuns: {},
  pending: [],
  drafts: {},
  dialogId: null,
  dialogHidden: false,
  endedDialog: null,
  providers: [],
  providersLoaded: false,
  toasts: [],
}));

const set = useStore.setState;
const get = useStore.getState;

// ---------- selectors ----------

/** The request whose dialog is showing, if any (none while an ended one is still open). */
export function selectDialogRequest(state: SluiceState): PendingSampling | undefined {
  if (state.endedDialog || state.dialogHidden || state.pending.length === 0) return undefined;
  return state.pending.find((p) => p.id === state.dialogId) ?? state.pending[0];
}

export function toolRunKey(server: string, tool: string): string {
  return `${server}\u0000${tool}`;
}

// ---------- toasts and notices ----------

let nextToastId = 1;

export function toast(kind: Toast['kind'], text: string, action?: Toast['action']): void {
  const id = nextToastId++;
  set((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, text, action }] }));
  if (kind === 'info' || kind === 'success') setTimeout(() => dismissToast(id), action ? 10_000 : 5_000);
}

export function dismissToast(id: number): void {
  set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

const dismissedNotices = new Set<string>();

export function dismissNotice(text: string): void {
  dismissedNotices.add(text);
  set((s) => ({ notices: s.notices.filter((n) => n !== text) }));
}

export function setView(view: View): void {
  // Navigating puts an open dialog aside; the Requests view and the sidebar badge bring it back.
  set((s) => ({ view, dialogHidden: s.pending.length > 0 ? true : s.dialogHidden }));
}

// ---------- loading ----------

function byReceived(a: PendingSampling, b: PendingSampling) {
  return a.receivedAt - b.receivedAt;
}

function setPending(list: PendingSampling[]): void {
  set((s) => {
    const drafts: Record<string, RequestDraft> = {};
    let fresh = false;
    for (const request of list) {
      const existing = s.drafts[request.id];
      if (!existing) fresh = true;
      drafts[request.id] = existing ?? createDraft(request);
    }
    return {
      pending: [...list].sort(byReceived),
      drafts,
      dialogId: s.dialogId && drafts[s.dialogId] ? s.dialogId : null,
      dialogHidden: fresh ? false : s.dialogHidden,
    };
  });
}

export async function refreshAll(): Promise<void> {
  const api = getApi();
  const results = await Promise.allSettled([
    api.invoke('app:info', {}).then((info) => {
      const notices = info.notices.filter((n) => !dismissedNotices.has(n));
      set({ info, notices });
    }),
    refreshServers(),
    api.invoke('updates:state', {}).then((updates) => set({ updates })),
    api.invoke('sampling:list', {}).then(setPending),
    refreshProviders(),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  set({ loadError: failed ? `Could not load everything from the Sluice host: ${errorMessage(failed.reason)}` : undefined });
}

/** The setting "Check for updates at start" (Help → Check for Updates works either way). */
export async function setUpdatesEnabled(enabled: boolean): Promise<void> {
  try {
    set({ updates: await getApi().invoke('updates:setEnabled', { enabled }) });
  } catch (error) {
    toast('error', `Could not change the update setting: ${errorMessage(error)}`);
  }
}

/** "Restart to update": quits and installs the downloaded version. */
export async function restartToUpdate(): Promise<void> {
  try {
    await getApi().invoke('updates:restart', {});
  } catch (error) {
    toast('error', `Could not restart to update: ${errorMessage(error)}`);
  }
}

export async function refreshServers(): Promise<void> {
  const servers = await getApi().invoke('servers:list', {});
  set({ servers, serversLoaded: true });
}

export async function refreshProviders(): Promise<void> {
  const providers = await getApi().invoke('providers:list', {});
  set({ providers, providersLoaded: true });
}

let started = false;

/** Subscribes to the host's events (once) and loads everything. */
export function startSluice(): void {
  if (started) return;
  started = true;
  const api = getApi();
  api.on('servers:changed', (servers) => set({ servers, serversLoaded: true }));
  api.on('updates:changed', (updates) => set({ updates }));
  startServerFeatures(api);
  startActivity(api, rereadIfShown);
  api.on('sampling:added', (request) => addRequest(request));
  api.on('sampling:removed', ({ id, reason, message }) => removeRequest(id, reason, message));
  api.on('sampling:delta', ({ id, text }) => {
    const draft = get().drafts[id];
    if (draft?.phase === 'generating') patchDraft(id, { streamed: draft.streamed + text });
  });
  // New history rows reach an open History view (state/history.ts).
  startHistory(api);
  // Sampling policies, the kill switch, problems with fixes and notifications (components/sampling/sampling-store.ts).
  startSamplingExtras(api);
  api.onReconnect(() => {
    set({ bridgeLost: undefined });
    void refreshAll();
  });
  // Web mode: the banner says at once that what the page shows is no longer live.
  api.onConnectionLost?.((info) => set({ bridgeLost: info }));
  startElicitation();
  void refreshAll();
}

// ---------- sampling ----------

function addRequest(request: PendingSampling): void {
  set((s) => {
    if (s.pending.some((p) => p.id === request.id)) return {};
    return {
      pending: [...s.pending, request].sort(byReceived),
      drafts: { ...s.drafts, [request.id]: s.drafts[request.id] ?? createDraft(request) },
      dialogHidden: false,
    };
  });
}

function removeRequest(id: string, reason: SamplingEndReason, message: string): void {
  const request = get().pending.find((p) => p.id === id);
  if (!request) return;
  const draft = get().drafts[id];
  // The user is looking at it: keep the dialog (and their edits) in a "the server gave up" state.
  if ((reason === 'cancelled' || reason === 'failed') && draft && selectDialogRequest(get())?.id === id) {
    set({ endedDialog: { request, draft: { ...draft, busy: undefined }, reason, message } });
  }
  set((s) => {
    const { [id]: _gone, ...drafts } = s.drafts;
    return {
      pending: s.pending.filter((p) => p.id !== id),
      drafts,
      dialogId: s.dialogId === id ? null : s.dialogId,
    };
  });
  if (get().endedDialog?.request.id === id) return;
  const detail = message.trim() ? `: ${errorMessage(message.trim())}` : '.';
  if (reason === 'cancelled') toast('warning', `Request from ${request.serverName} was cancelled by the server${detail}`);
  else if (reason === 'failed') toast('error', `Request from ${request.serverName} failed${detail}`);
}

export function patchDraft(id: string, patch: Partial<RequestDraft> | ((draft: RequestDraft) => Partial<RequestDraft>)): void {
  set((s) => {
    const draft = s.drafts[id];
    if (!draft) return {};
    const changes = typeof patch === 'function' ? patch(draft) : patch;
    return { drafts: { ...s.drafts, [id]: { ...draft, ...changes } } };
  });
}

export function openRequest(id: string): void {
  set({ dialogId: id, dialogHidden: false });
}

export function hideDialog(): void {
  if (get().endedDialog) closeEndedDialog();
  else set({ dialogHidden: true });
}

/** Closes the dialog of a request the server gave up on (the next pending one, if any, shows). */
export function closeEndedDialog(): void {
  set({ endedDialog: null });
}

export async function generate(id: string): Promise<void> {
  const request = get().pending.find((p) => p.id === id);
  const draft = get().drafts[id];
  if (!request || !draft || draft.phase === 'generating') return;
  const built = buildParams(request.params, draft);
  if ('error' in built) {
    patchDraft(id, { formError: built.error });
    return;
  }
  const run = draft.run + 1;
  const model = parseModelKey(draft.modelKey);
  patchDraft(id, {
    phase: 'generating',
    generatedWith: model,
    run,
    streamed: '',
    answer: '',
    generation: undefined,
    stopped: false,
    startedAt: Date.now(),
    finishedAt: undefined,
    error: undefined,
    formError: undefined,
    actionError: undefined,
  });
  try {
    const generation = await getApi().invoke('sampling:generate', {
      id,
      params: built.params,
      model,
      ...(request.context && { keepContext: draft.keepContext }),
    });
    patchDraft(id, (d) => {
      if (d.run !== run) return {};
      const text = resultText(generation.result.content);
      return {
        phase: 'answer',
        generation,
        answer: text === '' && d.streamed !== '' ? d.streamed : text,
        finishedAt: Date.now(),
        busy: d.busy === 'stopping' ? undefined : d.busy,
      };
    });
  } catch (error) {
    patchDraft(id, (d) => {
      if (d.run !== run) return {};
      if (d.stopped) {
        // Stopped by the user: keep what streamed so far as an editable answer.
        return { phase: 'answer', answer: d.streamed, finishedAt: Date.now(), busy: d.busy === 'stopping' ? undefined : d.busy };
      }
      return { phase: 'error', error: errorMessage(error), finishedAt: Date.now() };
    });
  }
}

export async function stopGeneration(id: string): Promise<void> {
  patchDraft(id, { stopped: true, busy: 'stopping' });
  try {
    await getApi().invoke('sampling:stop', { id });
  } catch (error) {
    patchDraft(id, { actionError: `Could not stop: ${errorMessage(error)}` });
  } finally {
    patchDraft(id, (d) => (d.busy === 'stopping' ? { busy: undefined } : {}));
  }
}

export function answerModel(id: string): string {
  const draft = get().drafts[id];
  return draft?.generation?.result.model || draft?.generatedWith?.model || (draft ? parseModelKey(draft.modelKey).model : '');
}

export async function sendAnswer(id: string): Promise<void> {
  const draft = get().drafts[id];
  const request = get().pending.find((p) => p.id === id);
  if (!draft || !request || draft.busy) return;
  const generated = draft.generation?.result;
  const result: CreateMessageResult = {
    role: 'assistant',
    content: answerContent(generated?.content, draft.answer),
    model: answerModel(id) || 'unknown',
  };
  if (generated?.stopReason !== undefined) result.stopReason = generated.stopReason;
  patchDraft(id, { busy: 'sending', actionError: undefined });
  try {
    await getApi().invoke('sampling:send', { id, result });
    removeRequest(id, 'sent', '');
    toast('success', `Answer sent to ${request.serverName}.`);
  } catch (error) {
    patchDraft(id, { busy: undefined, actionError: `Could not send: ${errorMessage(error)}` });
  }
}

export async function rejectRequest(id: string, reason?: string): Promise<void> {
  const draft = get().drafts[id];
  const request = get().pending.find((p) => p.id === id);
  if (!draft || !request || draft.busy === 'rejecting' || draft.busy === 'sending') return;
  patchDraft(id, { busy: 'rejecting', actionError: undefined, stopped: draft.phase === 'generating' ? true : draft.stopped });
  try {
    if (draft.phase === 'generating') await getApi().invoke('sampling:stop', { id }).catch(() => undefined);
    await getApi().invoke('sampling:reject', reason ? { id, reason } : { id });
    removeRequest(id, 'rejected', '');
    toast('info', `Rejected the request from ${request.serverName}.`);
  } catch (error) {
    patchDraft(id, { busy: undefined, actionError: `Could not reject: ${errorMessage(error)}` });
  }
}

// ---------- servers ----------

export function selectServer(name: string | null): void {
  set({ selectedServer: name, serverForm: null });
}

export function openServerForm(form: ServerFormState): void {
  set({ serverForm: form });
}

/** `clientSecret`, `privateKey`: an OAuth client's new secret or key, `null` removes the stored one, absent keeps it. */
export async function saveServer(definition: ServerDefinition, previousName?: string, clientSecret?: string | null, privateKey?: string | null): Promise<void> {
  await getApi().invoke('servers:save', {
    definition,
    ...(previousName !== undefined ? { previousName } : {}),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
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
    await getApi().invoke('servers:remove', { name });
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
    await getApi().invoke('servers:restart', { name });
  } catch (error) {
    toast('error', `Could not restart ${name}: ${errorMessage(error)}`);
  }
}

export async function setServerEnabled(status: ServerStatus, enabled: boolean): Promise<void> {
  const name = status.definition.name;
  try {
    await getApi().invoke('servers:setEnabled', { name, enabled });
    await refreshServers().catch(() => undefined);
  } catch (error) {
    toast('error', `Could not ${enabled ? 'enable' : 'disable'} ${name}: ${errorMessage(error)}`);
  }
}

export async function loadTools(name: string): Promise<void> {
  set((s) => ({ tools: { ...s.tools, [name]: { ...s.tools[name], loading: true, error: undefined } } }));
  try {
    const tools = await getApi().invoke('servers:listTools', { name });
    set((s) => ({ tools: { ...s.tools, [name]: { loading: false, tools } } }));
  } catch (error) {
    set((s) => ({ tools: { ...s.tools, [name]: { loading: false, error: errorMessage(error) } } }));
  }
}

export function openToolRunner(server: string, tool: ToolInfo): void {
  const key = toolRunKey(server, tool.name);
  set((s) => ({
    openTool: { server, tool: tool.name },
    toolRuns: s.toolRuns[key]
      ? s.toolRuns
      : { ...s.toolRuns, [key]: { args: toJson(exampleArguments(tool.inputSchema)), running: false } },
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
    const result = await getApi().invoke('servers:callTool', { name: server, tool, arguments: args as Record<string, unknown>, callId, asTask: run.asTask });
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

// ---------- providers ----------

export async function saveProvider(input: ProviderInput): Promise<ProviderView> {
  const saved = await getApi().invoke('providers:save', input);
  await refreshProviders().catch(() => undefined);
  return saved;
}

export async function removeProvider(id: string): Promise<void> {
  await getApi().invoke('providers:remove', { id });
  await refreshProviders().catch(() => undefined);
}

/** Tests a provider as the form has it (nothing is saved); `id` lets the host use a stored key. */
export function testProvider(draft: ProviderTestInput) {
  return getApi().invoke('providers:test', draft);
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}
