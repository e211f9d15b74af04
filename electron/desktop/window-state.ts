/**
 * The main window's size, position and maximized state, kept in `window-state.json` in the data
 * folder. Plain Node (no Electron import): the main process passes in the displays' work areas
 * and a window, so the restore logic runs and is tested without Electron.
 *
 * Restoring never puts the window where the user cannot reach it: a monitor may have been
 * unplugged or its resolution lowered since the state was saved, so saved bounds are moved onto
 * the display they overlap most (the primary one when they overlap none) and shrunk to fit it.
 */
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../core/storage/atomic-file.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

const Int = z.number().int().min(-1_000_000).max(1_000_000);

export const WindowStateSchema = z.object({
  /** The normal (not maximized) bounds, so un-maximizing after a restart lands somewhere sane. */
  bounds: z.object({ x: Int, y: Int, width: Int.min(1), height: Int.min(1) }),
  isMaximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_SIZE: Size = { width: 1280, height: 820 };
export const MIN_WINDOW_SIZE: Size = { width: 900, height: 600 };

export interface RestoredWindow {
  /** Absent `x`/`y` let the OS place the window (first launch with no display information). */
  bounds: Size & Partial<Pick<Rect, 'x' | 'y'>>;
  isMaximized: boolean;
}

function overlapArea(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** The size to use on a work area: `wanted`, but never larger than the area nor below the minimum (unless the area is). */
function fitSize(wanted: Size, area: Rect, min: Size): Size {
  return {
    width: Math.round(clamp(wanted.width, Math.min(min.width, area.width), area.width)),
    height: Math.round(clamp(wanted.height, Math.min(min.height, area.height), area.height)),
  };
}

function centered(size: Size, area: Rect): Rect {
  return {
    ...size,
    x: Math.round(area.x + (area.width - size.width) / 2),
    y: Math.round(area.y + (area.height - size.height) / 2),
  };
}

/**
 * Where the window opens, given what was saved (if anything) and the displays' work areas
 * (`workAreas[0]` need not be the primary one: pass it separately).
 *
 * - Nothing saved: the default size, shrunk to the primary work area, centred on it.
 * - Saved bounds overlapping no display (the monitor is gone): the saved size, centred on the primary.
 * - Otherwise: on the display the bounds overlap most, shrunk to fit it and moved fully inside it.
 */
export function restoreWindowState(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
  primary: Rect | undefined = workAreas[0],
  options: { defaultSize?: Size; minSize?: Size } = {},
): RestoredWindow {
  const defaultSize = options.defaultSize ?? DEFAULT_WINDOW_SIZE;
  const minSize = options.minSize ?? MIN_WINDOW_SIZE;
  if (!primary) {
    // No display information at all: keep the size, let the OS place the window.
    const size = saved?.bounds ?? defaultSize;
    return { bounds: { width: size.width, height: size.height }, isMaximized: saved?.isMaximized ?? false };
  }
  if (!saved) return { bounds: centered(fitSize(defaultSize, primary, minSize), primary), isMaximized: false };

  let best: Rect | undefined;
  let bestOverlap = 0;
  for (const area of workAreas) {
    const overlap = overlapArea(saved.bounds, area);
    if (overlap > bestOverlap) {
      best = area;
      bestOverlap = overlap;
    }
  }
  if (!best) return { bounds: centered(fitSize(saved.bounds, primary, minSize), primary), isMaximized: saved.isMaximized };

  const size = fitSize(saved.bounds, best, minSize);
  return {
    bounds: {
      ...size,
      x: Math.round(clamp(saved.bounds.x, best.x, best.x + best.width - size.width)),
      y: Math.round(clamp(saved.bounds.y, best.y, best.y + best.height - size.height)),
    },
    isMaximized: saved.isMaximized,
  };
}

/** Reads the saved state; a missing file gives `undefined`, a corrupt one is moved aside (and logged). */
export async function loadWindowState(dataDir: string, log: (message: string) => void = console.warn): Promise<WindowState | undefined> {
  try {
    const loaded = await readJsonFile(path.join(dataDir, WINDOW_STATE_FILE), WindowStateSchema.optional(), () => undefined);
    if (loaded.notice) log(`sluice: ${loaded.notice}`);
    return loaded.value;
  } catch (error) {
    log(`sluice: could not read the window state: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(path.join(dataDir, WINDOW_STATE_FILE), `${JSON.stringify(WindowStateSchema.parse(state), null, 2)}\n`);
}

/** The part of a BrowserWindow the tracker needs. */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isFullScreen(): boolean;
  isDestroyed(): boolean;
}

export interface WindowStateTracker {
  /** Writes the latest state now (if it changed) and waits for every write to finish. */
  flush(): Promise<void>;
}

/**
 * Saves the window's state a moment after it stops moving or resizing, and at once when it
 * closes. Writes are atomic and serialised; a failed write is logged, never thrown.
 */
export function trackWindowState(
  window: TrackedWindow,
  save: (state: WindowState) => Promise<void>,
  options: { debounceMs?: number; log?: (message: string) => void } = {},
): WindowStateTracker {
  const debounceMs = options.debounceMs ?? 500;
  const log = options.log ?? console.warn;
  let timer: NodeJS.Timeout | undefined;
  let latest: WindowState | undefined;
  let lastWritten = '';
  let writing: Promise<void> = Promise.resolve();

  const capture = (): void => {
    // Minimized and full-screen bounds are not what the user wants back; keep the last normal ones.
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    const bounds = window.getNormalBounds();
    latest = {
      bounds: { x: Math.round(bounds.x), y: Math.round(bounds.y), width: Math.round(bounds.width), height: Math.round(bounds.height) },
      isMaximized: window.isMaximized(),
    };
  };

  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const state = latest;
    const text = state ? JSON.stringify(state) : '';
    if (!state || text === lastWritten) return writing;
    lastWritten = text;
    writing = writing.then(() =>
      save(state).catch((error: unknown) =>
        log(`sluice: could not save the window state: ${error instanceof Error ? error.message : String(error)}`),
      ),
    );
    return writing;
  };

  const schedule = (): void => {
    capture();
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void write(), debounceMs);
    timer.unref?.();
  };

  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, schedule);
  window.on('close', () => {
    capture();
    void write();
  });
  capture();

  return {
    flush() {
      if (!window.isDestroyed()) capture();
      return write();
    },
  };
}
