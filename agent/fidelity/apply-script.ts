// The restore-side script written into every metadata directory, and its README.
// One implementation serves humans (plain bash after `duplicity restore`) and the agent.
// The script is kept verbatim here so the bundled agent needs no extra files.

// bash apply.sh RESTORED_DIR [SUBPATH]: re-links hard links, punches holes, restores xattrs.
export const APPLY_SCRIPT = `#!/bin/bash
# apply.sh — put back what duplicity cannot keep: hard links, holes in sparse files, and
# extended attributes (POSIX ACLs, file capabilities, user./trusted./security.* xattrs).
# Written by lxc-backup next to xattrs.dump, hardlinks.nul and sparse.nul; needs only
# bash, coreutils, util-linux (fallocate) and attr (setfattr).
#
# usage: bash apply.sh RESTORED_DIR [SUBPATH]
#   RESTORED_DIR  what \`duplicity restore\` wrote: the container directory (config, rootfs/),
#                 or, with SUBPATH, only the contents of SUBPATH (e.g. rootfs/etc), as
#                 \`duplicity restore --file-to-restore SUBPATH\` produces.
# Entries outside SUBPATH and paths that were not restored (excluded) are skipped.
#
# Order matters:
#  1. Run after duplicity restore finished, i.e. after owners are set: chown(2) clears
#     security.capability, so capabilities must be written after any ownership change.
#  2. Hard links first: \`ln -f\` replaces a copy by the surviving inode, so punching holes or
#     setting xattrs on a copy before that would be wasted or lost.
#  3. Holes next, then mtime: punching holes counts as a write, which bumps mtime and makes
#     the kernel drop security.capability (file_remove_privs), so it must precede step 4.
#  4. xattrs last: setting them changes only ctime, so mtimes and capabilities stay.
set -euo pipefail
export LC_ALL=C
me=apply.sh
die() { printf '%s: %s\\n' "$me" "$*" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || die "usage: bash apply.sh RESTORED_DIR [SUBPATH]"
self_path=\${BASH_SOURCE[0]}
[[ $self_path == */* ]] || self_path=./$self_path
meta=$(cd -- "\${self_path%/*}" && pwd)
dest=$1
sub=\${2:-}
# Normalize SUBPATH to the form the metadata uses: relative, no ./ prefix, no trailing /.
while [[ $sub == ./* ]]; do sub=\${sub#./}; done
while [[ $sub == /* ]]; do sub=\${sub#/}; done
while [[ $sub == */ ]]; do sub=\${sub%/}; done
[[ $sub == . ]] && sub=
[[ -e $dest || -L $dest ]] || die "restored path '$dest' does not exist"
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install package $2"; }
for t in ln touch stat dirname basename mktemp; do need "$t" coreutils; done

# A restored single file (SUBPATH names a file) is addressed from its parent directory.
if [[ -d $dest && ! -L $dest ]]; then cd -- "$dest"; self=.; else cd -- "$(dirname -- "$dest")"; self=$(basename -- "$dest"); fi

# map PATH: sets R to PATH re-rooted under the restored dir, or fails if PATH is outside it.
map() {
  local p=$1
  if [[ -z $sub ]]; then R=./$p; return 0; fi
  if [[ $p == "$sub" ]]; then R=./$self; [[ $self == . ]] && R=.; return 0; fi
  if [[ $self == . && $p == "$sub"/* ]]; then R=./\${p#"$sub"/}; return 0; fi
  return 1
}
is_file() { [[ -f $1 && ! -L $1 ]]; }

linked=0 sparsed=0 xattr_files=0 skipped=0

# 1. hard links: groups of NUL-terminated paths, each group closed by an empty entry.
if [[ -s $meta/hardlinks.nul ]]; then
  src=
  while IFS= read -r -d '' p; do
    if [[ -z $p ]]; then src=; continue; fi
    if ! map "$p" || ! is_file "$R"; then skipped=$((skipped + 1)); continue; fi
    if [[ -z $src ]]; then src=$R; continue; fi
    [[ $src -ef $R ]] && continue
    # ln -f bumps the parent directory's mtime; put it back.
    parent=$(dirname -- "$R")
    pm=$(stat -c %.9Y -- "$parent")
    ln -f -- "$src" "$R"
    touch -h -d "@$pm" -- "$parent"
    linked=$((linked + 1))
  done < "$meta/hardlinks.nul"
fi

# 2. sparse files: pairs of NUL-terminated fields, mtime then path.
if [[ -s $meta/sparse.nul ]]; then
  need fallocate util-linux
  while IFS= read -r -d '' mt && IFS= read -r -d '' p; do
    if ! map "$p" || ! is_file "$R"; then skipped=$((skipped + 1)); continue; fi
    fallocate --dig-holes -- "$R"
    touch -h -d "@$mt" -- "$R"
    sparsed=$((sparsed + 1))
  done < "$meta/sparse.nul"
fi

# 3. xattrs: getfattr's dump escapes \\ as \\134, newline as \\012 and CR as \\015 in
# "# file:" lines. Re-root and drop entries that were not restored, then hand the filtered
# dump to setfattr. -h is essential: without it setfattr --restore follows symlinks and
# writes to their targets, which for an absolute symlink is a file of the host.
if [[ -s $meta/xattrs.dump ]]; then
  need setfattr attr
  filtered=$(mktemp)
  trap 'rm -f -- "$filtered"' EXIT
  keep=0
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line == '# file: '* ]]; then
      esc=\${line#'# file: '}
      printf -v p '%b' "\${esc//\\\\/\\\\0}"
      keep=0
      if map "$p" && [[ -e $R || -L $R ]]; then
        keep=1
        xattr_files=$((xattr_files + 1))
        r=\${R//\\\\/\\\\134}; r=\${r//$'\\n'/\\\\012}; r=\${r//$'\\r'/\\\\015}
        printf '# file: %s\\n' "$r"
      else
        skipped=$((skipped + 1))
      fi
    elif [[ $keep == 1 ]]; then
      printf '%s\\n' "$line"
    fi
  done < "$meta/xattrs.dump" > "$filtered"
  [[ $xattr_files -eq 0 ]] || setfattr -h --restore="$filtered" || die "setfattr --restore failed (see above)"
fi

printf 'summary linked=%d sparse=%d xattr_files=%d skipped=%d\\n' "$linked" "$sparsed" "$xattr_files" "$skipped"
`;

// README.txt: how to apply the metadata with plain commands.
export const README_TEXT = `lxc-backup fidelity metadata: what duplicity cannot keep (xattrs, POSIX ACLs, file
capabilities, hard links, holes in sparse files), captured at backup time and stored in the
same duplicity backup set as the container.
After a plain restore, with this directory restored too (for example to /tmp/meta):
  duplicity restore [--file-to-restore SUBPATH] URL /restore/web
  bash /tmp/meta/apply.sh /restore/web [SUBPATH]
Run it as root, after duplicity restore (owners must be in place: chown drops capabilities).
Needs bash, coreutils, util-linux (fallocate) and attr (setfattr). Paths not restored are skipped.
Files: xattrs.dump (getfattr -R -P -h -d -m - -e hex, ACLs included), hardlinks.nul, sparse.nul.
`;
