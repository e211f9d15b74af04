import { selectOpenElicitation, useElicitation } from './elicitation-store';
import { ElicitationDialog } from './ElicitationDialog';

/** True while an elicitation dialog is showing (the pane under it is then inert). */
export function useElicitationShowing(): boolean {
  return useElicitation((s) => selectOpenElicitation(s) !== undefined);
}

/** The elicitation dialog for the request in front, if any. */
export function ElicitationHost() {
  const request = useElicitation(selectOpenElicitation);
  return request ? <ElicitationDialog key={request.id} request={request} /> : null;
}

/** How many elicitation requests wait for the user (for the sidebar badge). */
export function useElicitationCount(): number {
  return useElicitation((s) => s.requests.filter((r) => r.status === 'waiting').length);
}
