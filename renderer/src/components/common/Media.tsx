/**
 * Renders server-supplied content blocks safely: text as React text, images and audio only as
 * `data:` URLs with a checked MIME type, anything else as read-only JSON.
 */
import { toJson } from '../../lib/format';

const IMAGE_MIME = /^image\/[a-z0-9.+-]+$/i;
const AUDIO_MIME = /^audio\/[a-z0-9.+-]+$/i;
const BASE64 = /^[A-Za-z0-9+/=\s_-]*$/;

function dataUrl(mimeType: unknown, data: unknown, pattern: RegExp): string | undefined {
  if (typeof mimeType !== 'string' || typeof data !== 'string') return undefined;
  if (!pattern.test(mimeType) || !BASE64.test(data)) return undefined;
  return `data:${mimeType};base64,${data.replace(/\s/g, '')}`;
}

export function ImageBlock({ mimeType, data, alt }: { mimeType: unknown; data: unknown; alt: string }) {
  const src = dataUrl(mimeType, data, IMAGE_MIME);
  if (!src) return <p className="muted">Image with unsupported type {String(mimeType)} (not shown)</p>;
  return (
    <figure className="media">
      <img src={src} alt={alt} />
      <figcaption className="muted">{String(mimeType)}</figcaption>
    </figure>
  );
}

export function AudioBlock({ mimeType, data, label }: { mimeType: unknown; data: unknown; label: string }) {
  const src = dataUrl(mimeType, data, AUDIO_MIME);
  if (!src) return <p className="muted">Audio with unsupported type {String(mimeType)} (not shown)</p>;
  return (
    <figure className="media">
      <audio controls src={src} aria-label={label} />
      <figcaption className="muted">{String(mimeType)}</figcaption>
    </figure>
  );
}

export function JsonBlock({ value, caption }: { value: unknown; caption?: string }) {
  return (
    <div className="json-block">
      {caption && <div className="json-caption">{caption}</div>}
      <pre tabIndex={0} className="code">
        {toJson(value)}
      </pre>
    </div>
  );
}

/** One block of a tool result (loosely typed: whatever the server sent). */
export function ResultBlock({ block, index }: { block: { type: string } & Record<string, unknown>; index: number }) {
  switch (block.type) {
    case 'text':
      return (
        <pre tabIndex={0} className="result-text">
          {typeof block.text === 'string' ? block.text : toJson(block.text)}
        </pre>
      );
    case 'image':
      return <ImageBlock mimeType={block.mimeType} data={block.data} alt={`Image ${index + 1} of the result`} />;
    case 'audio':
      return <AudioBlock mimeType={block.mimeType} data={block.data} label="Audio result" />;
    case 'resource': {
      const resource = (block.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === 'string') {
        return (
          <div className="json-block">
            <div className="json-caption">Resource {typeof resource.uri === 'string' ? resource.uri : ''}</div>
            <pre tabIndex={0} className="result-text">
              {resource.text}
            </pre>
          </div>
        );
      }
      return <JsonBlock value={block} caption="Embedded resource" />;
    }
    case 'resource_link':
      return (
        <p className="resource-link">
          Resource link: <code>{typeof block.name === 'string' ? block.name : ''}</code>{' '}
          <span className="muted">{typeof block.uri === 'string' ? block.uri : ''}</span>
        </p>
      );
    default:
      return <JsonBlock value={block} caption={`${block.type} block`} />;
  }
}
