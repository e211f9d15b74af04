import { useId, useState } from 'react';
import type { ToolInfo } from '../../../../shared/domain';
import { callTool, setToolArgs, setToolRunAsTask, toolRunKey, useServers } from '../../state/servers';
import { rowsFor } from '../../lib/hooks';
import { draftToValue, formSupported, initialDraft, valueToDraft, type Draft, type Errors } from '../../lib/schema-form';
import { SchemaForm } from './SchemaForm';
import { ToolResult } from './ToolResult';

type Mode = 'form' | 'json';

/**
 * Runs one tool. The form (generated from the tool's input schema) and the raw JSON editor edit
 * the same arguments: every form change is written to the JSON text, and switching back to the
 * form reads the JSON again.
 */
export function ToolRunner({ server, tool }: { server: string; tool: ToolInfo }) {
  const run = useServers((s) => s.toolRuns[toolRunKey(server, tool.name)]);
  const argsId = useId();
  const canForm = formSupported(tool.inputSchema);
  const [mode, setMode] = useState<Mode>(canForm ? 'form' : 'json');
  // Reopened after another tool: the form shows the arguments of the last call, as the JSON tab does.
  const [draft, setDraft] = useState<Draft>(() => (run?.startedAt !== undefined ? lastDraft(tool, run.args) : initialDraft(tool.inputSchema)));
  const [errors, setErrors] = useState<Errors>({});
  const [switchError, setSwitchError] = useState<string>();
  if (!run) return null;

  const changeDraft = (next: Draft) => {
    setDraft(next);
    const { value, errors: found } = draftToValue({ ...tool.inputSchema, type: 'object' }, next);
    setToolArgs(server, tool.name, JSON.stringify(value, null, 2));
    // Only clear messages as the user fixes things; new ones appear on "Call tool".
    setErrors((old) => Object.fromEntries(Object.entries(old).filter(([path]) => path in found)));
  };

  const switchTo = (next: Mode) => {
    setSwitchError(undefined);
    if (next === 'form') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(run.args.trim() === '' ? '{}' : run.args);
      } catch (error) {
        setSwitchError(`Fix the JSON first: ${(error as Error).message}`);
        return;
      }
      setDraft(valueToDraft({ ...tool.inputSchema, type: 'object' }, parsed));
    }
    setMode(next);
  };

  const submit = () => {
    if (mode === 'form') {
      const { value, errors: found } = draftToValue({ ...tool.inputSchema, type: 'object' }, draft);
      setErrors(found);
      if (Object.keys(found).length > 0) return;
      setToolArgs(server, tool.name, JSON.stringify(value, null, 2));
    }
    void callTool(server, tool.name);
  };

  const errorCount = Object.keys(errors).length;
  return (
    <div className="tool-runner">
      {canForm && (
        <div className="seg-tabs" role="tablist" aria-label="Arguments editor">
          <button type="button" role="tab" aria-selected={mode === 'form'} className="seg-tab" onClick={() => switchTo('form')}>
            Form
          </button>
          <button type="button" role="tab" aria-selected={mode === 'json'} className="seg-tab" onClick={() => switchTo('json')}>
            JSON
          </button>
        </div>
      )}
      {switchError && (
        <p className="field-error" role="alert">
          {switchError}
        </p>
      )}
      {mode === 'form' ? (
        <form
          className="tool-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <SchemaForm schema={tool.inputSchema} draft={draft} errors={errors} onChange={changeDraft} />
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </form>
      ) : (
        <>
          <label htmlFor={argsId} className="field-label">
            Arguments (JSON)
          </label>
          <textarea
            id={argsId}
            className="code-input"
            spellCheck={false}
            rows={rowsFor(run.args, 3, 14)}
            value={run.args}
            onChange={(e) => setToolArgs(server, tool.name, e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
            }}
          />
        </>
      )}
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={submit} disabled={run.running}>
          Call tool
        </button>
        {errorCount > 0 && (
          <span className="error-text" role="status">
            {errorCount === 1 ? '1 field needs attention' : `${errorCount} fields need attention`}
          </span>
        )}
        {tool.execution?.taskSupport === 'optional' && (
          <label className="muted">
            <input type="checkbox" checked={run.asTask ?? false} disabled={run.running} onChange={(e) => setToolRunAsTask(server, tool.name, e.target.checked)} /> Run as a task
          </label>
        )}
        {tool.execution?.taskSupport === 'required' && <span className="muted">Runs as a task</span>}
        <details className="schema-details">
          <summary>Input schema</summary>
          <pre tabIndex={0} className="code">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
        </details>
      </div>
      {(run.running || run.result || run.error || run.cancelled) && <ToolResult run={run} server={server} tool={tool.name} />}
    </div>
  );
}

function lastDraft(tool: ToolInfo, args: string): Draft {
  try {
    return valueToDraft({ ...tool.inputSchema, type: 'object' }, JSON.parse(args));
  } catch {
    return initialDraft(tool.inputSchema);
  }
}
