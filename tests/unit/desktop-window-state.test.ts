import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  loadWindowState,
  restoreWindowState,
  saveWindowState,
  trackWindowState,
  WINDOW_STATE_FILE,
  type Rect,
  type WindowState,
} from '../../electron/desktop/window-state.js';
import { tempDir } from '../helpers/test-host.js';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 }; // work area (menu bar / dock excluded)
const monitorRight: Rect = { x: 1440, y: -200, width: 2560, height: 1415 };
const state = (x: number, y: number, width: number, height: number, isMaximized = false): WindowState => ({
  bounds: { x, y, width, height },
  isMaximized,
});

describe('restoring the window state', () => {
  it('first launch: the default size, centred on the primary display', () => {
    assert.deepEqual(restoreWindowState(undefined, [laptop]), {
      bounds: { width: 1280, height: 820, x: 80, y: 28 },
      isMaximized: false,
    });
  });

  it('first launch on a small screen: shrunk to the work area, never below it', () => {
    const small: Rect = { x: 0, y: 0, width: 1024, height: 700 };
    assert.deepEqual(restoreWindowState(undefined, [small]).bounds, { width: 1024, height: 700, x: 0, y: 0 });
  });

  it('keeps saved bounds that are on a display', () => {
    const saved = state(100, 50, 1000, 700, true);
    assert.deepEqual(restoreWindowState(saved, [laptop, monitorRight]), { bounds: saved.bounds, isMaximized: true });
  });

  it('keeps a window on a secondary display with negative coordinates', () => {
    const left: Rect = { x: -1920, y: 0, width: 1920, height: 1080 };
    const saved = state(-1800, 100, 1200, 800);
    assert.deepEqual(restoreWindowState(saved, [laptop, left], laptop).bounds, saved.bounds);
  });

  it('moves a window whose monitor was unplugged back to the primary display, keeping its size', () => {
    const saved = state(2000, 100, 1200, 800, true);
    assert.deepEqual(restoreWindowState(saved, [laptop]), {
      bounds: { width: 1200, height: 800, x: 120, y: 38 },
      isMaximized: true,
    });
  });

  it('pulls a half-off-screen window fully onto the display it mostly covers', () => {
    // Dragged so that its right part hangs off the laptop's right edge, with nothing there.
    const restored = restoreWindowState(state(900, 600, 1000, 700), [laptop]);
    assert.deepEqual(restored.bounds, { width: 1000, height: 700, x: 440, y: 175 });
  });

  it('chooses the display with the larger overlap when bounds straddle two', () => {
    const restored = restoreWindowState(state(1200, 100, 1000, 700), [laptop, monitorRight]);
    assert.deepEqual(restored.bounds, { width: 1000, height: 700, x: 1440, y: 100 });
  });

  it('shrinks a window larger than the display (resolution lowered since)', () => {
    const restored = restoreWindowState(state(0, 0, 2560, 1440), [laptop]);
    assert.deepEqual(restored.bounds, { width: 1440, height: 875, x: 0, y: 0 });
  });

  it('grows a saved size below the minimum back to it', () => {
    assert.deepEqual(restoreWindowState(state(10, 10, 200, 100), [laptop]).bounds, { width: 900, height: 600, x: 10, y: 10 });
  });

  it('lets the OS place the window when it knows of no display', () => {
    assert.deepEqual(restoreWindowState(state(5000, 5000, 1000, 700), []), { bounds: { width: 1000, height: 700 }, isMaximized: false });
    assert.deepEqual(restoreWindowState(undefined, []), { bounds: { width: 1280, height: 820 }, isMaximized: false });
  });
});

describe('window-state.json', () => {
  it('round-trips through an atomic write', async () => {
    const dir = tempDir();
    assert.equal(await loadWindowState(dir), undefined);
    await saveWindowState(dir, state(1, 2, 1000, 700, true));
    assert.deepEqual(await loadWindowState(dir), state(1, 2, 1000, 700, true));
    assert.deepEqual(readdirSync(dir), [WINDOW_STATE_FILE]);
  });

  it('moves a corrupt file aside, logs it, and falls back to the defaults', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{"bounds":{"x":"left"}}');
    const logged: string[] = [];
    assert.equal(await loadWindowState(dir, (message) => logged.push(message)), undefined);
    assert.match(logged.join('\n'), /window-state\.json could not be read/);
    assert.ok(readdirSync(dir).some((name) => name.startsWith(`${WINDOW_STATE_FILE}.corrupt-`)));
  });

  it('rejects nonsense values instead of restoring them', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), JSON.stringify(state(0, 0, -5, 1e12)));
    assert.equal(await loadWindowState(dir, () => undefined), undefined);
  });
});

class FakeWindow extends EventEmitter {
  bounds: Rect = { x: 10, y: 20, width: 1000, height: 700 };
  maximized = false;
  minimized = false;
  fullScreen = false;
  destroyed = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isMinimized = () => this.minimized;
  isFullScreen = () => this.fullScreen;
  isDestroyed = () => this.destroyed;
}

describe('tracking the window', () => {
  it('saves once after moves and resizes settle, not on every event', async () => {
    const window = new FakeWindow();
    const saved: WindowState[] = [];
    trackWindowState(window, async (s) => void saved.push(s), { debounceMs: 20 });
    for (let i = 0; i < 5; i++) {
      window.bounds = { ...window.bounds, x: 10 + i };
      window.emit('move');
    }
    assert.equal(saved.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(saved, [state(14, 20, 1000, 700)]);
  });

  it('keeps the normal bounds and the maximized flag; ignores minimized and full-screen moments', async () => {
    const window = new FakeWindow();
    const saved: WindowState[] = [];
    const tracker = trackWindowState(window, async (s) => void saved.push(s), { debounceMs: 10_000 });
    window.maximized = true;
    window.emit('maximize');
    await tracker.flush();
    window.minimized = true;
    window.bounds = { x: -32000, y: -32000, width: 160, height: 28 }; // what Windows reports when minimized
    window.emit('resize');
    await tracker.flush();
    assert.deepEqual(saved, [state(10, 20, 1000, 700, true)]);
  });

  it('writes at once when the window closes, and flush waits for it (at quit)', async () => {
    const dir = tempDir();
    const window = new FakeWindow();
    const tracker = trackWindowState(window, (s) => saveWindowState(dir, s), { debounceMs: 10_000 });
    window.bounds = { x: 300, y: 200, width: 1100, height: 750 };
    window.emit('close');
    window.destroyed = true;
    await tracker.flush();
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8')), state(300, 200, 1100, 750));
  });

  it('logs a failed write instead of throwing', async () => {
    const window = new FakeWindow();
    const logged: string[] = [];
    const tracker = trackWindowState(window, () => Promise.reject(new Error('disk full')), { log: (m) => logged.push(m) });
    await tracker.flush();
    assert.match(logged.join('\n'), /could not save the window state: disk full/);
  });
});
