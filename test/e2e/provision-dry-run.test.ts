// `scripts/provision --dry-run` on a host where the backup container does not exist yet: it
// must show every step, for the container's future rootfs, and change nothing.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eSkipReason, lxcpath, missingDefaultBridge, REPO, sh, uniquePrefix } from './lxc.js';

const skip = e2eSkipReason();

describe.skipIf(skip)('provision --dry-run', () => {
  it('shows the whole run for a container that does not exist yet and creates nothing', async () => {
    const name = `${uniquePrefix()}-dry`;
    const rootfs = join(await lxcpath(), name, 'rootfs');
    const result = await sh(join(REPO, 'scripts/provision'), ['--dry-run', '--name', name, '--network', 'none'], { timeoutMs: 120_000 });
    const output = `${String(result.stdout)}\n${String(result.stderr)}`;
    expect(result.exitCode, output).toBe(0);
    expect(output).toContain(`would run: lxc-create -n ${name} -t debian`);
    expect(output).toContain(`${rootfs}/opt/lxc-backup/lxc-backup.mjs`);
    expect(output).toContain(`${rootfs}/usr/local/bin/lxc-backup`);
    expect(output).toMatch(/dry run: nothing was changed$/m);
    await expect(access(join(await lxcpath(), name))).rejects.toThrow();
  });

  it('names a missing default bridge in one line before lxc-create, and then plans a container without network', async (context) => {
    const bridge = await missingDefaultBridge();
    if (!bridge) context.skip();
    const name = `${uniquePrefix()}-dry`;
    const result = await sh(join(REPO, 'scripts/provision'), ['--dry-run', '--name', name], { timeoutMs: 120_000 });
    const output = `${String(result.stdout)}\n${String(result.stderr)}`;
    expect(result.exitCode, output).toBe(0);
    const lines = output.split('\n');
    const said = lines.findIndex((line) => line.includes(`no bridge '${bridge}'`));
    expect(said, output).toBeGreaterThanOrEqual(0);
    expect(said).toBeLessThan(lines.findIndex((line) => line.includes('would run: lxc-create')));
    expect(output).toMatch(/^lxc\.net\.0\.type = empty$/m);
    await expect(access(join(await lxcpath(), name))).rejects.toThrow();
  });

  it('stops before any change when the download template would need the missing bridge', async (context) => {
    const bridge = await missingDefaultBridge();
    if (!bridge) context.skip();
    const name = `${uniquePrefix()}-dry`;
    const result = await sh(join(REPO, 'scripts/provision'), ['--dry-run', '--name', name, '--template', 'download'], {
      timeoutMs: 120_000,
    });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain(`'${bridge}', which does not exist`);
    expect(String(result.stdout)).not.toContain('lxc-create');
  });
});
