/** API keys encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). */
import path from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, type SecretStore } from '../core/storage/secret-store.js';

export function createDesktopSecretStore(dataDir: string): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) {
    const file = path.join(dataDir, 'secrets.plain.json');
    return new FileSecretStore(
      file,
      undefined,
      `No OS keychain is available, so API keys are kept unencrypted in ${file} (readable only by your user).`,
    );
  }
  return new FileSecretStore(path.join(dataDir, 'secrets.json'), {
    encode: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  });
}
