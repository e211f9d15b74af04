/**
 * Tool-call settings on disk: each server's preset and per-tool rules, and what each app token may
 * see, in `toolcalls.json` in the data folder (mode 0600: it says which tools the user trusts).
 *
 * Every change is a function of the latest state, run through one SerialQueue, so two quick edits
 * (a preset and then an "always allow" from the dialog) never overwrite each other; the file is
 * replaced atomically and a corrupt one is moved aside by readJsonFile.
 */
import path from 'node:path';
import { z } from 'zod';
import {
  AppExposureSchema,
  DEFAULT_TOOL_POLICY,
  ServerToolPolicySchema,
  type AppExposure,
  type ServerToolPolicy,
  type ToolCallSettings,
  type ToolPreset,
  type ToolRule,
} from '../../../shared/toolcalls.js';
import { SerialQueue } from '../serial-queue.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';
import { snapshot, type ToolDefinition } from './definition.js';

const FileSchema = z.object({
  version: z.literal(1).default(1),
  servers: z.record(z.string(), ServerToolPolicySchema).default({}),
  exposure: z.record(z.string(), AppExposureSchema).default({}),
});
type SettingsFile = z.infer<typeof FileSchema>;

const EMPTY_EXPOSURE: AppExposure = { hiddenServers: [], hiddenTools: {} };

export class ToolCallStore {
  readonly file: string;
  private state: SettingsFile = { version: 1, servers: {}, exposure: {} };
  private readonly writes = new SerialQueue();
  /** Told after every change (the host relays it to the renderer; the gateway re-lists for apps). */
  onChange?: (settings: ToolCallSettings) => void;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'toolcalls.json');
  }

  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.file, FileSchema, () => ({ version: 1 as const, servers: {}, exposure: {} }));
    this.state = loaded.value;
    return loaded.notice;
  }

  settings(): ToolCallSettings {
    return { servers: { ...this.state.servers }, exposure: { ...this.state.exposure } };
  }

  policyFor(serverName: string): ServerToolPolicy {
    return this.state.servers[serverName] ?? DEFAULT_TOOL_POLICY;
  }

  exposureFor(tokenId: string): AppExposure {
    return this.state.exposure[tokenId] ?? EMPTY_EXPOSURE;
  }

  setPreset(serverName: string, preset: ToolPreset): Promise<void> {
    return this.update((state) => withServer(state, serverName, (policy) => ({ ...policy, preset })));
  }

  /**
   * Sets one tool's rule; `undefined` removes it (the preset applies again). Allowing remembers
   * the definition the user is looking at, so a later change is caught.
   */
  setToolRule(serverName: string, tool: ToolDefinition, rule: ToolRule | undefined): Promise<void> {
    return this.update((state) =>
      withServer(state, serverName, (policy) => {
        const { [tool.name]: _old, ...others } = policy.tools;
        if (!rule) return { ...policy, tools: others };
        return { ...policy, tools: { ...others, [tool.name]: rule === 'allow' ? { rule, allowed: snapshot(tool) } : { rule } } };
      }),
    );
  }

  setExposure(tokenId: string, exposure: AppExposure): Promise<void> {
    return this.update((state) => {
      const { [tokenId]: _old, ...others } = state.exposure;
      const empty = exposure.hiddenServers.length === 0 && Object.values(exposure.hiddenTools).every((tools) => tools.length === 0);
      return { ...state, exposure: empty ? others : { ...others, [tokenId]: exposure } };
    });
  }

  /** A revoked token's view is forgotten with it. */
  forgetApp(tokenId: string): Promise<void> {
    if (!(tokenId in this.state.exposure)) return Promise.resolve();
    return this.setExposure(tokenId, EMPTY_EXPOSURE);
  }

  /** A renamed server keeps its policy and its place in every app's view; a removed one loses them. */
  onServerRenamed(oldName: string, newName: string): Promise<void> {
    if (oldName === newName) return Promise.resolve();
    return this.update((state) => renameServer(state, oldName, newName));
  }

  onServerRemoved(serverName: string): Promise<void> {
    return this.update((state) => renameServer(state, serverName, undefined));
  }

  /** Resolves once every change queued so far is on disk. */
  flush(): Promise<void> {
    return this.writes.idle();
  }

  private update(change: (state: SettingsFile) => SettingsFile): Promise<void> {
    return this.writes.run(async () => {
      const next = change(this.state);
      if (next === this.state) return;
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
      this.state = next;
      this.onChange?.(this.settings());
    });
  }
}

function withServer(state: SettingsFile, serverName: string, change: (policy: ServerToolPolicy) => ServerToolPolicy): SettingsFile {
  const next = change(state.servers[serverName] ?? DEFAULT_TOOL_POLICY);
  const { [serverName]: _old, ...others } = state.servers;
  const isDefault = next.preset === 'allow-all' && Object.keys(next.tools).length === 0;
  return { ...state, servers: isDefault ? others : { ...others, [serverName]: next } };
}

function renameServer(state: SettingsFile, from: string, to: string | undefined): SettingsFile {
  const policy = state.servers[from];
  const touchesExposure = Object.values(state.exposure).some((view) => view.hiddenServers.includes(from) || from in view.hiddenTools);
  if (!policy && !touchesExposure) return state;
  const { [from]: _old, ...servers } = state.servers;
  if (policy && to) servers[to] = policy;
  const exposure: Record<string, AppExposure> = {};
  for (const [tokenId, view] of Object.entries(state.exposure)) {
    const hiddenServers = view.hiddenServers.flatMap((name) => (name === from ? (to ? [to] : []) : [name]));
    const { [from]: tools, ...hiddenTools } = view.hiddenTools;
    if (tools && to) hiddenTools[to] = tools;
    exposure[tokenId] = { hiddenServers, hiddenTools };
  }
  return { ...state, servers, exposure };
}
