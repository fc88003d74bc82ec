// Writes the container's exclude filelist, which backup and verify both hand to duplicity.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { excludeFilelist } from './duplicity/layout.js';
import type { JobContext } from './job-context.js';

// Writes ctx.layout.excludeFile from the container's current exclude patterns.
export async function writeExcludeFile(ctx: JobContext): Promise<void> {
  await mkdir(dirname(ctx.layout.excludeFile), { recursive: true, mode: 0o700 });
  await writeFile(ctx.layout.excludeFile, excludeFilelist(ctx.layout, ctx.container.settings.exclude), { mode: 0o600 });
}
