/**
 * The renderer's gateway tool-call state: the calls waiting for the user (fed by host events) and
 * which one's dialog is open. Deliberately the same shape as the elicitation queue so that it folds
 * into the one request queue (issue 10) as another kind; the dialog body takes the call as a prop.
 */
import { create } from 'zustand';
import type { PendingToolCall, ToolCallEndReason } from '../../../../shared/toolcalls';
import { getApi } from '../../api';
import { errorMessage } from '../../lib/format';
import { toast, useStore as useMainStore } from '../../store';

interface ToolCallState {
  calls: PendingToolCall[];
  /** The call the user explicitly opened; else the oldest one. */
  openId: string | null;
  /** The user put the dialog aside ("Later" / Esc); a new call brings it back. */
  hidden: boolean;
}

export const useToolCalls = create<ToolCallState>()(() => ({ calls: [], openId: null, hidden: false }));
const set = useToolCalls.setState;
const get = useToolCalls.getState;

const byReceived = (a: PendingToolCall, b: PendingToolCall) => a.receivedAt - b.receivedAt;

function add(call: PendingToolCall): void {
  set((s) => ({ calls: [...s.calls.filter((c) => c.id !== call.id), call].sort(byReceived), hidden: false }));
}

function remove(id: string, reason: ToolCallEndReason, message: string): void {
  const call = get().calls.find((c) => c.id === id);
  if (!call) return;
  set((s) => ({ calls: s.calls.filter((c) => c.id !== id), openId: s.openId === id ? null : s.openId }));
  if (reason === 'cancelled') toast('warning', `${call.app.name} cancelled its call to ${call.tool.name}.`);
  else if (reason === 'timed-out' || reason === 'failed') toast('error', `The call to ${call.tool.name} from ${call.app.name} ended: ${message}`);
}

let started = false;

export function startToolCalls(): void {
  if (started) return;
  started = true;
  const api = getApi();
  api.on('toolCalls:added', add);
  api.on('toolCalls:removed', ({ id, reason, message }) => remove(id, reason, message));
  void api
    .invoke('toolCalls:list', {})
    .then((calls) => set((s) => ({ calls: [...calls].sort(byReceived), openId: s.openId })))
    .catch(() => undefined);
  // Navigating puts an open dialog aside, as for the other requests; the Requests view brings it back.
  useMainStore.subscribe((state, previous) => {
    if (state.view !== previous.view && selectOpenToolCall(get())) set({ hidden: true });
  });
}

export function selectOpenToolCall(state: ToolCallState): PendingToolCall | undefined {
  if (state.hidden) return undefined;
  return state.calls.find((c) => c.id === state.openId) ?? state.calls[0];
}

export function openToolCall(id: string): void {
  set({ openId: id, hidden: false });
}

export function hideToolCall(): void {
  set({ hidden: true });
}

/** Problems with `args` against the call's input schema, checked by the host (the SDK's validator). */
export async function validateToolCall(id: string, args: unknown): Promise<string[]> {
  return (await getApi().invoke('toolCalls:validate', { id, arguments: args })).problems;
}

export async function approveToolCall(call: PendingToolCall, args: Record<string, unknown>, always: boolean): Promise<void> {
  await getApi().invoke('toolCalls:respond', { id: call.id, action: 'approve', arguments: args, always });
  remove(call.id, 'approved', '');
  toast('success', always ? `Sent. ${call.tool.name} is now always allowed for ${call.serverName}.` : `Sent the call to ${call.tool.name}.`);
}

export async function rejectToolCall(call: PendingToolCall, reason: string): Promise<void> {
  try {
    await getApi().invoke('toolCalls:respond', { id: call.id, action: 'reject', reason: reason.trim() || undefined });
    remove(call.id, 'rejected', '');
    toast('info', `Declined the call to ${call.tool.name}; ${call.app.name} was told.`);
  } catch (error) {
    toast('error', `Could not reject: ${errorMessage(error)}`);
  }
}
