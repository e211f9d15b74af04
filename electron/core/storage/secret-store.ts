/**
 * Where API keys live. The core only sees this interface: the desktop app backs it with
 * Electron's safeStorage (OS keychain encryption); web mode and tests use `FileSecretStore`.
 */
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { SerialQueue } from '../serial-queue.js';

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Shown to the user when the store is weaker than the OS keychain. */
  readonly warning?: string;
}

const SecretsFileSchema = z.record(z.string(), z.string());

/**
 * Secrets in a JSON file readable only by the current user (mode 0600). `encode`/`decode` let
 * the desktop adapter encrypt each value with safeStorage while reusing the same file handling.
 */
export class FileSecretStore implements SecretStore {
  private loaded: Promise<Record<string, string>> | undefined;
  private readonly writes = new SerialQueue();

  constructor(
    private readonly file: string,
    private readonly codec: { encode(plain: string): string; decode(stored: string): string } = {
      encode: (plain) => plain,
      decode: (stored) => stored,
    },
    readonly warning?: string,
  ) {}

  /** One shared in-memory copy: concurrent first calls must not each load (and then lose) their own. */
  private load(): Promise<Record<string, string>> {
    this.loaded ??= readJsonFile(this.file, SecretsFileSchema, () => ({})).then((loaded) => loaded.value);
    return this.loaded;
  }

  async get(key: string): Promise<string | undefined> {
    const stored = (await this.load())[key];
    return stored === undefined ? undefined : this.codec.decode(stored);
  }

  async set(key: string, value: string): Promise<void> {
    const all = await this.load();
    all[key] = this.codec.encode(value);
    await this.persist(all);
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    if (!(key in all)) return;
    delete all[key];
    await this.persist(all);
  }

  /**
   * Writes run one after another, each serialising the state as it is when it runs, so an older
   * snapshot can never land after a newer one.
   */
  private persist(all: Record<string, string>): Promise<void> {
    return this.writes.run(async () => {
      await writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600);
      await fs.chmod(this.file, 0o600);
    });
  }
}
