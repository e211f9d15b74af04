/**
 * Answering a gateway tool call: check the edited arguments, approve (once or always), reject.
 * The call itself lives in the one request queue (./queue.ts).
 */
import type { PendingToolCall } from '../../../../shared/toolcalls';
import { errorMessage } from '../../lib/format';
import { toast } from '../app';
import { host } from '../host';
import { settleRequest } from './queue';

/** Problems with `args` against the call's input schema, checked by the host (the SDK's validator). */
export async function validateToolCall(id: string, args: unknown): Promise<string[]> {
  return (await host().invoke('toolCalls:validate', { id, arguments: args })).problems;
}

export async function approveToolCall(call: PendingToolCall, args: Record<string, unknown>, always: boolean): Promise<void> {
  await host().invoke('toolCalls:respond', { id: call.id, action: 'approve', arguments: args, always });
  settleRequest('toolCall', call.id, 'approved', '');
  toast(
    'success',
    always ? `Sent. ${call.tool.name} is now always allowed for ${call.serverName}.` : `Sent the call to ${call.tool.name}.`,
  );
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
