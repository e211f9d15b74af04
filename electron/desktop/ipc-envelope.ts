/**
 * What crosses Electron IPC for an invoke: an envelope instead of a thrown error, because
 * Electron rewrites thrown errors into "Error invoking remote method …" noise.
 */
export type IpcEnvelope = { ok: true; value: unknown } | { ok: false; error: string };
