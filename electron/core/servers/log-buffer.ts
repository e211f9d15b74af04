/**
 * A server's recent log: stderr lines, MCP logging notifications and Sluice's own life-cycle notes,
 * in one bounded list so a chatty server cannot grow memory without end.
 */
import type { LogLevel, ServerLogEntry } from '../../../shared/server-features.js';

export const LOG_ENTRIES_KEPT = 1_000;
const LINE_LIMIT = 4_000;

let nextSeq = 1;

export class LogBuffer {
  private readonly entries: ServerLogEntry[] = [];
  private partialStderr = '';

  constructor(private readonly onEntry: (entry: ServerLogEntry) => void) {}

  list(): ServerLogEntry[] {
    return [...this.entries];
  }

  /** The seq of the newest entry: pass it to stderrTail() to see only what came after. */
  mark(): number {
    return this.entries.at(-1)?.seq ?? 0;
  }

  /** The last `count` stderr lines (after `afterSeq`), for error messages. */
  stderrTail(count: number, afterSeq = 0): string[] {
    return this.entries
      .filter((entry) => entry.source === 'stderr' && entry.seq > afterSeq)
      .slice(-count)
      .map((entry) => entry.text);
  }

  /** Stderr arrives in chunks that may split lines; whole lines become entries. */
  addStderr(chunk: string): void {
    const lines = (this.partialStderr + chunk).split(/\r?\n/);
    this.partialStderr = lines.pop() ?? '';
    if (this.partialStderr.length > LINE_LIMIT) {
      lines.push(this.partialStderr);
      this.partialStderr = '';
    }
    for (const line of lines) if (line.trim()) this.add({ source: 'stderr', text: line });
  }

  /** Flushes a last line the process wrote without a newline (it exited). */
  flushStderr(): void {
    if (this.partialStderr.trim()) this.add({ source: 'stderr', text: this.partialStderr });
    this.partialStderr = '';
  }

  add(entry: { source: ServerLogEntry['source']; text: string; level?: LogLevel; logger?: string }): void {
    const full: ServerLogEntry = {
      seq: nextSeq++,
      time: Date.now(),
      ...entry,
      text: entry.text.length > LINE_LIMIT ? `${entry.text.slice(0, LINE_LIMIT)}…` : entry.text,
    };
    this.entries.push(full);
    if (this.entries.length > LOG_ENTRIES_KEPT) this.entries.splice(0, this.entries.length - LOG_ENTRIES_KEPT);
    this.onEntry(full);
  }
}
