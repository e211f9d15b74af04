/**
 * Answering a gateway tool call: edit the arguments (form or JSON), check them, approve (once or
 * always), reject. The call and its draft (the user's edits) live in the one request queue
 * (./queue.ts), so putting the dialog aside and coming back finds the edits where they were.
 */
import type { PendingToolCall } from '../../../../shared/toolcalls';
import { errorMessage } from '../../lib/format';
import type { Draft } from '../../lib/schema-form';
import { argumentsOf, switchArgumentsMode, type ArgumentsMode } from '../../lib/tool-arguments';
import { toast } from '../app';
import { host } from '../host';
import type { ToolCallDraft } from './kinds';
import { draftOf, findRequest, patchDraft, settleRequest } from './queue';

export type { ToolCallDraft } from './kinds';

function patch(id: string, changes: Partial<ToolCallDraft>): void {
  patchDraft('toolCall', id, changes);
}

/** The arguments as the draft stands, as JSON text to compare (undefined while the JSON text does not parse). */
function argumentsKey(call: PendingToolCall, draft: ToolCallDraft): string | undefined {
  const { value } = argumentsOf(call.tool.inputSchema, draft);
  return value && JSON.stringify(value);
}

export function editToolCallForm(id: string, form: Draft): void {
  patch(id, { form, actionError: undefined });
}

export function editToolCallJson(id: string, json: string): void {
  patch(id, { json, actionError: undefined });
}

/** Form ⇄ JSON, carrying the edits across; JSON that is not an object stays in the JSON tab, with the reason. */
export function switchToolCallMode(id: string, mode: ArgumentsMode): void {
  const call = findRequest('toolCall', id);
  const draft = draftOf('toolCall', id);
  if (!call || !draft) return;
  const switched = switchArgumentsMode(call.tool.inputSchema, draft, mode);
  patch(id, 'error' in switched ? { actionError: switched.error } : { ...switched.edit, actionError: undefined });
}

export function setRejecting(id: string, rejecting: boolean): void {
  patch(id, { rejecting });
}

export function setRejectReason(id: string, reason: string): void {
  patch(id, { reason });
}

/** Problems with `args` against the call's input schema, checked by the host (the SDK's validator). */
export async function validateToolCall(id: string, args: unknown): Promise<string[]> {
  return (await host().invoke('toolCalls:validate', { id, arguments: args })).problems;
}

/**
 * Checks the draft's arguments with the host and keeps the problems in the draft; an answer that
 * comes back after the user edited again is dropped (a newer check is on its way). A check that
 * fails shows nothing: the host checks the arguments again on Approve.
 */
export async function checkToolCallArguments(id: string): Promise<void> {
  const call = findRequest('toolCall', id);
  const draft = draftOf('toolCall', id);
  const asked = call && draft ? argumentsKey(call, draft) : undefined;
  if (!call || asked === undefined) return;
  let problems: string[];
  try {
    problems = await validateToolCall(id, JSON.parse(asked));
  } catch {
    return;
  }
  patchDraft('toolCall', id, (now) => (argumentsKey(call, now) === asked ? { problems } : {}));
}

export async function approveToolCall(call: PendingToolCall, args: Record<string, unknown>, always: boolean): Promise<void> {
  await host().invoke('toolCalls:respond', { id: call.id, action: 'approve', arguments: args, always });
  settleRequest('toolCall', call.id, 'approved', '');
  toast(
    'success',
    always ? `Sent. ${call.tool.name} is now always allowed for ${call.serverName}.` : `Sent the call to ${call.tool.name}.`,
  );
}

/** Approve (and, with `always`, allow the tool from now on) with the arguments as edited, once they pass the form's checks. */
export async function approveDraft(id: string, always: boolean): Promise<void> {
  const call = findRequest('toolCall', id);
  const draft = draftOf('toolCall', id);
  if (!call || !draft || draft.busy) return;
  const { value, error, formErrors } = argumentsOf(call.tool.inputSchema, draft);
  if (draft.mode === 'form') {
    patch(id, { formErrors });
    if (Object.keys(formErrors).length) return patch(id, { actionError: 'Some fields need attention.' });
  }
  if (!value) return patch(id, { actionError: error });
  patch(id, { busy: true, actionError: undefined });
  try {
    await approveToolCall(call, value, always);
  } catch (error) {
    patch(id, { busy: false, actionError: errorMessage(error) });
  }
}

export async function rejectToolCall(call: PendingToolCall, reason: string): Promise<void> {
  try {
    await host().invoke('toolCalls:respond', { id: call.id, action: 'reject', reason: reason.trim() || undefined });
    settleRequest('toolCall', call.id, 'rejected', '');
    toast('info', `Declined the call to ${call.tool.name}; ${call.app.name} was told.`);
  } catch (error) {
    toast('error', `Could not reject: ${errorMessage(error)}`);
  }
}
