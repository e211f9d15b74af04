/**
 * The renderer's sampling extras, kept apart from the main store: the kill switch and per-server
 * policies, problems with their one-click fixes, bulk approve/reject, usage totals, and the
 * "a request waits" notification when the window is not focused. `startSamplingExtras` is called
 * once from `startSluice`.
 */
import { create } from 'zustand';
import type { ModelRef, SamplingFix, SamplingProblem, ServerSamplingPolicy, UsageRow } from '../../../../shared/domain';
import type { SluiceApi } from '../../../../shared/contract';
import { getApi } from '../../api';
import { errorMessage } from '../../lib/format';
import { modelKey } from '../../lib/models';
import { selectServer, setView, toast, useStore } from '../../store';

interface SamplingExtrasState {
  paused: boolean;
  policies: Record<string, ServerSamplingPolicy>;
  loaded: boolean;
  /** Recent problems, newest first (shown in the Requests view). */
  problems: SamplingProblem[];
  usage: UsageRow[];
  /** A provider the user should look at (the "add a key" fix). */
  focusProviderId: string | null;
}

export const useSamplingExtras = create<SamplingExtrasState>()(() => ({
  paused: false,
  policies: {},
  loaded: false,
  problems: [],
  usage: [],
  focusProviderId: null,
}));

const set = useSamplingExtras.setState;
const get = useSamplingExtras.getState;

export function policyOf(serverName: string): ServerSamplingPolicy {
  return get().policies[serverName] ?? { policy: 'ask' };
}

export async function refreshSamplingSettings(): Promise<void> {
  const settings = await getApi().invoke('sampling:settings', {});
  set({ paused: settings.paused, policies: settings.policies, loaded: true });
}

export async function refreshUsage(): Promise<void> {
  set({ usage: await getApi().invoke('history:usage', {}) });
}

export async function setPaused(paused: boolean): Promise<void> {
  try {
    await getApi().invoke('sampling:setPaused', { paused });
    set({ paused });
    if (!paused) dropResumeToasts();
    toast(paused ? 'warning' : 'success', paused ? 'Sampling paused: every request is refused until you resume.' : 'Sampling resumed.');
  } catch (error) {
    toast('error', `Could not ${paused ? 'pause' : 'resume'} sampling: ${errorMessage(error)}`);
  }
}

export async function savePolicy(serverName: string, policy: ServerSamplingPolicy | undefined): Promise<void> {
  await getApi().invoke('sampling:setPolicy', policy ? { serverName, policy } : { serverName });
  set((s) => {
    const { [serverName]: _old, ...rest } = s.policies;
    return { policies: policy ? { ...rest, [serverName]: policy } : rest };
  });
}

export async function allowModel(serverName: string, model: ModelRef): Promise<void> {
  const current = policyOf(serverName);
  const key = modelKey(model);
  const allowed = [...new Set([...(current.allowedModels ?? []), key])];
  try {
    await savePolicy(serverName, { ...current, allowedModels: allowed });
    toast('success', `${model.model} is now allowed for ${serverName}.`);
  } catch (error) {
    toast('error', `Could not allow ${model.model}: ${errorMessage(error)}`);
  }
}

export function focusProvider(providerId: string | null): void {
  set({ focusProviderId: providerId });
  setView('providers');
}

export function openServerPolicy(serverName: string): void {
  setView('servers');
  selectServer(serverName);
}

/** The label and action of a problem's one-click fix. */
export function fixAction(fix: SamplingFix): { label: string; run: () => void } {
  switch (fix.kind) {
    case 'add-key':
      return { label: 'Add a key', run: () => focusProvider(fix.providerId) };
    case 'add-provider':
      return { label: 'Add a provider', run: () => focusProvider(null) };
    case 'allow-model':
      return { label: `Allow ${fix.model.model}`, run: () => void allowModel(fix.serverName, fix.model) };
    case 'resume':
      return { label: 'Resume sampling', run: () => void setPaused(false) };
    case 'open-policy':
      return { label: 'Open policy', run: () => openServerPolicy(fix.serverName) };
  }
}

export async function approveAllFrom(serverName: string): Promise<void> {
  try {
    const { approved, skipped } = await getApi().invoke('sampling:approveAll', { serverName });
    const note = skipped ? ` ${skipped} preselected for a manual answer stayed in the queue.` : '';
    toast('success', `Approved ${approved} request(s) from ${serverName}.${note}`);
  } catch (error) {
    toast('error', `Could not approve all from ${serverName}: ${errorMessage(error)}`);
  }
}

export async function rejectAllFrom(serverName: string): Promise<void> {
  try {
    const { rejected } = await getApi().invoke('sampling:rejectAll', { serverName });
    toast('info', `Rejected ${rejected} request(s) from ${serverName}.`);
  } catch (error) {
    toast('error', `Could not reject all from ${serverName}: ${errorMessage(error)}`);
  }
}

// ---------- notifications ----------

const BASE_TITLE = typeof document !== 'undefined' ? document.title || 'Sluice' : 'Sluice';

function updateTitle(count: number): void {
  if (typeof document === 'undefined') return;
  document.title = count > 0 ? `(${count}) ${BASE_TITLE}` : BASE_TITLE;
}

/**
 * In a browser tab (web mode) the OS notification comes from the Notification API, when the
 * user allowed it; the desktop app's main process shows its own native notification and badge.
 */
function notifyWaiting(serverName: string, mode: 'desktop' | 'web' | undefined): void {
  if (mode !== 'web' || typeof document === 'undefined' || document.hasFocus()) return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification('Sluice: sampling request waiting', { body: `${serverName} asks for a model completion.`, tag: 'sluice-sampling' });
  notification.onclick = () => window.focus();
}

export function canAskForNotifications(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'default';
}

export async function askForNotifications(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  await Notification.requestPermission().catch(() => undefined);
}

/** The "Resume sampling" buttons of problem toasts: stale once sampling runs again, so those toasts go. */
const resumeActions = new WeakSet<object>();

function dropResumeToasts(): void {
  useStore.setState((s) => ({ toasts: s.toasts.filter((t) => !(t.action && resumeActions.has(t.action))) }));
}

/** Whether a problem's fix still applies (a "Resume" fix does not once sampling was resumed). */
export function fixApplies(fix: SamplingFix | undefined): boolean {
  return fix !== undefined && !(fix.kind === 'resume' && !get().paused);
}

let started = false;

export function startSamplingExtras(api: SluiceApi): void {
  if (started) return;
  started = true;
  api.on('sampling:settingsChanged', (settings) => {
    set({ paused: settings.paused, policies: settings.policies, loaded: true });
    if (!settings.paused) dropResumeToasts();
  });
  api.on('sampling:problem', (problem) => {
    set((s) => ({ problems: [problem, ...s.problems].slice(0, 20) }));
    const action = problem.fix && fixApplies(problem.fix) ? fixAction(problem.fix) : undefined;
    if (action && problem.fix?.kind === 'resume') resumeActions.add(action);
    toast('error', `${problem.serverName}: ${problem.message}`, action);
  });
  api.on('sampling:added', (request) => notifyWaiting(request.serverName, useStore.getState().info?.mode));
  api.on('history:added', () => void refreshUsage().catch(() => undefined));
  useStore.subscribe((state, previous) => {
    if (state.pending.length !== previous.pending.length) updateTitle(state.pending.length);
  });
  void refreshSamplingSettings().catch(() => undefined);
  void refreshUsage().catch(() => undefined);
}
