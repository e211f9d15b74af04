/** Browsers for a server's resources, resource templates and prompts (refreshed on list_changed). */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { PromptInfo, ResourceTemplateInfo } from '../../../../shared/server-features';
import type { Icon } from '../../../../shared/domain';
import { useServers } from '../../state/servers';
import { SafeIcon } from '../common/SafeIcon';
import { cancelCall, setSubscribed, useActivity } from '../../state/activity';
import { CallProgress } from './CallProgress';
import { CompletingInput } from './CompletingInput';
import { ContentBlock } from './ContentBlock';
import { ResourceViewer } from './ResourceViewer';
import {
  getPrompt,
  loadPrompts,
  loadResources,
  readResource,
  removePromptRun,
  useServerFeatures,
  type PromptRun,
} from '../../state/server-browse';
import './activity.css';

export function ResourcesPanel({ server }: { server: string }) {
  const state = useServerFeatures((s) => s.browse[server]?.resources);
  useEffect(() => {
    void loadResources(server);
  }, [server]);
  if (!state || (state.loading && !state.value)) return <p className="muted">Loading resources…</p>;
  if (state.error)
    return (
      <p className="error-text" role="alert">
        Could not list resources: {state.error}
      </p>
    );
  const { resources, templates } = state.value ?? { resources: [], templates: [] };
  return (
    <div className="browse">
      <div className="section-header">
        <h4>Resources</h4>
        <button type="button" className="btn btn-small" onClick={() => void loadResources(server)} disabled={state.loading}>
          Refresh
        </button>
      </div>
      {resources.length === 0 ? (
        <p className="muted">This server lists no resources.</p>
      ) : (
        <ul className="browse-list">
          {resources.map((resource) => (
            <ResourceItem
              key={resource.uri}
              server={server}
              uri={resource.uri}
              title={resource.title ?? resource.name}
              description={resource.description}
              mimeType={resource.mimeType}
              icons={resource.icons as Icon[] | undefined}
            />
          ))}
        </ul>
      )}
      <h4>Resource templates</h4>
      {templates.length === 0 ? (
        <p className="muted">No templates.</p>
      ) : (
        <ul className="browse-list">
          {templates.map((template) => (
            <TemplateItem key={template.uriTemplate} server={server} template={template} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ResourceItem({
  server,
  uri,
  title,
  description,
  mimeType,
  icons,
}: {
  server: string;
  uri: string;
  title: string;
  description?: string;
  mimeType?: string;
  icons?: Icon[];
}) {
  const read = useServerFeatures((s) => s.browse[server]?.reads[uri]);
  const subscribed = useActivity((s) => s.subscriptions[server]?.includes(uri) ?? false);
  const canSubscribe = useServerCapabilities(server).subscribe;
  const [problem, setProblem] = useState<string>();
  const toggle = async () => {
    setProblem(await setSubscribed(server, uri, !subscribed));
    if (!subscribed && !read) void readResource(server, uri);
  };
  return (
    <li className="browse-item" data-testid={`resource-${uri}`}>
      <div className="tool-row">
        <div className="tool-text">
          <div className="tool-name">
            <SafeIcon icons={icons} size={16} />
            <span>{title}</span> <code>{uri}</code> {mimeType && <span className="chip">{mimeType}</span>}
            {subscribed && <span className="chip chip-info">subscribed</span>}
          </div>
          {description && <p className="tool-description">{description}</p>}
        </div>
        <div className="button-row">
          {canSubscribe && (
            <button type="button" className="btn btn-small" onClick={() => void toggle()} aria-pressed={subscribed}>
              {subscribed ? 'Unsubscribe' : 'Subscribe'}
            </button>
          )}
          <button type="button" className="btn btn-small" onClick={() => void readResource(server, uri)} disabled={read?.loading}>
            Read
          </button>
        </div>
      </div>
      {problem && (
        <p className="error-text" role="alert">
          {problem}
        </p>
      )}
      <ResourceViewer server={server} uri={uri} />
    </li>
  );
}

/** What the server declared that the browsers offer: completions, resource subscriptions. */
function useServerCapabilities(server: string): { completions: boolean; subscribe: boolean } {
  const status = useServers((s) => s.servers.find((candidate) => candidate.definition.name === server));
  const capabilities = status?.capabilities ?? {};
  const resources = capabilities.resources as { subscribe?: unknown } | undefined;
  return { completions: 'completions' in capabilities, subscribe: Boolean(resources?.subscribe) && status?.era !== 'modern' };
}

/** The `{variables}` of an RFC 6570 URI template (the simple and common operator forms). */
function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{[+#./;?&]?([^}]+)\}/g))
    for (const name of (match[1] ?? '').split(',')) names.add(name.replace(/\*$|:\d+$/, ''));
  return [...names];
}

function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([+#./;?&]?)([^}]+)\}/g, (_whole, op: string, names: string) => {
    const parts = names.split(',').map((n) => n.replace(/\*$|:\d+$/, ''));
    const encode = (v: string) => (op === '+' || op === '#' ? encodeURI(v) : encodeURIComponent(v));
    if (op === '?' || op === '&') return op + parts.map((n) => `${n}=${encode(values[n] ?? '')}`).join('&');
    const prefix = op === '+' ? '' : op;
    return prefix + parts.map((n) => encode(values[n] ?? '')).join(op === '/' || op === '.' ? op : ',');
  });
}

function TemplateItem({ server, template }: { server: string; template: ResourceTemplateInfo }) {
  const variables = templateVariables(template.uriTemplate);
  const [values, setValues] = useState<Record<string, string>>({});
  const [uri, setUri] = useState<string>();
  const { completions } = useServerCapabilities(server);
  const baseId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expanded = expandTemplate(template.uriTemplate, values);
    setUri(expanded);
    void readResource(server, expanded);
  };
  return (
    <li className="browse-item">
      <div className="tool-name">
        <span>{template.title ?? template.name}</span> <code>{template.uriTemplate}</code>
      </div>
      {template.description && <p className="tool-description">{template.description}</p>}
      <form className="inline-form" onSubmit={submit}>
        {variables.map((variable) => (
          <span key={variable} className="inline-field">
            <label htmlFor={`${baseId}-${variable}`}>{variable}</label>
            <CompletingInput
              id={`${baseId}-${variable}`}
              server={server}
              enabled={completions}
              refFor={{ type: 'ref/resource', uri: template.uriTemplate }}
              argument={variable}
              value={values[variable] ?? ''}
              context={otherValues(values, variable)}
              onChange={(value) => setValues((v) => ({ ...v, [variable]: value }))}
            />
          </span>
        ))}
        <button type="submit" className="btn btn-small">
          Read
        </button>
      </form>
      {uri && (
        <>
          <p className="hint">
            <code>{uri}</code>
          </p>
          <ResourceViewer server={server} uri={uri} />
        </>
      )}
    </li>
  );
}

/** The other filled-in arguments: the completion context for `name`. */
function otherValues(values: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => key !== name && value !== ''));
}

export function PromptsPanel({ server }: { server: string }) {
  const state = useServerFeatures((s) => s.browse[server]?.prompts);
  useEffect(() => {
    void loadPrompts(server);
  }, [server]);
  if (!state || (state.loading && !state.value)) return <p className="muted">Loading prompts…</p>;
  if (state.error)
    return (
      <p className="error-text" role="alert">
        Could not list prompts: {state.error}
      </p>
    );
  const prompts = state.value ?? [];
  return (
    <div className="browse">
      <div className="section-header">
        <h4>Prompts</h4>
        <button type="button" className="btn btn-small" onClick={() => void loadPrompts(server)} disabled={state.loading}>
          Refresh
        </button>
      </div>
      {prompts.length === 0 ? (
        <p className="muted">This server offers no prompts.</p>
      ) : (
        <ul className="browse-list">
          {prompts.map((prompt) => (
            <PromptItem key={prompt.name} server={server} prompt={prompt} />
          ))}
        </ul>
      )}
    </div>
  );
}

function PromptItem({ server, prompt }: { server: string; prompt: PromptInfo }) {
  const runs = useServerFeatures((s) => s.browse[server]?.promptRuns);
  const mine = (runs ?? []).filter((run) => run.name === prompt.name);
  const { completions } = useServerCapabilities(server);
  const [values, setValues] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const baseId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = (prompt.arguments ?? []).filter((a) => a.required && !values[a.name]?.trim()).map((a) => a.name);
    setMissing(absent);
    if (absent.length) return;
    const args = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    void getPrompt(server, prompt.name, args);
  };
  return (
    <li className="browse-item" data-testid={`prompt-${prompt.name}`}>
      <div className="tool-name">
        <SafeIcon icons={prompt.icons as Icon[] | undefined} size={16} />
        <code>{prompt.name}</code> {prompt.title && prompt.title !== prompt.name && <span className="tool-title">{prompt.title}</span>}
      </div>
      {prompt.description && <p className="tool-description">{prompt.description}</p>}
      <form className="inline-form" onSubmit={submit} noValidate>
        {(prompt.arguments ?? []).map((arg) => (
          <span key={arg.name} className="inline-field">
            <label htmlFor={`${baseId}-${arg.name}`} title={arg.description}>
              {arg.title ?? arg.name}
              {arg.required && <span className="required-mark"> *</span>}
            </label>
            <CompletingInput
              id={`${baseId}-${arg.name}`}
              server={server}
              enabled={completions}
              refFor={{ type: 'ref/prompt', name: prompt.name }}
              argument={arg.name}
              value={values[arg.name] ?? ''}
              context={otherValues(values, arg.name)}
              invalid={missing.includes(arg.name)}
              onChange={(value) => setValues((v) => ({ ...v, [arg.name]: value }))}
            />
          </span>
        ))}
        <button type="submit" className="btn btn-small">
          Get prompt
        </button>
      </form>
      {missing.length > 0 && (
        <p className="field-error" role="alert">
          Fill in {missing.join(', ')}.
        </p>
      )}
      {mine.length > 0 && (
        <ul className="prompt-history browse-list" aria-label={`Results of ${prompt.name}`}>
          {mine.map((run) => (
            <PromptRunView key={run.id} server={server} run={run} />
          ))}
        </ul>
      )}
    </li>
  );
}

function PromptRunView({ server, run }: { server: string; run: PromptRun }) {
  const args = Object.entries(run.arguments);
  return (
    <li className="tool-result" data-testid="prompt-result">
      <div className="result-toolbar">
        <span className="muted">{args.length ? args.map(([k, v]) => `${k}=${v}`).join(', ') : 'no arguments'}</span>
        {!run.loading && (
          <button type="button" className="btn btn-small" onClick={() => removePromptRun(server, run.id)}>
            Remove
          </button>
        )}
      </div>
      {run.loading && (
        <CallProgress callId={run.callId} onCancel={run.callId ? () => void cancelCall(server, run.callId as string) : undefined} />
      )}
      {run.error && (
        <p className="error-text" role="alert">
          {run.error}
        </p>
      )}
      {run.value?.description && <p className="muted">{run.value.description}</p>}
      {run.value?.messages.map((message, index) => (
        <div key={index} className="prompt-message">
          <span className="chip">{message.role}</span>
          <ContentBlock server={server} index={index} block={message.content} />
        </div>
      ))}
    </li>
  );
}
