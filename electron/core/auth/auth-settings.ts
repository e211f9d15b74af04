/**
 * App-wide sign-in settings, saved in auth-settings.json in the data folder (0600, written
 * atomically): today the Client ID Metadata Document URL that every server without its own uses.
 * A URL given when the host starts (HostOptions.clientMetadataUrl) is the default below the saved
 * one, so a distribution can ship one and the user can still replace it.
 */
import path from 'node:path';
import { AuthSettingsSchema, type AuthSettings, type AuthSettingsView } from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';

export class AuthSettingsStore {
  readonly file: string;
  private settings: AuthSettings = {};

  constructor(
    dataDir: string,
    /** HostOptions.clientMetadataUrl: the default when nothing is saved. */
    private readonly startupClientMetadataUrl?: string,
  ) {
    this.file = path.join(dataDir, 'auth-settings.json');
  }

  /** Reads the file; a corrupt one is moved aside and the notice says so. */
  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.file, AuthSettingsSchema, () => ({}));
    this.settings = loaded.value;
    return loaded.notice;
  }

  view(): AuthSettingsView {
    return { ...this.settings, ...(this.startupClientMetadataUrl ? { startupClientMetadataUrl: this.startupClientMetadataUrl } : {}) };
  }

  /** The URL sign-ins use for servers without their own: the saved one, else the startup one. */
  clientMetadataUrl(): string | undefined {
    return this.settings.clientMetadataUrl ?? this.startupClientMetadataUrl;
  }

  /** Validated again here (the contract already did): a bad URL is refused and nothing is lost. */
  async save(settings: AuthSettings): Promise<void> {
    const next = AuthSettingsSchema.parse(settings);
    const clean: AuthSettings = next.clientMetadataUrl ? { clientMetadataUrl: next.clientMetadataUrl } : {};
    await writeFileAtomic(this.file, JSON.stringify(clean, null, 2));
    this.settings = clean;
  }
}
