// The agent's secrets: read fresh at each use (an edit needs no restart), but a file that
// turned bad (wrong mode or owner, a symlink) leaves the agent on the last good values, with
// the reason reported once per distinct problem, instead of failing every job.
import { readSecretValues, type SecretsReader } from './secrets-file.js';
import { errorMessage } from '../core/error-message.js';

export interface SecretsKeeper {
  // A reader that falls back to the last good values of the same file.
  read: SecretsReader;
}

// Creates a keeper; `onBad` hears each new problem, `onRecovered` when the file is good again.
export function createSecretsKeeper(
  onBad: (error: Error, keptLastGood: boolean) => void,
  onRecovered?: (file: string) => void,
): SecretsKeeper {
  const lastGood = new Map<string, Map<string, string>>();
  const reported = new Map<string, string>();
  return {
    async read(file) {
      try {
        const values = await readSecretValues(file);
        lastGood.set(file, values);
        if (reported.delete(file)) onRecovered?.(file);
        return values;
      } catch (error) {
        const kept = lastGood.get(file);
        const message = errorMessage(error);
        if (reported.get(file) !== message) {
          reported.set(file, message);
          onBad(error instanceof Error ? error : new Error(message), kept !== undefined);
        }
        if (kept) return kept;
        throw error;
      }
    },
  };
}
