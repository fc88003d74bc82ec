#!/usr/bin/env python3
# apply.py - put back what duplicity cannot keep: hard links, holes in sparse files, and
# extended attributes (POSIX ACLs, file capabilities, user./trusted./security.* xattrs).
# Written by lxc-backup next to xattrs.dump, hardlinks.nul and sparse.nul; needs python3,
# and fallocate (util-linux) for sparse files.
#
# usage: python3 apply.py [--meta DIR] RESTORED_DIR [SUBPATH]
#   RESTORED_DIR  what "duplicity restore" wrote: the container directory (config, rootfs/),
#                 or, with SUBPATH, only SUBPATH (e.g. rootfs/etc), as
#                 "duplicity restore --file-to-restore SUBPATH" produces.
#   --meta DIR    the metadata directory (default: the directory this script is in).
#
# The restored tree is the guest's: every name in it and in the metadata was chosen by the
# container's root, and the tree may have changed between the metadata capture and the
# backup (a directory swapped for a symlink). So no path is ever resolved by the kernel
# from the top: each component is opened relative to its parent's descriptor with
# O_NOFOLLOW, a symlink or a non-directory anywhere on the way skips the entry, and
# hard links and holes are applied only to what is still a regular file. Nothing outside
# RESTORED_DIR can be reached. Skipped entries are counted in the summary line.
#
# Order matters:
#  1. Run after duplicity restore finished, i.e. after owners are set: chown(2) clears
#     security.capability, so capabilities must be written after any ownership change.
#  2. Hard links first: linking replaces a copy by the surviving inode, so punching holes
#     or setting xattrs on a copy before that would be wasted or lost.
#  3. Holes next, then mtime: punching holes counts as a write, which bumps mtime and makes
#     the kernel drop security.capability (file_remove_privs), so it must precede step 4.
#  4. xattrs last: setting them changes only ctime, so mtimes and capabilities stay.
import errno
import os
import re
import shutil
import stat
import subprocess
import sys

ME = 'apply.py'
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
# Errors that mean "this path is not (or no longer) what the metadata describes": the entry
# is skipped. Anything else (a filesystem without xattrs, a full disk) stops the run.
SKIP_ERRNOS = {errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EISDIR, errno.ENAMETOOLONG, errno.EPERM, errno.EINVAL}
FATAL_ERRNOS = {errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT}
MAX_WARNINGS = 20


def die(message):
    sys.stderr.write(f'{ME}: {message}\n')
    sys.exit(2)


def shown(path):
    # A guest's name, printable: control bytes and non-UTF-8 become escapes.
    return repr(path.decode('utf-8', 'backslashreplace'))[1:-1]


class Counts:
    def __init__(self):
        self.linked = self.sparse = self.xattr_files = self.skipped = 0
        self.warnings = 0

    def skip(self, path=None, why=None):
        self.skipped += 1
        if why is not None and self.warnings < MAX_WARNINGS:
            self.warnings += 1
            sys.stderr.write(f'{ME}: skipped {shown(path)}: {why}\n')


