import { useState } from 'react';
import type { ToolInfo } from '../../../../shared/domain';
import { callTool, setToolArgs, setToolRunAsTask, toolRunKey, useServers } from '../../state/servers';
import { draftToValue, formSupported, initialDraft, valueToDraft, type Draft, type Errors } from '../../lib/schema-form';
import { objectSchema, switchArgumentsMode, type ArgumentsMode } from '../../lib/tool-arguments';
import { ArgumentsEditor } from './ArgumentsEditor';
import { ToolResult } from './ToolResult';

/**
 * Runs one tool. The form (generated from the tool's input schema) and the raw JSON editor edit
 * the same arguments: every form change is written to the JSON text, and switching back to the
 * form reads the JSON again.
 */
export function ToolRunner({ server, tool }: { server: string; tool: ToolInfo }) {
  const run = useServers((s) => s.toolRuns[toolRunKey(server, tool.name)]);
  const [mode, setMode] = useState<ArgumentsMode>(formSupported(tool.inputSchema) ? 'form' : 'json');
  // Reopened after another tool: the form shows the arguments of the last call, as the JSON tab does.
  const [draft, setDraft] = useState<Draft>(() =>
    run?.startedAt !== undefined ? lastDraft(tool, run.args) : initialDraft(tool.inputSchema),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [switchError, setSwitchError] = useState<string>();
  if (!run) return null;

  const changeDraft = (next: Draft) => {
    setDraft(next);
    const { value, errors: found } = draftToValue(objectSchema(tool.inputSchema), next);
    setToolArgs(server, tool.name, JSON.stringify(value, null, 2));
    // Only clear messages as the user fixes things; new ones appear on "Call tool".
    setErrors((old) => Object.fromEntries(Object.entries(old).filter(([path]) => path in found)));
  };

  const switchTo = (next: ArgumentsMode) => {
    const switched = switchArgumentsMode(tool.inputSchema, { mode, form: draft, json: run.args }, next);
    if ('error' in switched) return setSwitchError(`${switched.error}. Fix it to use the form.`);
    setSwitchError(undefined);
    setDraft(switched.edit.form);
    setMode(next);
  };

  const submit = () => {
    if (mode === 'form') {
      const { value, errors: found } = draftToValue(objectSchema(tool.inputSchema), draft);
      setErrors(found);
      if (Object.keys(found).length > 0) return;
      setToolArgs(server, tool.name, JSON.stringify(value, null, 2));
    }
    void callTool(server, tool.name);
  };

  const errorCount = Object.keys(errors).length;
  return (
    <div className="tool-runner">
      <ArgumentsEditor
        inputSchema={tool.inputSchema}
        mode={mode}
        onMode={switchTo}
        form={draft}
        formErrors={errors}
        onForm={changeDraft}
        json={run.args}
        onJson={(text) => setToolArgs(server, tool.name, text)}
        jsonRows={[3, 14]}
        onSubmit={submit}
      />
      {switchError && (
        <p className="field-error" role="alert">
          {switchError}
        </p>
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
            <input
              type="checkbox"
              checked={run.asTask ?? false}
              disabled={run.running}
              onChange={(e) => setToolRunAsTask(server, tool.name, e.target.checked)}
            />{' '}
            Run as a task
          </label>
        )}
        {tool.execution?.taskSupport === 'required' && <span className="muted">Runs as a task</span>}
        <details className="schema-details">
          <summary>Input schema</summary>
          <pre tabIndex={0} className="code">
            {JSON.stringify(tool.inputSchema, null, 2)}
          </pre>
        </details>
      </div>
      {(run.running || run.result || run.error || run.cancelled) && <ToolResult run={run} server={server} tool={tool.name} />}
    </div>
  );
}

function lastDraft(tool: ToolInfo, args: string): Draft {
  try {
    return valueToDraft(objectSchema(tool.inputSchema), JSON.parse(args));
  } catch {
    return initialDraft(tool.inputSchema);
  }
}
