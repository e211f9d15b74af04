/**
 * The server-browse slice: browsing one server (logs, resources, templates, prompts) and importing
 * servers from other hosts. Fed by the host's `servers:log` and `servers:listChanged` events;
 * follows the servers slice (picking a server leaves the import panel), never the reverse.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../shared/contract';
import type {
  GetPromptResult,
  ImportLocation,
  ImportPreview,
  ListKind,
  LogLevel,
  PromptInfo,
  ReadResourceResult,
  ResourceInfo,
  ResourceTemplateInfo,
  ServerLogEntry,
} from '../../../shared/server-features';
import { errorMessage } from '../lib/format';
import { forgetProgress, newCallId } from './activity';
import { host } from './host';
import { loadTools, useServers } from './servers';

const LOG_KEPT = 1_000;

export interface Loadable<T> {
  loading: boolean;
  value?: T;
  error?: string;
  /** While loading: the call's id (progress, Cancel). */
  callId?: string;
}

/** Prompt results kept per server (newest first). */
export const PROMPT_RESULTS_KEPT = 5;

export interface PromptRun extends Loadable<GetPromptResult> {
  id: string;
  name: string;
  arguments: Record<string, string>;
}

export interface ServerBrowse {
  resources?: Loadable<{ resources: ResourceInfo[]; templates: ResourceTemplateInfo[] }>;
  prompts?: Loadable<PromptInfo[]>;
  reads: Record<string, Loadable<ReadResourceResult>>;
  /** The last few prompt gets, newest first. */
  promptRuns?: PromptRun[];
}

export type ImportStep =
  | { step: 'closed' }
  | { step: 'choose'; locations?: Loadable<ImportLocation[]>; path: string; error?: string; busy?: boolean }
  | { step: 'preview'; preview: ImportPreview; busy?: boolean; error?: string };

interface FeatureState {
  logs: Record<string, ServerLogEntry[]>;
  logsLoaded: Record<string, boolean>;
  browse: Record<string, ServerBrowse>;
  importer: ImportStep;
  /** First run: other apps' configs that list servers (the empty Servers screen offers them). */
  importOffer: ImportLocation[];
}

export const initialServerBrowseState = (): FeatureState => ({
  logs: {},
  logsLoaded: {},
  browse: {},
  importer: { step: 'closed' },
  importOffer: [],
});

export const useServerFeatures = create<FeatureState>()(initialServerBrowseState);
const set = useServerFeatures.setState;
const get = useServerFeatures.getState;

/** Subscribes to the host's server events and to the servers slice (returns the unsubscribe). */
export function subscribeServerBrowse(api: SluiceApi): () => void {
  const off = [
    api.on('servers:log', ({ name, entry }) => {
      if (!get().logsLoaded[name]) return;
      set((s) => ({ logs: { ...s.logs, [name]: [...(s.logs[name] ?? []), entry].slice(-LOG_KEPT) } }));
    }),
    api.on('servers:listChanged', ({ name, kind }) => void refreshList(name, kind)),
    // Picking a server in the list leaves the import panel.
    useServers.subscribe((state, previous) => {
      if (state.selectedServer !== previous.selectedServer && state.selectedServer !== null) closeImport();
      if (state.serverForm && !previous.serverForm) closeImport();
    }),
  ];
  return () => off.forEach((unsubscribe) => unsubscribe());
}

function patchBrowse(name: string, patch: (browse: ServerBrowse) => Partial<ServerBrowse>): void {
  set((s) => {
    const current = s.browse[name] ?? { reads: {} };
    return { browse: { ...s.browse, [name]: { ...current, ...patch(current) } } };
  });
}

async function refreshList(name: string, kind: ListKind): Promise<void> {
  if (kind === 'tools') {
    if (useServers.getState().tools[name]) await loadTools(name);
  } else if (kind === 'resources') {
    if (get().browse[name]?.resources) await loadResources(name);
  } else if (get().browse[name]?.prompts) {
    await loadPrompts(name);
  }
}

// ---------- logs ----------

export async function loadLogs(name: string): Promise<void> {
  try {
    const entries = await host().invoke('servers:logs', { name });
    set((s) => ({ logs: { ...s.logs, [name]: entries }, logsLoaded: { ...s.logsLoaded, [name]: true } }));
  } catch {
    set((s) => ({ logsLoaded: { ...s.logsLoaded, [name]: true } }));
  }
}

export function clearLogView(name: string): void {
  set((s) => ({ logs: { ...s.logs, [name]: [] } }));
}

/** Asks the server to send log messages of `level` and above (throws: the log panel says why). */
export async function setServerLogLevel(name: string, level: LogLevel): Promise<void> {
  await host().invoke('servers:setLogLevel', { name, level });
}

// ---------- resources and prompts ----------

export async function loadResources(name: string): Promise<void> {
  patchBrowse(name, (b) => ({ resources: { ...b.resources, loading: true, error: undefined } }));
  try {
    const api = host();
    const [resources, templates] = await Promise.all([
      api.invoke('servers:listResources', { name }),
      api.invoke('servers:listResourceTemplates', { name }),
    ]);
    patchBrowse(name, () => ({ resources: { loading: false, value: { resources, templates } } }));
  } catch (error) {
    patchBrowse(name, () => ({ resources: { loading: false, error: errorMessage(error) } }));
  }
}