class Tree:
    """The restored tree, walked one no-follow component at a time from its root."""

    def __init__(self, dest, sub):
        self.sub = sub
        info = os.lstat(dest)
        if stat.S_ISDIR(info.st_mode):
            # The root itself is the caller's choice; it is opened as given.
            self.root_fd = os.open(dest, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self.single = None
        else:
            # SUBPATH names a single file: it is addressed from its parent directory.
            parent, name = os.path.split(os.path.abspath(dest))
            self.root_fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self.single = os.fsencode(name)
        self.cache = {}

    def relative(self, path):
        """PATH (relative to the container directory) re-rooted under the restored tree:
        a list of components ([] = the root), or None when it was not restored."""
        if not self.sub:
            rel = path
        elif path == self.sub:
            return [self.single] if self.single is not None else []
        elif self.single is None and path.startswith(self.sub + b'/'):
            rel = path[len(self.sub) + 1:]
        else:
            return None
        parts = rel.split(b'/')
        if any(p in (b'', b'.', b'..') for p in parts):
            return None
        return parts

    def parent(self, parts):
        """A descriptor of the directory holding parts[-1], reached without following any
        symlink, or raises OSError. Descriptors are cached per directory path."""
        key = b'/'.join(parts[:-1])
        fd = self.cache.get(key)
        if fd is not None:
            return fd
        fd = self.root_fd
        for i, name in enumerate(parts[:-1]):
            sub_key = b'/'.join(parts[:i + 1])
            cached = self.cache.get(sub_key)
            if cached is not None:
                fd = cached
                continue
            fd = os.open(name, DIR_FLAGS, dir_fd=fd)
            if len(self.cache) >= 256:
                for old in self.cache.values():
                    os.close(old)
                self.cache.clear()
            self.cache[sub_key] = fd
        return fd


def proc_path(dir_fd, name=None):
    # /proc/self/fd/N is the directory we opened safely; only "name", a single component,
    # is looked up in it, and the callers never follow it.
    base = b'/proc/self/fd/%d' % dir_fd
    return base if name is None else base + b'/' + name


def read_nul(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data and not data.endswith(b'\0'):
        die(f'{path}: last entry is not NUL-terminated')
    return data.split(b'\0')[:-1] if data else []


def regular(tree, parts):
    """(parent fd, name, lstat) of a regular file at parts, or None."""
    fd = tree.parent(parts)
    info = os.lstat(parts[-1], dir_fd=fd)
    return (fd, parts[-1], info) if stat.S_ISREG(info.st_mode) else None


def apply_hardlinks(tree, meta, counts):
    path = os.path.join(meta, 'hardlinks.nul')
    if not os.path.exists(path):
        return
    groups, group = [], []
    for entry in read_nul(path):
        if entry:
            group.append(entry)
        else:
            groups.append(group)
            group = []
    for group in groups:
        link_group(tree, group, counts)


def link_group(tree, group, counts):
    # The first entry still a regular file is the inode every other one is linked to. Its
    # parent descriptor is a private duplicate: the cache may close its own copy meanwhile.
    source = None
    try:
        for p in group:
            parts = tree.relative(p)
            if not parts:
                counts.skip()
                continue
            try:
                found = regular(tree, parts)
            except OSError as e:
                if e.errno not in SKIP_ERRNOS:
                    raise
                found = None
            if found is None:
                counts.skip(p, 'not a regular file beneath the restored directory')
            elif source is None:
                source = (os.dup(found[0]), found[1], found[2])
            elif (found[2].st_dev, found[2].st_ino) != (source[2].st_dev, source[2].st_ino):
                link_into(source, found[0], found[1])
                counts.linked += 1
    finally:
        if source is not None:
            os.close(source[0])


def link_into(source, fd, name):
    # Link under a temporary name, then rename over the copy: never a moment without "name".
    # Linking bumps the parent directory's mtime; put it back.
    parent = os.fstat(fd)
    for attempt in range(100):
        tmp = b'.lxc-backup-link-%d-%d' % (os.getpid(), attempt)
        try:
            os.link(source[1], tmp, src_dir_fd=source[0], dst_dir_fd=fd, follow_symlinks=False)
            break
        except FileExistsError:
            continue
    else:
        die('could not find a free temporary name to link to')
    os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    os.utime(fd, ns=(parent.st_atime_ns, parent.st_mtime_ns))


def parse_mtime_ns(text):
    sec, _, frac = text.partition(b'.')
    if not sec.isdigit() or (frac and not frac.isdigit()):
        return None
    return int(sec) * 10**9 + int((frac + b'000000000')[:9])


def apply_sparse(tree, meta, counts):
    path = os.path.join(meta, 'sparse.nul')
    if not os.path.exists(path):
        return
    fields = read_nul(path)
    if len(fields) % 2:
        die(f'{path}: expected pairs of mtime and path')
    fallocate = None
    for mtime, p in zip(fields[0::2], fields[1::2]):
        parts = tree.relative(p)
        mtime_ns = parse_mtime_ns(mtime)
        if parts is None or not parts or mtime_ns is None:
            counts.skip()
            continue
        try:
            found = regular(tree, parts)
            if found is None:
                counts.skip(p, 'not a regular file beneath the restored directory')
                continue
            fd, name, info = found
            file_fd = os.open(name, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
        except OSError as e:
            if e.errno not in SKIP_ERRNOS:
                raise
            counts.skip(p, os.strerror(e.errno))
            continue
        try:
            opened = os.fstat(file_fd)
            if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                counts.skip(p, 'changed while being opened')
                continue
            if fallocate is None:
                fallocate = shutil.which('fallocate') or die("'fallocate' not found: install package util-linux")
            # The tool reopens the very file we hold through /proc/self/fd (its own copy of it).
            subprocess.run([fallocate, '--dig-holes', proc_path(file_fd)], pass_fds=(file_fd,), check=True)
            os.utime(file_fd, ns=(mtime_ns, mtime_ns))
            counts.sparse += 1
        except subprocess.CalledProcessError:
            die(f'fallocate --dig-holes failed on {shown(p)} (see above)')
        finally:
            os.close(file_fd)


OCTAL = re.compile(rb'\\([0-7]{3})')


def unescape(text):
    # getfattr escapes \ as \134, newline as \012, CR as \015 and = in names as \075.
    return OCTAL.sub(lambda m: bytes([int(m.group(1), 8)]), text)


def decode_value(text):
    if text.startswith(b'0x'):
        return bytes.fromhex(text[2:].decode('ascii'))
    if text.startswith(b'0s'):
        import base64
        return base64.b64decode(text[2:])
    if text.startswith(b'"') and text.endswith(b'"') and len(text) >= 2:
        return unescape(text[1:-1])
    return text


def xattr_blocks(path):
    """(path, [(name, value)]) per "# file:" block of a getfattr dump, read line by line."""
    current, attrs = None, []
    with open(path, 'rb') as f:
        for raw in f:
            line = raw.rstrip(b'\n')
            if line.startswith(b'# file: '):
                if current is not None:
                    yield current, attrs
                current, attrs = unescape(line[8:]), []
            elif current is not None and line and not line.startswith(b'#'):
                name, eq, value = line.partition(b'=')
                attrs.append((unescape(name), decode_value(value) if eq else b''))
    if current is not None:
        yield current, attrs


def apply_xattrs(tree, meta, counts):
    path = os.path.join(meta, 'xattrs.dump')
    if not os.path.exists(path):
        return
    for p, attrs in xattr_blocks(path):
        if p.startswith(b'./'):
            p = p[2:]
        parts = [] if p == b'.' and not tree.sub else tree.relative(p)
        if parts is None:
            counts.skip()
            continue
        try:
            if parts:
                fd = tree.parent(parts)
                os.lstat(parts[-1], dir_fd=fd)
                target, follow = proc_path(fd, parts[-1]), False
            else:
                target, follow = proc_path(tree.root_fd), True
            for name, value in attrs:
                os.setxattr(target, name, value, follow_symlinks=follow)
            counts.xattr_files += 1
        except OSError as e:
            if e.errno in FATAL_ERRNOS or e.errno not in SKIP_ERRNOS:
                die(f'setting xattrs on {shown(p)}: {os.strerror(e.errno)}')
            counts.skip(p, os.strerror(e.errno))


def normalize_sub(sub):
    while sub.startswith(b'./'):
        sub = sub[2:]
    sub = sub.lstrip(b'/').rstrip(b'/')
    return b'' if sub == b'.' else sub


def main(argv):
    meta = os.path.dirname(os.path.abspath(__file__)) if '__file__' in globals() else None
    args = list(argv)
    if len(args) >= 2 and args[0] == '--meta':
        meta = args[1]
        args = args[2:]
    if not 1 <= len(args) <= 2 or meta is None:
        die('usage: python3 apply.py [--meta DIR] RESTORED_DIR [SUBPATH]')
    dest = args[0]
    sub = normalize_sub(os.fsencode(args[1])) if len(args) == 2 else b''
    if not os.path.lexists(dest):
        die(f"restored path '{dest}' does not exist")
    tree = Tree(dest, sub)
    counts = Counts()
    apply_hardlinks(tree, meta, counts)
    apply_sparse(tree, meta, counts)
    apply_xattrs(tree, meta, counts)
    print(f'summary linked={counts.linked} sparse={counts.sparse} xattr_files={counts.xattr_files} skipped={counts.skipped}')


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except OSError as e:
        die(f'{e.strerror}: {e.filename!r}' if e.filename else str(e))
