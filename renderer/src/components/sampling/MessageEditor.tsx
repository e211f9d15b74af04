import { memo, useId } from 'react';
import type { PendingSampling } from '../../../../shared/domain';
import type { Role, SamplingContent } from '../../../../shared/mcp';
import { patchDraft } from '../../state/requests/sampling';
import { draftMessage, messageEdited, type DraftMessage, type RequestDraft } from '../../lib/draft';
import { LongTextField } from './LongTextField';
import { AudioBlock, ImageBlock, JsonBlock } from '../common/Media';

export function MessageEditor({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  const id = request.id;
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
        <MessageCard key={message.key} requestId={id} message={message} number={index + 1} />
      ))}
      <button type="button" className="btn btn-small" onClick={addMessage}>
        Add message
      </button>
    </div>
  );
}

/**
 * One message. Memoised on its props (the message object changes only when it is edited), so
 * typing in one message of a long conversation re-renders that message alone.
 */
const MessageCard = memo(function MessageCard({
  requestId,
  message,
  number,
}: {
  requestId: string;
  message: DraftMessage;
  number: number;
}) {
  const onChange = (change: (m: DraftMessage) => DraftMessage) =>
    patchDraft(requestId, (d) => ({ messages: d.messages.map((m) => (m.key === message.key ? change(m) : m)) }));
  const onRemove = () => patchDraft(requestId, (d) => ({ messages: d.messages.filter((m) => m.key !== message.key) }));
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
        {messageEdited(message) && <span className="edited-tag">{message.original ? 'edited' : 'added'}</span>}
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
                <LongTextField
                  id={blockId}
                  label={index === firstText ? label : `Text part ${index + 1} of message ${number}`}
                  labelId={`${baseId}-label`}
                  className="message-text"
                  value={block.text}
                  onChange={(text) => setBlock(index, { ...block, text })}
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
});
