/**
 * The contents of a resource read: text as text, `text/markdown` rendered (raw HTML shown as
 * text, links only after consent) with a toggle back to the source, text-like blobs (`text/*`,
 * JSON, XML) decoded from base64 and shown as text, images as images, anything else as a summary.
 */
import { useState } from 'react';
import type { ReadResourceResult } from '../../../../shared/server-features';
import { JsonBlock, ResultBlock } from '../common/Media';
import { Markdown } from '../common/Markdown';

type Contents = ReadResourceResult['contents'][number];

/** Blobs at most this big are decoded for display (bigger ones are summarised). */
const MAX_DECODED = 2_000_000;

export function isTextMime(mimeType: string | undefined): boolean {
  if (!mimeType) return false;
  const type = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/yaml' ||
    type === 'application/javascript'
  );
}

export function isMarkdown(mimeType: string | undefined, uri?: string): boolean {
  const type = mimeType?.split(';')[0]?.trim().toLowerCase();
  return type === 'text/markdown' || type === 'text/x-markdown' || (!type && /\.md$/i.test(uri ?? ''));
}

/** Decodes a base64 blob as UTF-8 text; undefined when it is too big or not valid UTF-8. */
export function decodeTextBlob(blob: string): string | undefined {
  if (blob.length > (MAX_DECODED * 4) / 3) return undefined;
  try {
    const bytes = Uint8Array.from(atob(blob.replace(/\s/g, '')), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function ResourceContents({ contents }: { contents: readonly Contents[] }) {
  return (
    <>
      {contents.map((content, index) => (
        <OneContent key={index} index={index} content={content} />
      ))}
    </>
  );
}

function OneContent({ content, index }: { content: Contents; index: number }) {
  const [source, setSource] = useState(false);
  const text =
    typeof content.text === 'string'
      ? content.text
      : content.blob && isTextMime(content.mimeType)
        ? decodeTextBlob(content.blob)
        : undefined;
  if (text !== undefined) {
    const fromBlob = typeof content.text !== 'string';
    if (isMarkdown(content.mimeType, content.uri)) {
      return (
        <div className="json-block">
          <div className="result-toolbar">
            <span className="muted">{content.mimeType ?? 'markdown'}</span>
            <label>
              <input type="checkbox" checked={source} onChange={(e) => setSource(e.target.checked)} /> Show source
            </label>
          </div>
          {source ? <pre className="result-text">{text}</pre> : <Markdown text={text} />}
        </div>
      );
    }
    return (
      <div className="json-block">
        {fromBlob && <div className="json-caption">{content.mimeType} (decoded from base64)</div>}
        <pre className="result-text" data-testid="resource-text">
          {text}
        </pre>
      </div>
    );
  }
  if (content.blob && content.mimeType?.startsWith('image/')) {
    return <ResultBlock index={index} block={{ type: 'image', data: content.blob, mimeType: content.mimeType }} />;
  }
  return <JsonBlock value={{ ...content, blob: content.blob ? `(${content.blob.length} base64 characters)` : undefined }} />;
}
