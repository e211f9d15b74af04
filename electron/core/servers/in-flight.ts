/**
 * The calls the user started and can still cancel (tool calls, prompt gets, resource reads), with
 * their progress. Each call gets an AbortController: aborting it makes the SDK send
 * `notifications/cancelled` to the server (both eras) and reject the call. Every call asks for
 * progress (the SDK adds a `progressToken`); the server decides how often it reports, so the
 * reports are coalesced to at most one per PROGRESS_INTERVAL_MS per call, and messages are cut.
 */
import type { ProgressEvent } from '../../../shared/server-activity.js';

export const PROGRESS_INTERVAL_MS = 100;
const MESSAGE_MAX = 500;
/** A renderer cannot pile up unbounded controllers (it names the calls). */
const MAX_IN_FLIGHT = 200;

/** What a connection method needs to make a call cancellable and report progress. */
export interface RequestControl {
  signal: AbortSignal;
  onprogress: (progress: { progress: number; total?: number; message?: string }) => void;
}

export class CancelledByUser extends Error {
  constructor() {
    super('Cancelled: you cancelled this request and the server was told (notifications/cancelled)');
    this.name = 'CancelledByUser';
  }
}

interface Entry {
  controller: AbortController;
  pending?: ProgressEvent;
  timer?: NodeJS.Timeout;
  lastSent: number;
}

export class InFlightCalls {
  private readonly calls = new Map<string, Entry>();

  constructor(private readonly emitProgress: (event: ProgressEvent) => void) {}

  /**
   * Runs `call` with a control for `callId` (calls without an id still ask for progress, they
   * just cannot be matched or cancelled). A call the user cancelled rejects with CancelledByUser.
   */
  async run<T>(name: string, callId: string | undefined, call: (control: RequestControl) => Promise<T>): Promise<T> {
    const key = callId === undefined ? undefined : keyOf(name, callId);
    if (key && this.calls.has(key)) throw new Error(`A call with id ${callId} is already running`);
    if (this.calls.size >= MAX_IN_FLIGHT) throw new Error('Too many calls in flight; wait for some to finish');
    const entry: Entry = { controller: new AbortController(), lastSent: 0 };
    if (key) this.calls.set(key, entry);
    const onprogress: RequestControl['onprogress'] = (raw) => {
      if (callId === undefined || !Number.isFinite(raw.progress)) return;
      const event: ProgressEvent = {
        name,
        callId,
        progress: raw.progress,
        total: typeof raw.total === 'number' && Number.isFinite(raw.total) ? raw.total : undefined,
        message: typeof raw.message === 'string' ? raw.message.slice(0, MESSAGE_MAX) : undefined,
      };
      this.report(entry, event);
    };
    try {
      return await call({ signal: entry.controller.signal, onprogress });
    } catch (error) {
      if (entry.controller.signal.aborted) throw new CancelledByUser();
      throw error;
    } finally {
      if (entry.timer) clearTimeout(entry.timer);
      if (key) this.calls.delete(key);
    }
  }

  /** Cancels a running call; answers false when there is no such call (it may just have finished). */
  cancel(name: string, callId: string): boolean {
    const entry = this.calls.get(keyOf(name, callId));
    if (!entry) return false;
    entry.controller.abort(new CancelledByUser());
    return true;
  }

  /** Every call to a server (when it stops or is removed, its calls fail anyway; this ends them now). */
  cancelServer(name: string): void {
    for (const [key, entry] of this.calls) if (key.startsWith(`${name}\u0000`)) entry.controller.abort(new CancelledByUser());
  }

  private report(entry: Entry, event: ProgressEvent): void {
    const wait = entry.lastSent + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0 && !entry.timer) {
      entry.lastSent = Date.now();
      this.emitProgress(event);
      return;
    }
    // Coalesce: only the latest report in the window is sent, when the window ends.
    entry.pending = event;
    entry.timer ??= setTimeout(
      () => {
        entry.timer = undefined;
        const pending = entry.pending;
        entry.pending = undefined;
        if (!pending || entry.controller.signal.aborted) return;
        entry.lastSent = Date.now();
        this.emitProgress(pending);
      },
      Math.max(wait, 0),
    );
  }
}

function keyOf(name: string, callId: string): string {
  return `${name}\u0000${callId}`;
}
