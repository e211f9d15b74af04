/**
 * The preload script: exposes exactly one API, `window.sluice`, generated from the shared channel
 * map (see desktop/preload-api.ts). Nothing else of Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './desktop/preload-api.js';

contextBridge.exposeInMainWorld('sluice', createPreloadApi(ipcRenderer));
