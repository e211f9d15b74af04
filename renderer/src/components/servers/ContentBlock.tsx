/**
 * One block of a tool or prompt result, for a known server: text optionally rendered as markdown,
 * embedded resources shown like read resources, and `resource_link` items that open the resource
 * right there (read through the server, in the resource viewer). Everything else goes to the
 * generic ResultBlock.
 */
import { useState } from 'react';
import { ResultBlock } from '../common/Media';
import { Markdown } from '../common/Markdown';
import { ResourceContents } from './ResourceContents';
import { ResourceViewer } from './ResourceViewer';
import { readResource } from '../../state/server-browse';

type Block = { type: string } & Record<string, unknown>;

export function ContentBlock({
  server,
  block,
  index,
  markdown = false,
}: {
  server: string;
  block: Block;
  index: number;
  markdown?: boolean;
}) {
  if (block.type === 'text' && markdown && typeof block.text === 'string') return <Markdown text={block.text} />;
  if (block.type === 'resource' && block.resource && typeof block.resource === 'object') {
    const resource = block.resource as { uri?: unknown; mimeType?: unknown; text?: unknown; blob?: unknown };
    if (typeof resource.uri === 'string') {
      return (
        <div className="json-block">
          <div className="json-caption">Embedded resource {resource.uri}</div>
          <ResourceContents
            contents={[{ uri: resource.uri, mimeType: str(resource.mimeType), text: str(resource.text), blob: str(resource.blob) }]}
          />
        </div>
      );
    }
  }
  if (block.type === 'resource_link' && typeof block.uri === 'string')
    return <ResourceLink server={server} block={block} uri={block.uri} />;
  return <ResultBlock block={block} index={index} />;
}

function ResourceLink({ server, block, uri }: { server: string; block: Block; uri: string }) {
  const [open, setOpen] = useState(false);
  const label = str(block.title) ?? str(block.name) ?? uri;
  return (
    <div className="resource-link" data-testid="resource-link">
      Resource link:{' '}
      <button
        type="button"
        className="resource-link-button"
        aria-expanded={open}
        onClick={() => {
          if (!open) void readResource(server, uri);
          setOpen(!open);
        }}
      >
        {label}
      </button>{' '}
      <span className="muted">{uri}</span> {str(block.mimeType) && <span className="chip">{str(block.mimeType)}</span>}
      {open && <ResourceViewer server={server} uri={uri} />}
    </div>
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
