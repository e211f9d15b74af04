import { useId } from 'react';
import type { PendingSampling } from '../../../../shared/domain';
import type { Role, SamplingContent } from '../../../../shared/mcp';
import { patchDraft } from '../../state/requests/sampling';
import { draftMessage, type DraftMessage, type RequestDraft } from '../../lib/draft';
import { rowsFor } from '../../lib/hooks';
import { AudioBlock, ImageBlock, JsonBlock } from '../common/Media';

export function MessageEditor({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  const id = request.id;
  const updateMessage = (key: number, change: (m: DraftMessage) => DraftMessage) =>
    patchDraft(id, (d) => ({ messages: d.messages.map((m) => (m.key === key ? change(m) : m)) }));
  const removeMessage = (key: number) => patchDraft(id, (d) => ({ messages: d.messages.filter((m) => m.key !== key) }));
  const addMessage = () =>
    patchDraft(id, (d) => {
      const last = d.messages[d.messages.length - 1];
      const role: Role = last?.role === 'user' ? 'assistant' : 'user';
      return { messages: [...d.messages, draftMessage({ role, content: { type: 'text', text: '' } })] };
    });

  return (
    <div className="messages">
      {draft.messages.length === 0 && <p className="muted">No messages. The model needs at least one.</p>}
      {draft.messages.map((message, index) => (
        <MessageCard
          key={message.key}
          message={message}
          number={index + 1}
          onChange={(change) => updateMessage(message.key, change)}
          onRemove={() => removeMessage(message.key)}
        />
      ))}
      <button type="button" className="btn btn-small" onClick={addMessage}>
        Add message
      </button>
    </div>
  );
}

function MessageCard({
  message,
  number,
  onChange,
  onRemove,
}: {
  message: DraftMessage;
  number: number;
  onChange: (change: (m: DraftMessage) => DraftMessage) => void;
  onRemove: () => void;
}) {
  const baseId = useId();
  const firstText = message.blocks.findIndex((b) => b.type === 'text');
  const label = `Message ${number} (${message.role})`;
  const setBlock = (index: number, block: SamplingContent) =>
    onChange((m) => ({ ...m, blocks: m.blocks.map((b, i) => (i === index ? block : b)) }));

  return (
    <div className={`message-card role-${message.role}`} data-testid={`message-${number}`}>
      <div className="message-head">
        <label className="message-label" id={`${baseId}-label`} htmlFor={`${baseId}-${firstText}`}>
          {label}
        </label>
        <select
          aria-label={`Role ${number}`}
          className="role-select"
          value={message.role}
          onChange={(e) => onChange((m) => ({ ...m, role: e.target.value as Role }))}
        >
          <option value="user">user</option>
          <option value="assistant">assistant</option>
        </select>
        <span className="spacer" />
        <button type="button" className="btn btn-small btn-danger-ghost" onClick={onRemove} aria-describedby={`${baseId}-label`}>
          Remove
        </button>
      </div>
      {message.blocks.map((block, index) => {
        const blockId = `${baseId}-${index}`;
        switch (block.type) {
          case 'text':
            return (
              <div key={index} className="block">
                {index !== firstText && (
                  <label className="field-label" htmlFor={blockId}>
                    Text part {index + 1} of message {number}
                  </label>
                )}
                <textarea
                  id={blockId}
                  className="message-text"
                  rows={rowsFor(block.text, 2, 14)}
                  value={block.text}
                  onChange={(e) => setBlock(index, { ...block, text: e.target.value })}
                />
              </div>
            );
          case 'image':
            return (
              <div key={index} className="block">
                <ImageBlock mimeType={block.mimeType} data={block.data} alt={`Image in message ${number}`} />
              </div>
            );
          case 'audio':
            return (
              <div key={index} className="block">
                <AudioBlock mimeType={block.mimeType} data={block.data} label="Audio attachment" />
              </div>
            );
          default:
            return (
              <div key={index} className="block">
                <JsonBlock value={block} caption={`${block.type} (read-only)`} />
              </div>
            );
        }
      })}
    </div>
  );
}
