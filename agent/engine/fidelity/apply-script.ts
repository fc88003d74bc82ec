// The restore-side scripts written into every metadata directory, and its README. One
// implementation (apply.py) serves humans after a plain `duplicity restore` and the agent.
import APPLY_PY_TEXT from './apply.py.text.js';

// python3 apply.py [--meta DIR] RESTORED_DIR [SUBPATH]: re-links hard links, punches holes,
// restores xattrs, walking the restored tree without ever following a symlink.
export const APPLY_PY = APPLY_PY_TEXT;

// bash apply.sh RESTORED_DIR [SUBPATH]: runs apply.py; kept because the README in older backups names it.
export const APPLY_SCRIPT = `#!/bin/bash
# apply.sh - runs apply.py beside it: python3 apply.py RESTORED_DIR [SUBPATH].
# (apply.py walks the restored tree without following any symlink; see its header.)
set -euo pipefail
self_path=\${BASH_SOURCE[0]}
[[ $self_path == */* ]] || self_path=./$self_path
command -v python3 >/dev/null 2>&1 || { echo "apply.sh: 'python3' not found: install package python3" >&2; exit 2; }
exec python3 "\${self_path%/*}/apply.py" "$@"
`;

// README.txt: how to apply the metadata with plain commands.
export const README_TEXT = `lxc-backup fidelity metadata: what duplicity cannot keep (xattrs, POSIX ACLs, file
capabilities, hard links, holes in sparse files), captured at backup time and stored in the
same duplicity backup set as the container.
After a plain restore, with this directory restored too (for example to /tmp/meta):
  duplicity restore [--file-to-restore SUBPATH] URL /restore/web
  python3 /tmp/meta/apply.py /restore/web [SUBPATH]     (or: bash /tmp/meta/apply.sh ...)
Run it as root, after duplicity restore (owners must be in place: chown drops capabilities).
Needs python3, and fallocate (util-linux) for sparse files. Paths not restored are skipped.
It never follows a symlink inside the restored tree: entries reached through one are skipped.
Files: xattrs.dump (getfattr -R -P -h -d -m - -e hex, ACLs included), hardlinks.nul, sparse.nul.
Backups made before apply.py existed hold an apply.sh that follows symlinks: do not run it on
an untrusted container's restore; use apply.py from a newer backup or from lxc-backup's source.
`;
