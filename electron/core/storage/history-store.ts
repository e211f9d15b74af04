/**
 * The decision history: an append-only JSON-lines file. Each entry is one line written with a
 * single append, so a crash mid-write can only damage the last line, which loading skips
 * (and reports) while every earlier entry survives.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { HistoryEntrySchema, type HistoryEntry } from '../../../shared/domain.js';
import { SerialQueue } from '../serial-queue.js';

export class HistoryStore {
  readonly file: string;
  private entries: HistoryEntry[] = [];
  /** Appends run in order so lines never interleave. */
  private readonly writes = new SerialQueue();
  /** A crash may have left a last line without its newline: the next append must start a new line. */
  private needsSeparator = false;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'history.jsonl');
  }

  /** Reads the file; returns a notice when some lines could not be read. */
  async load(): Promise<string | undefined> {
    let text = '';
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let skipped = 0;
    this.entries = [];
    this.needsSeparator = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        this.entries.push(HistoryEntrySchema.parse(JSON.parse(line)));
      } catch {
        skipped += 1;
      }
    }
    if (skipped === 0) return undefined;
    return `${skipped} unreadable line(s) in ${this.file} were skipped; the file was left as it is and ${this.entries.length} entries were loaded.`;
  }

  list(): HistoryEntry[] {
    return [...this.entries].reverse();
  }

  append(entry: HistoryEntry): Promise<void> {
    this.entries.push(entry);
    const line = `${this.needsSeparator ? '\n' : ''}${JSON.stringify(entry)}\n`;
    this.needsSeparator = false;
    return this.writes.run(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await fs.appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    });
  }

  /** Resolves when every append so far has reached the disk (used on quit). */
  flush(): Promise<void> {
    return this.writes.idle();
  }
}
