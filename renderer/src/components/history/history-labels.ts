/** How the History view names outcomes and kinds (the list, the detail pane, tool calls). */
import type { HistoryRow } from '../../../../shared/history';

export const OUTCOME_LABEL: Record<string, string> = {
  sent: 'Sent',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
  'tool-error': 'Tool error',
  denied: 'Denied',
};

export const KIND_LABEL: Record<HistoryRow['kind'], string> = {
  sampling: 'Sampling',
  toolCall: 'Tool call',
};
