/**
 * The dialog of the request the queue has open (state/requests/queue.ts decides which): each kind
 * plugs its dialog body in here, and the compiler asks for one when a kind is added.
 */
import { Fragment, type ReactNode } from 'react';
import type { QueuedRequest, RequestKind, RequestOf } from '../../state/requests/kinds';
import { selectOpenRequest, useRequests, type EndedRequest } from '../../state/requests/queue';
import { SamplingDialog } from '../sampling/SamplingDialog';
import { ElicitationDialog } from '../elicitation/ElicitationDialog';
import { ToolCallDialog } from '../toolcalls/ToolCallDialog';

type DialogFor<K extends RequestKind> = (request: RequestOf<K>, ended: Extract<EndedRequest, { kind: K }> | undefined) => ReactNode;

const DIALOGS: { [K in RequestKind]: DialogFor<K> } = {
  sampling: (request, ended) => <SamplingDialog request={request} ended={ended} />,
  elicitation: (request) => <ElicitationDialog request={request} />,
  toolCall: (call) => <ToolCallDialog call={call} />,
};

function render(item: QueuedRequest, ended: EndedRequest | null): ReactNode {
  const dialog = DIALOGS[item.kind] as DialogFor<RequestKind>;
  return dialog(item.request, ended?.item.key === item.key ? ended : undefined);
}

/** True while a request dialog shows (the pane under it is then inert). */
export function useRequestDialogOpen(): boolean {
  return useRequests((s) => selectOpenRequest(s) !== undefined);
}

export function RequestDialog() {
  const item = useRequests(selectOpenRequest);
  const ended = useRequests((s) => s.ended);
  if (!item) return null;
  // Keyed by request: another request's dialog is a fresh one (its own focus, its own edits).
  return <Fragment key={item.key}>{render(item, ended)}</Fragment>;
}
