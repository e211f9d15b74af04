/** Smaller parts of the sampling dialog: includeContext keep-or-strip, "add a key", bulk actions, non-text answer blocks. */
import { useId } from 'react';
import { MANUAL_PROVIDER_ID, type PendingSampling } from '../../../../shared/domain';
import type { SamplingContent } from '../../../../shared/mcp';
import { useProviders } from '../../state/providers';
import { useRequests } from '../../state/requests/queue';
import { patchDraft } from '../../state/requests/sampling';
import type { RequestDraft } from '../../lib/draft';
import { parseModelKey } from '../../lib/models';
import { AudioBlock, ImageBlock, JsonBlock } from '../common/Media';
import { focusProvider } from '../../state/providers';
import { approveAllFrom, rejectAllFrom } from '../../state/sampling-settings';

/** includeContext thisServer / allServers: what would be added to the system prompt, and a switch to strip it. */
export function ContextPanel({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  const checkboxId = useId();
  const scope = request.params.includeContext;
  if (scope !== 'thisServer' && scope !== 'allServers') return null;
  const context = request.context;
  return (
    <div className="field context-panel" data-testid="context-panel">
      <div className="label-row">
        <span className="field-label">Context requested: {scope === 'thisServer' ? 'this server' : 'all servers'}</span>
      </div>
      {context ? (
        <>
          <label className="checkbox" htmlFor={checkboxId}>
            <input
              id={checkboxId}
              type="checkbox"
              checked={draft.keepContext}
              onChange={(e) => patchDraft(request.id, { keepContext: e.target.checked })}
            />
            Include this context (appended to the system prompt)
          </label>
          <pre tabIndex={0} className={`code context-text${draft.keepContext ? '' : ' is-stripped'}`}>
            {context.text}
          </pre>
          {scope === 'allServers' && (
            <p className="hint warn">This shares what other connected servers told Sluice with {request.serverName}’s request.</p>
          )}
        </>
      ) : (
        <p className="hint">No connected server has context to offer, so nothing is added.</p>
      )}
    </div>
  );
}

/** When the chosen model's provider needs a key it does not have: say so before the user approves. */
export function MissingKeyNotice({ modelKey }: { modelKey: string }) {
  const providers = useProviders((s) => s.providers);
  const ref = parseModelKey(modelKey);
  if (ref.providerId === MANUAL_PROVIDER_ID) return null;
  const provider = providers.find((p) => p.id === ref.providerId);
  if (!provider || !provider.needsApiKey || provider.hasApiKey) return null;
  return (
    <div className="callout callout-error small-callout" role="alert" data-testid="missing-key">
      {provider.name} has no API key, so this model cannot answer.{' '}
      <button type="button" className="btn btn-small" onClick={() => focusProvider(provider.id)}>
        Add a key
      </button>
    </div>
  );
}

/** "Apply to all pending from this server", shown when the server has more than one request waiting. */
export function BulkActions({ request }: { request: PendingSampling }) {
  const count = useRequests(
    (s) => s.items.filter((item) => item.kind === 'sampling' && item.request.serverName === request.serverName).length,
  );
  if (count < 2) return null;
  return (
    <div className="bulk-actions" data-testid="bulk-actions">
      <span className="muted">
        {count} waiting from {request.serverName}:
      </span>
      <button
        type="button"
        className="btn btn-small"
        title="Generate each with its preselected model and send the answers unedited"
        onClick={() => void approveAllFrom(request.serverName)}
      >
        Approve all {count}
      </button>
      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => void rejectAllFrom(request.serverName)}>
        Reject all {count}
      </button>
    </div>
  );
}

/** Tool calls, images and audio in the model's answer: sent as they are, next to the (editable) text. */
export function NonTextAnswer({ blocks }: { blocks: SamplingContent[] }) {
  if (blocks.length === 0) return null;
  return (
    <div className="answer-blocks" data-testid="answer-blocks">
      {blocks.map((block, index) => {
        switch (block.type) {
          case 'tool_use':
            return (
              <div key={index} className="tool-use-block">
                <span className="chip">tool call</span> <code>{block.name}</code>
                <pre tabIndex={0} className="code">
                  {JSON.stringify(block.input, null, 2)}
                </pre>
              </div>
            );
          case 'image':
            return <ImageBlock key={index} mimeType={block.mimeType} data={block.data} alt={`Image ${index + 1} in the answer`} />;
          case 'audio':
            return <AudioBlock key={index} mimeType={block.mimeType} data={block.data} label="Audio in the answer" />;
          default:
            return <JsonBlock key={index} value={block} caption={`${block.type} block`} />;
        }
      })}
      <p className="hint">These blocks are sent to the server as they are.</p>
    </div>
  );
}
