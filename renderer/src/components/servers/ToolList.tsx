import { useLayoutEffect, useRef, useState } from 'react';
import type { ToolInfo } from '../../../../shared/domain';
import { closeToolRunner, openToolRunner, toolRunKey, useServers, type ToolRun } from '../../state/servers';
import { ToolRunner } from './ToolRunner';
import { SafeIcon } from '../common/SafeIcon';
import { ToolBadges } from '../common/ToolBadges';
import './activity.css';

/** The tool's title (spec: `title`, else `annotations.title`), when it says more than the name. */
function displayTitle(tool: ToolInfo): string | undefined {
  const title = tool.title ?? tool.annotations?.title;
  return title && title !== tool.name ? title : undefined;
}

/** Whether a tool matches the search: every word in its name, title or description (case-insensitive). */
export function toolMatches(tool: ToolInfo, query: string): boolean {
  const haystack = `${tool.name}\n${displayTitle(tool) ?? ''}\n${tool.description ?? ''}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The search box shows from this many tools on. */
const SEARCH_FROM = 6;

export function ToolList({ server, tools }: { server: string; tools: ToolInfo[] }) {
  const openTool = useServers((s) => s.openTool);
  const [query, setQuery] = useState('');
  if (tools.length === 0) return <p className="muted">This server offers no tools.</p>;
  const shown = query.trim() ? tools.filter((tool) => toolMatches(tool, query)) : tools;
  return (
    <>
      {tools.length >= SEARCH_FROM && (
        <div className="tool-search">
          <input
            type="search"
            aria-label="Search tools"
            placeholder={`Search ${tools.length} tools by name or description`}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          {query.trim() && (
            <span className="muted" role="status">
              {shown.length} of {tools.length}
            </span>
          )}
        </div>
      )}
      {shown.length === 0 ? (
        <p className="muted">No tool matches “{query.trim()}”.</p>
      ) : (
        <ul className="tool-list">
          {shown.map((tool) => {
            const open = openTool?.server === server && openTool.tool === tool.name;
            return (
              <li key={tool.name} className={`tool-item${open ? ' is-open' : ''}`} data-testid={`tool-${tool.name}`}>
                <div className="tool-row">
                  <div className="tool-text">
                    <div className="tool-name">
                      <SafeIcon icons={tool.icons} size={16} />
                      <code>{tool.name}</code>
                      {displayTitle(tool) && <span className="tool-title">{displayTitle(tool)}</span>}
                      <ToolBadges tool={tool} />
                    </div>
                    {tool.description && <ToolDescription text={tool.description} />}
                    {!open && <LastResult server={server} tool={tool.name} />}
                  </div>
                  {open ? (
                    <button type="button" className="btn btn-small" onClick={closeToolRunner}>
                      Close
                    </button>
                  ) : (
                    <button type="button" className="btn btn-small" onClick={() => openToolRunner(server, tool)}>
                      Run
                    </button>
                  )}
                </div>
                {open && <ToolRunner server={server} tool={tool} />}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** A description clamped to two lines, with "more" when it is longer. */
function ToolDescription({ text }: { text: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  const [long, setLong] = useState(false);
  const [expanded, setExpanded] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && !expanded) setLong(el.scrollHeight > el.clientHeight + 1);
  }, [text, expanded]);
  return (
    <div className="tool-description-wrap">
      <p ref={ref} className={`tool-description${expanded ? '' : ' is-clamped'}`}>
        {text}
      </p>
      {(long || expanded) && (
        <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'less' : 'more'}
        </button>
      )}
    </div>
  );
}

/** The first line of a run's outcome, for a tool whose runner is closed. */
export function lastResultLine(run: ToolRun | undefined): { text: string; error: boolean } | undefined {
  if (!run || run.running) return undefined;
  if (run.error) return { text: run.error.slice(0, 300), error: !run.cancelled };
  const result = run.result;
  if (!result) return undefined;
  const first = result.content.find((block) => block.type === 'text') as { text?: unknown } | undefined;
  const text =
    typeof first?.text === 'string' ? first.text : `${result.content.length} content block${result.content.length === 1 ? '' : 's'}`;
  // One line, bounded: a result may be megabytes.
  return { text: text.slice(0, 300).replace(/\s+/g, ' ').trim() || '(empty result)', error: Boolean(result.isError) };
}

/** While the user looks at another tool, this one still shows how its last call ended (Run shows it in full). */
function LastResult({ server, tool }: { server: string; tool: string }) {
  const line = lastResultLine(useServers((s) => s.toolRuns[toolRunKey(server, tool)]));
  if (!line) return null;
  return (
    <p className={`tool-last${line.error ? ' is-error' : ''}`} data-testid="tool-last-result" title={line.text}>
      Last result{line.error ? ' (error)' : ''}: {line.text}
    </p>
  );
}
