/**
 * Import servers from Claude Desktop, VS Code or Cursor: pick a found config file (or type a
 * path, or choose one with the native file picker in the desktop app), preview its servers with duplicates flagged and names editable, fill VS Code `inputs`,
 * then import the checked ones.
 */
import { useId, useState, type FormEvent } from 'react';
import type { ImportPreview } from '../../../../shared/server-features';
import { toast, useApp } from '../../state/app';
import {
  applyImport,
  backToChoose,
  chooseImportFile,
  closeImport,
  patchChoose,
  previewImport,
  useServerFeatures,
} from '../../state/server-browse';
import './servers.css';

export function ImportPanel() {
  const importer = useServerFeatures((s) => s.importer);
  if (importer.step === 'closed') return null;
  return (
    <div className="detail" aria-labelledby="import-title">
      <header className="detail-header">
        <h2 className="detail-title" id="import-title">
          Import servers
        </h2>
        <button type="button" className="btn" onClick={closeImport}>
          Close
        </button>
      </header>
      {importer.step === 'choose' ? <ChooseFile /> : <PreviewStep preview={importer.preview} busy={importer.busy} error={importer.error} />}
    </div>
  );
}

function ChooseFile() {
  const state = useServerFeatures((s) => (s.importer.step === 'choose' ? s.importer : undefined));
  const pathId = useId();
  const pathErrorId = useId();
  // Only the desktop app has a native file picker (the host refuses the channel in web mode).
  const desktop = useApp((s) => s.info?.mode === 'desktop');
  if (!state) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!state.path.trim()) {
      patchChoose({ error: 'Give the path of a config file.' });
      return;
    }
    void previewImport(state.path.trim());
  };
  const found = state.locations?.value?.filter((l) => l.exists) ?? [];
  return (
    <>
      <p className="muted">
        Sluice reads Claude Desktop's, VS Code's and Cursor's MCP config files. Nothing is imported before you confirm.
      </p>
      <h3>Found on this computer</h3>
      {state.locations?.loading ? (
        <p className="muted">Looking…</p>
      ) : found.length === 0 ? (
        <p className="muted">No config files at the usual places.</p>
      ) : (
        <ul className="browse-list">
          {found.map((location) => (
            <li key={location.path} className="browse-item tool-row">
              <div className="tool-text">
                <strong>{location.label}</strong> <code>{location.path}</code>
                <p className="tool-description">
                  {location.problem ? <span className="error-text">{location.problem}</span> : `${location.serverCount ?? 0} server(s)`}
                </p>
              </div>
              <button
                type="button"
                className="btn btn-small"
                disabled={Boolean(location.problem) || state.busy}
                onClick={() => void previewImport(location.path)}
              >
                Preview
              </button>
            </li>
          ))}
        </ul>
      )}
      <details className="instructions">
        <summary>Looked in</summary>
        <ul>
          {state.locations?.value?.map((l) => (
            <li key={l.path}>
              {l.label}: <code>{l.path}</code> {l.exists ? '' : <span className="muted">(not found)</span>}
            </li>
          ))}
        </ul>
      </details>
      <form onSubmit={submit} className="import-path" noValidate>
        <label htmlFor={pathId} className="field-label">
          Config file path
        </label>
        <div className="inline-form">
          <input
            id={pathId}
            value={state.path}
            onChange={(e) => patchChoose({ path: e.target.value, error: undefined })}
            placeholder="~/Library/Application Support/Claude/claude_desktop_config.json"
            spellCheck={false}
            aria-invalid={state.error ? true : undefined}
            aria-describedby={state.error ? pathErrorId : undefined}
          />
          <button type="submit" className="btn btn-primary" disabled={state.busy}>
            {state.busy ? 'Reading…' : 'Preview'}
          </button>
          {desktop && (
            <button type="button" className="btn" disabled={state.busy} onClick={() => void chooseImportFile()}>
              Choose file…
            </button>
          )}
        </div>
        {state.error && (
          <p id={pathErrorId} className="field-error" role="alert">
            {state.error}
          </p>
        )}
      </form>
    </>
  );
}

