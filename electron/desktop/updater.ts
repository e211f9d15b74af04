/**
 * The desktop app's self-update, as a small state machine around an update feed (electron-updater's
 * `autoUpdater`, reading the GitHub release feed that electron-builder publishes). No Electron
 * import: main.ts hands in the feed, so tests drive this with a fake one.
 *
 * - At start, after a delay (so it never competes with opening the window and starting servers),
 *   and once a day while running: check, unless the user turned the setting off.
 * - A new version downloads in the background; when it is ready the renderer offers
 *   "Restart to update" (and it is installed at the next quit anyway).
 * - Help → Check for Updates checks whatever the setting, and says the outcome.
 * The setting lives in `updates.json` in the data folder (atomic, 0600).
 */
import path from 'node:path';
import { z } from 'zod';
import type { UpdateState } from '../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../core/storage/atomic-file.js';
import type { UpdatesPort } from '../core/updates/updates-port.js';

/** The part of electron-updater's AppUpdater we use. */
export interface UpdateFeed {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'checking-for-update' | 'update-not-available', listener: () => void): unknown;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
}

export interface UpdateControllerOptions {
  currentVersion: string;
  dataDir: string;
  /** Loaded on first use: electron-updater is only required in an installed app. */
  feed: () => Promise<UpdateFeed>;
  /** Before the first automatic check. */
  startDelayMs?: number;
  /** Between automatic checks while the app runs. */
  intervalMs?: number;
  /** Timers (tests pass fake ones); returns a cancel function. */
  schedule?: (run: () => void, ms: number) => () => void;
  now?: () => number;
}

export const START_DELAY_MS = 10_000;
export const CHECK_INTERVAL_MS = 24 * 60 * 60_000;
/** Feed errors can carry whole HTTP bodies; the UI gets one readable line. */
const MAX_ERROR_LENGTH = 300;

const SettingsSchema = z.object({ checkAtStart: z.boolean() });

export class UpdateController implements UpdatesPort {
  private current: UpdateState;
  private readonly listeners = new Set<(state: UpdateState) => void>();
  private feedPromise: Promise<UpdateFeed> | undefined;
  private checking: Promise<UpdateState> | undefined;
  private cancelTimer: (() => void) | undefined;
  private readonly schedule: NonNullable<UpdateControllerOptions['schedule']>;
  private readonly now: () => number;
  private readonly settingsFile: string;

  constructor(private readonly options: UpdateControllerOptions) {
    this.current = { supported: true, enabled: true, status: 'idle', currentVersion: options.currentVersion };
    this.schedule =
      options.schedule ??
      ((run, ms) => {
        const timer = setTimeout(run, ms);
        timer.unref();
        return () => clearTimeout(timer);
      });
    this.now = options.now ?? Date.now;
    this.settingsFile = path.join(options.dataDir, 'updates.json');
  }

  /** Reads the setting and, if it is on, schedules the first automatic check; returns a notice for a corrupt file. */
  async start(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.settingsFile, SettingsSchema, () => ({ checkAtStart: true }));
    this.update({ enabled: loaded.value.checkAtStart });
    this.scheduleAutomatic(this.options.startDelayMs ?? START_DELAY_MS);
    return loaded.notice;
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  state(): UpdateState {
    return this.current;
  }

  onChange(listener: (state: UpdateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One check at a time; a downloaded update is kept (checking again would only find it again). */
  check(): Promise<UpdateState> {
    if (this.current.status === 'ready') return Promise.resolve(this.current);
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  async setEnabled(enabled: boolean): Promise<UpdateState> {
    await writeFileAtomic(this.settingsFile, JSON.stringify({ checkAtStart: enabled }, null, 2), 0o600);
    this.update({ enabled });
    if (enabled) this.scheduleAutomatic(this.options.startDelayMs ?? START_DELAY_MS);
    else this.stop();
    return this.current;
  }

  restart(): void {
    if (this.current.status !== 'ready' || !this.feedPromise) throw new Error('No update has been downloaded yet.');
    // The feed is loaded (a download finished through it); quitAndInstall quits through our before-quit handler.
    void this.feedPromise.then((feed) => feed.quitAndInstall());
  }

  /** The sentence Help → Check for Updates shows for a state. */
  static describe(state: UpdateState): string {
    switch (state.status) {
      case 'up-to-date':
        return `Sluice ${state.currentVersion} is the newest version.`;
      case 'available':
      case 'downloading':
        return `Sluice ${state.version ?? ''} is available and downloading in the background. You will be asked to restart when it is ready.`;
      case 'ready':
        return `Sluice ${state.version ?? ''} has been downloaded. Restart Sluice to update.`;
      case 'error':
        return `Could not check for updates: ${state.error ?? 'unknown error'}`;
      default:
        return 'Checking for updates…';
    }
  }

  private scheduleAutomatic(delayMs: number): void {
    this.stop();
    if (!this.current.enabled) return;
    this.cancelTimer = this.schedule(() => {
      void this.check().finally(() => this.scheduleAutomatic(this.options.intervalMs ?? CHECK_INTERVAL_MS));
    }, delayMs);
  }

  private async runCheck(): Promise<UpdateState> {
    this.update({ status: 'checking', error: undefined });
    try {
      const feed = await this.loadFeed();
      await feed.checkForUpdates();
      // No event at all (a feed that resolved without saying anything) is not a new version.
      if (this.current.status === 'checking') this.update({ status: 'up-to-date', checkedAt: this.now() });
    } catch (error) {
      this.fail(error);
    }
    return this.current;
  }

  private loadFeed(): Promise<UpdateFeed> {
    this.feedPromise ??= this.options.feed().then((feed) => {
      feed.autoDownload = true;
      feed.autoInstallOnAppQuit = true;
      feed.on('checking-for-update', () => this.update({ status: 'checking' }));
      feed.on('update-not-available', () =>
        this.update({ status: 'up-to-date', version: undefined, percent: undefined, checkedAt: this.now() }),
      );
      feed.on('update-available', (info) => this.update({ status: 'available', version: info.version, percent: 0, checkedAt: this.now() }));
      feed.on('download-progress', (progress) =>
        this.update({
          status: 'downloading',
          percent: Math.max(0, Math.min(100, Number.isFinite(progress.percent) ? progress.percent : 0)),
        }),
      );
      feed.on('update-downloaded', (info) => this.update({ status: 'ready', version: info.version, percent: 100 }));
      feed.on('error', (error) => this.fail(error));
      return feed;
    });
    // A feed that failed to load may load next time (e.g. a transient file-system error).
    this.feedPromise.catch(() => (this.feedPromise = undefined));
    return this.feedPromise;
  }

  private fail(error: unknown): void {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    this.update({
      status: 'error',
      error: message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message,
      checkedAt: this.now(),
    });
  }

  private update(patch: Partial<UpdateState>): void {
    const next = { ...this.current, ...patch };
    for (const key of Object.keys(next) as Array<keyof UpdateState>) if (next[key] === undefined) delete next[key];
    this.current = next;
    for (const listener of this.listeners) listener(this.current);
  }
}