export async function readResource(name: string, uri: string): Promise<void> {
  if (get().browse[name]?.reads[uri]?.loading) return;
  const callId = newCallId();
  // The old contents stay on screen while the resource is read again.
  patchBrowse(name, (b) => ({ reads: { ...b.reads, [uri]: { ...b.reads[uri], loading: true, callId } } }));
  try {
    const value = await host().invoke('servers:readResource', { name, uri, callId });
    patchBrowse(name, (b) => ({ reads: { ...b.reads, [uri]: { loading: false, value } } }));
  } catch (error) {
    patchBrowse(name, (b) => ({ reads: { ...b.reads, [uri]: { loading: false, error: errorMessage(error) } } }));
  } finally {
    forgetProgress(callId);
  }
}

/** A subscribed resource changed: read it again if its contents are on screen. */
export function rereadIfShown(name: string, uri: string): void {
  if (get().browse[name]?.reads[uri]) void readResource(name, uri);
}

export async function loadPrompts(name: string): Promise<void> {
  patchBrowse(name, (b) => ({ prompts: { ...b.prompts, loading: true, error: undefined } }));
  try {
    const value = await host().invoke('servers:listPrompts', { name });
    patchBrowse(name, () => ({ prompts: { loading: false, value } }));
  } catch (error) {
    patchBrowse(name, () => ({ prompts: { loading: false, error: errorMessage(error) } }));
  }
}

export async function getPrompt(name: string, prompt: string, args: Record<string, string>): Promise<void> {
  const callId = newCallId();
  const run: PromptRun = { id: callId, name: prompt, arguments: args, loading: true, callId };
  patchBrowse(name, (b) => ({ promptRuns: [run, ...(b.promptRuns ?? [])].slice(0, PROMPT_RESULTS_KEPT) }));
  const settle = (patch: Partial<PromptRun>) =>
    patchBrowse(name, (b) => ({ promptRuns: (b.promptRuns ?? []).map((r) => (r.id === callId ? { ...r, ...patch, loading: false } : r)) }));
  try {
    settle({ value: await host().invoke('servers:getPrompt', { name, prompt, arguments: args, callId }) });
  } catch (error) {
    settle({ error: errorMessage(error) });
  } finally {
    forgetProgress(callId);
  }
}

export function removePromptRun(name: string, id: string): void {
  patchBrowse(name, (b) => ({ promptRuns: (b.promptRuns ?? []).filter((r) => r.id !== id) }));
}

// ---------- import ----------

export function openImport(): void {
  useServers.setState({ serverForm: null, selectedServer: null });
  set({ importer: { step: 'choose', path: '', locations: { loading: true } } });
  host()
    .invoke('import:scan', {})
    .then((locations) => patchChoose({ locations: { loading: false, value: locations } }))
    .catch((error: unknown) => patchChoose({ locations: { loading: false, error: errorMessage(error) } }));
}

/** The first-run offer: configs of other apps that list servers and can be read. */
export async function loadImportOffer(): Promise<void> {
  try {
    const locations = await host().invoke('import:scan', {});
    set({ importOffer: locations.filter((l) => l.exists && !l.problem && (l.serverCount ?? 0) > 0) });
  } catch {
    // The offer is a shortcut: without it, "Import…" in the header still scans and says what failed.
  }
}

/** "Choose file…": the desktop app's file picker, then the preview of the picked file. */
export async function chooseImportFile(): Promise<void> {
  try {
    const picked = await host().invoke('import:pickFile', {});
    if (picked.path) await previewImport(picked.path);
  } catch (error) {
    patchChoose({ error: errorMessage(error) });
  }
}

export function closeImport(): void {
  if (get().importer.step !== 'closed') set({ importer: { step: 'closed' } });
}

export function patchChoose(patch: Partial<Extract<ImportStep, { step: 'choose' }>>): void {
  set((s) => (s.importer.step === 'choose' ? { importer: { ...s.importer, ...patch } } : {}));
}

export async function previewImport(path: string): Promise<void> {
  patchChoose({ busy: true, error: undefined, path });
  try {
    const preview = await host().invoke('import:preview', { path });
    set((s) => (s.importer.step === 'choose' ? { importer: { step: 'preview', preview } } : {}));
  } catch (error) {
    patchChoose({ busy: false, error: errorMessage(error) });
  }
}

export function backToChoose(): void {
  const current = get().importer;
  const path = current.step === 'preview' ? current.preview.path : '';
  set({ importer: { step: 'choose', path } });
  void host()
    .invoke('import:scan', {})
    .then((locations) => patchChoose({ locations: { loading: false, value: locations } }))
    .catch(() => undefined);
}

/** Imports the picks; returns the host's summary lines (for a toast), or throws. */
export async function applyImport(
  path: string,
  digest: string,
  picks: Array<{ sourceName: string; name: string }>,
  inputValues: Record<string, string>,
): Promise<string[]> {
  set((s) => (s.importer.step === 'preview' ? { importer: { ...s.importer, busy: true, error: undefined } } : {}));
  try {
    const result = await host().invoke('import:apply', { path, digest, picks, inputValues });
    set({ importer: { step: 'closed' } });
    const first = result.imported[0]?.name;
    if (first) useServers.setState({ selectedServer: first });
    return result.imported.map((i) => (i.note ? `${i.name} (${i.note})` : i.name));
  } catch (error) {
    set((s) => (s.importer.step === 'preview' ? { importer: { ...s.importer, busy: false, error: errorMessage(error) } } : {}));
    throw error;
  }
}
