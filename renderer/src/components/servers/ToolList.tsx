import type { ToolInfo } from '../../../../shared/domain';
import { closeToolRunner, openToolRunner, useServers } from '../../state/servers';
import { ToolRunner } from './ToolRunner';
import { SafeIcon } from '../common/SafeIcon';
import { ToolBadges } from '../common/ToolBadges';
import './activity.css';

/** The tool's title (spec: `title`, else `annotations.title`), when it says more than the name. */
function displayTitle(tool: ToolInfo): string | undefined {
  const title = tool.title ?? tool.annotations?.title;
  return title && title !== tool.name ? title : undefined;
}

export function ToolList({ server, tools }: { server: string; tools: ToolInfo[] }) {
  const openTool = useServers((s) => s.openTool);
  if (tools.length === 0) return <p className="muted">This server offers no tools.</p>;
  return (
    <ul className="tool-list">
      {tools.map((tool) => {
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
                {tool.description && <p className="tool-description">{tool.description}</p>}
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
  );
}
