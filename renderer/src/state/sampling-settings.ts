/**
 * The sampling-settings slice: the kill switch and per-server policies, problems with their
 * one-click fixes, bulk approve/reject, and usage totals. (The waiting requests themselves live
 * in the request queue, state/requests/.)
 */
import { create } from 'zustand';
import type { ModelRef, SamplingFix, SamplingProblem, ServerSamplingPolicy, UsageRow } from '../../../shared/domain';
import type { SluiceApi } from '../../../shared/contract';
import { errorMessage } from '../lib/format';
import { modelKey } from '../lib/models';
import { setView, toast, useApp } from './app';
import { host } from './host';
import { focusProvider } from './providers';
import { selectServer } from './servers';

interface SamplingExtrasState {
  paused: boolean;
  policies: Record<string, ServerSamplingPolicy>;
  loaded: boolean;
  /** Recent problems, newest first (shown in the Requests view). */
  problems: SamplingProblem[];
  usage: UsageRow[];
}

export const initialSamplingSettings = (): SamplingExtrasState => ({ paused: false, policies: {}, loaded: false, problems: [], usage: [] });

export const useSamplingExtras = create<SamplingExtrasState>()(initialSamplingSettings);

const set = useSamplingExtras.setState;
const get = useSamplingExtras.getState;

export function policyOf(serverName: string): ServerSamplingPolicy {
  return get().policies[serverName] ?? { policy: 'ask' };
}

export async function refreshSamplingSettings(): Promise<void> {
  const settings = await host().invoke('sampling:settings', {});
  set({ paused: settings.paused, policies: settings.policies, loaded: true });
}

export async function refreshUsage(): Promise<void> {
  set({ usage: await host().invoke('history:usage', {}) });
}

export async function setPaused(paused: boolean): Promise<void> {
  try {
    await host().invoke('sampling:setPaused', { paused });
    set({ paused });
    if (!paused) dropResumeToasts();
    toast(paused ? 'warning' : 'success', paused ? 'Sampling paused: every request is refused until you resume.' : 'Sampling resumed.');
  } catch (error) {
    toast('error', `Could not ${paused ? 'pause' : 'resume'} sampling: ${errorMessage(error)}`);
  }
}

export async function savePolicy(serverName: string, policy: ServerSamplingPolicy | undefined): Promise<void> {
  await host().invoke('sampling:setPolicy', policy ? { serverName, policy } : { serverName });
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
    const { approved, skipped } = await host().invoke('sampling:approveAll', { serverName });
    const note = skipped ? ` ${skipped} preselected for a manual answer stayed in the queue.` : '';
    toast('success', `Approved ${approved} request(s) from ${serverName}.${note}`);
  } catch (error) {
    toast('error', `Could not approve all from ${serverName}: ${errorMessage(error)}`);
  }
}

export async function rejectAllFrom(serverName: string): Promise<void> {
  try {
    const { rejected } = await host().invoke('sampling:rejectAll', { serverName });
    toast('info', `Rejected ${rejected} request(s) from ${serverName}.`);
  } catch (error) {
    toast('error', `Could not reject all from ${serverName}: ${errorMessage(error)}`);
  }
}

/** The "Resume sampling" buttons of problem toasts: stale once sampling runs again, so those toasts go. */
const resumeActions = new WeakSet<object>();

function dropResumeToasts(): void {
  useApp.setState((s) => ({ toasts: s.toasts.filter((t) => !(t.action && resumeActions.has(t.action))) }));
}

/** Whether a problem's fix still applies (a "Resume" fix does not once sampling was resumed). */
export function fixApplies(fix: SamplingFix | undefined): boolean {
  return fix !== undefined && !(fix.kind === 'resume' && !get().paused);
}

/** The host's sampling-settings events, and usage totals refreshed as history grows (returns the unsubscribe). */
export function subscribeSamplingSettings(api: SluiceApi): () => void {
  const off = [
    api.on('sampling:settingsChanged', (settings) => {
      set({ paused: settings.paused, policies: settings.policies, loaded: true });
      if (!settings.paused) dropResumeToasts();
    }),
    api.on('sampling:problem', (problem) => {
      set((s) => ({ problems: [problem, ...s.problems].slice(0, 20) }));
      const action = problem.fix && fixApplies(problem.fix) ? fixAction(problem.fix) : undefined;
      if (action && problem.fix?.kind === 'resume') resumeActions.add(action);
      toast('error', `${problem.serverName}: ${problem.message}`, action);
    }),
    api.on('history:added', () => void refreshUsage().catch(() => undefined)),
  ];
  return () => off.forEach((unsubscribe) => unsubscribe());
}