/** Everything the imported server will run or send, exactly as it will be saved (secret values masked by the host). */
function ImportDetails({ details }: { details: NonNullable<ImportPreview['candidates'][number]['details']> }) {
  const rows: Array<[string, string]> = [
    ...(details.command !== undefined ? [['Command', details.command] as [string, string]] : []),
    ...(details.args ?? []).map((arg, index): [string, string] => [`Argument ${index + 1}`, arg]),
    ...(details.cwd ? [['Working folder', details.cwd] as [string, string]] : []),
    ...(details.url !== undefined ? [['URL', details.url] as [string, string]] : []),
    ...(details.env ?? []).map(({ name, value }): [string, string] => [`env ${name}`, value]),
    ...(details.headers ?? []).map(({ name, value }): [string, string] => [`header ${name}`, value]),
  ];
  return (
    <dl className="import-details">
      {rows.map(([label, value], index) => (
        <div key={index}>
          <dt>{label}</dt>
          <dd>
            <code className="wrap">{value}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function PreviewStep({ preview, busy, error }: { preview: ImportPreview; busy?: boolean; error?: string }) {
  const importable = preview.candidates.filter((c) => !c.problem);
  const [picked, setPicked] = useState<Set<string>>(() => new Set(importable.filter((c) => !c.duplicate).map((c) => c.sourceName)));
  const [names, setNames] = useState<Record<string, string>>(() =>
    Object.fromEntries(preview.candidates.map((c) => [c.sourceName, c.suggestedName])),
  );
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const baseId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const picks = preview.candidates
      .filter((c) => picked.has(c.sourceName))
      .map((c) => ({ sourceName: c.sourceName, name: (names[c.sourceName] ?? '').trim() }));
    if (picks.length === 0) return setProblem('Check at least one server.');
    if (picks.some((p) => !p.name)) return setProblem('Every checked server needs a name.');
    if (new Set(picks.map((p) => p.name)).size !== picks.length) return setProblem('Two checked servers have the same name.');
    setProblem(undefined);
    try {
      const lines = await applyImport(
        preview.path,
        preview.digest,
        picks,
        Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== '')),
      );
      toast('success', `Imported ${lines.join(', ')}.`);
    } catch {
      // The store keeps the error for this view.
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <p>
        <code>{preview.path}</code> <span className="chip">{preview.format === 'vscode' ? 'VS Code format' : 'mcpServers format'}</span>
      </p>
      {preview.problems.map((p) => (
        <p key={p} className="hint warn">
          {p}
        </p>
      ))}
      {preview.candidates.length === 0 ? (
        <p className="muted">The file lists no servers.</p>
      ) : (
        <table className="import-table">
          <thead>
            <tr>
              <th scope="col">Import</th>
              <th scope="col">Name in Sluice</th>
              <th scope="col">Server</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {preview.candidates.map((c) => (
              <tr key={c.sourceName} data-testid={`import-${c.sourceName}`}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Import ${c.sourceName}`}
                    disabled={Boolean(c.problem)}
                    checked={picked.has(c.sourceName)}
                    onChange={(e) =>
                      setPicked((old) => {
                        const next = new Set(old);
                        if (e.target.checked) next.add(c.sourceName);
                        else next.delete(c.sourceName);
                        return next;
                      })
                    }
                  />
                </td>
                <td>
                  <input
                    aria-label={`Name for ${c.sourceName}`}
                    value={names[c.sourceName] ?? ''}
                    disabled={Boolean(c.problem)}
                    onChange={(e) => setNames((n) => ({ ...n, [c.sourceName]: e.target.value }))}
                  />
                </td>
                <td>
                  {c.type && <span className="chip">{c.type}</span>} <code className="wrap">{c.summary}</code>
                  {c.details && <ImportDetails details={c.details} />}
                </td>
                <td>
                  {c.problem && <span className="error-text">Cannot import: {c.problem}</span>}
                  {!c.problem && c.type === 'stdio' && (
                    <span className="hint">Runs this command on your computer: added switched off, enable it when you trust it.</span>
                  )}
                  {c.duplicate?.kind === 'same-server' && <span className="hint warn">Same server as “{c.duplicate.existing}”</span>}
                  {c.duplicate?.kind === 'name' && <span className="hint warn">“{c.duplicate.existing}” exists; suggested a new name</span>}
                  {c.placeholders.length > 0 && (
                    <span className="hint">
                      Uses{' '}
                      {c.placeholders.map((p) => (
                        <code key={p}>{p} </code>
                      ))}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.inputs.length > 0 && (
        <fieldset className="schema-object">
          <legend>Inputs</legend>
          <p className="hint">
            Values for <code>{'${input:…}'}</code> placeholders. A server with one left empty is imported disabled.
          </p>
          {preview.inputs.map((input) => (
            <div key={input.id} className="schema-field">
              <label htmlFor={`${baseId}-${input.id}`} className="field-label">
                {input.description ?? input.id} <span className="muted">(used by {input.usedBy.join(', ')})</span>
              </label>
              <input
                id={`${baseId}-${input.id}`}
                type={input.password ? 'password' : 'text'}
                autoComplete="off"
                value={inputs[input.id] ?? ''}
                onChange={(e) => setInputs((v) => ({ ...v, [input.id]: e.target.value }))}
              />
            </div>
          ))}
        </fieldset>
      )}
      {(problem || error) && (
        <div className="callout callout-error" role="alert">
          {problem ?? error}
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy || picked.size === 0}>
          {busy ? 'Importing…' : `Import ${picked.size} server${picked.size === 1 ? '' : 's'}`}
        </button>
        <button type="button" className="btn" onClick={backToChoose}>
          Back
        </button>
      </div>
    </form>
  );
}
