import type { ToolInfo } from '../../../../shared/domain';
import { closeToolRunner, openToolRunner, useStore } from '../../store';
import { ToolRunner } from './ToolRunner';

export function ToolList({ server, tools }: { server: string; tools: ToolInfo[] }) {
  const openTool = useStore((s) => s.openTool);
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
                  <code>{tool.name}</code>
                  {tool.title && tool.title !== tool.name && <span className="tool-title">{tool.title}</span>}
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
