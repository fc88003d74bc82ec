// The drill manifest on its own, as the capture makes it (its one find walk feeding
// startManifest) but without getfattr and the fidelity plan: what sample-hash-cost.ts times.
import { startManifest, type ManifestOptions } from '../agent/engine/drill/manifest-capture.js';
import type { DrillManifest } from '../agent/engine/drill/manifest-file.js';
import { streamTool } from '../agent/engine/fidelity/stream-tool.js';
import { WALK_ARGS } from '../agent/engine/fidelity/walk-format.js';

// Walks `containerDir` once and writes its manifest to `file`.
export async function captureManifest(containerDir: string, file: string, options: ManifestOptions): Promise<DrillManifest> {
  const manifest = startManifest(options);
  await streamTool('find', WALK_ARGS, { cwd: containerDir, onStdout: (chunk) => manifest.write(chunk) });
  return manifest.finish(containerDir, file);
}
