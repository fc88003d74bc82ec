import { describe, expect, it } from 'vitest';
import { parseHelperConfig } from '../../../agent/helper/config.js';

describe('parseHelperConfig', () => {
  it('fills the defaults around the one required key', () => {
    const config = parseHelperConfig(['--backup-container', 'lxc-backup']);
    expect(config).toMatchObject({
      socket: '/run/lxc-backup-helper/helper.sock',
      lxcpath: '/var/lib/lxc',
      backup_container: 'lxc-backup',
      max_freeze_s: 30,
      hook_output_bytes: 4096,
      state_dir: '/var/lib/lxc-backup-helper',
    });
  });

  it('reads the JSON file and lets flags override it', () => {
    const files: Record<string, string> = { '/etc/h.json': '{"backup_container":"bc","max_freeze_s":10,"lxcpath":"/srv/lxc"}' };
    const config = parseHelperConfig(['--config', '/etc/h.json', '--max-freeze', '5'], (path) => files[path] ?? '');
    expect(config).toMatchObject({ backup_container: 'bc', max_freeze_s: 5, lxcpath: '/srv/lxc' });
  });

  it('says which key or flag is wrong', () => {
    expect(() => parseHelperConfig([])).toThrow(/config key backup_container/);
    expect(() => parseHelperConfig(['--backup-container', 'bc', '--lxcpath', 'relative'])).toThrow(/config key lxcpath: an absolute path/);
    expect(() => parseHelperConfig(['--backup-container', 'bc', '--max-freeze', 'soon'])).toThrow(/config key max_freeze_s/);
    expect(() => parseHelperConfig(['--backup-container', 'bc', '--bogus', 'x'])).toThrow(/unknown option --bogus/);
    expect(() => parseHelperConfig(['--backup-container'])).toThrow(/--backup-container needs a value/);
    expect(() => parseHelperConfig(['--config', 'f'], () => '{"backup_container":"bc","extra":1}')).toThrow(/extra|Unrecognized/);
    expect(() => parseHelperConfig(['--config', 'f'], () => 'not json')).toThrow(/f: expected JSON/);
  });
});
