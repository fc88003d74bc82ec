#!/usr/bin/env bash
# `lxc-backup restore` on the host (and scripts/restore, its alias): restores a container from
# its lxc-backup backups into the host's lxcpath. The restore runs inside the backup container
# (it has the passphrase and the targets), the result is moved into place here. Never
# overwrites a running container. Run by lxc/host-command.sh; its helpers sit beside it.
set -euo pipefail
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LXCB_PROG=restore
# shellcheck source=common.sh
source "$lib/common.sh"
# shellcheck source=adjust-config.sh
source "$lib/adjust-config.sh"
# shellcheck source=restore-checks.sh
source "$lib/restore-checks.sh"
# shellcheck source=restore-key.sh
source "$lib/restore-key.sh"

usage() {
  cat <<EOF
Usage: lxc-backup restore NAME [--as NEW] [--time T] [--force] [--accept-config] [--container BACKUPCT]
       (as root, on the host; scripts/restore NAME ... is the same command)

Restores container NAME (its config and rootfs, with owners, modes, xattrs, ACLs,
capabilities and hard links) from its backups.

  --as NEW             install it as a new container NEW (new hostname, rootfs path and MAC);
                       refused if NEW exists
  --time T             the backup as of T (2026-11-01T03:00:00, 3D = three days ago); default: newest
  --force              replace NAME itself; only when NAME is stopped (a running container is
                       never touched)
  --accept-config      install the restored config even when its hooks, mounts, capabilities,
                       confinement or id maps differ from what was recorded from the host's
                       config at backup time (the differing lines are shown either way)
  --container BACKUPCT the backup container; needed only when there are several (by default the one
                       container whose config carries scripts/provision's block)
  --key FILE           pubkey mode: the private key (exported, armored) to decrypt with; it reaches
                       the backup container over stdin only, lives in a temporary GnuPG home on a
                       tmpfs there and is wiped when the restore ends
  --key-passphrase-file F  its passphrase (first line of F); without it a protected key is asked
                       for on the terminal
  --dry-run            print what would be done
  -h, --help           this text

Without --as, NAME is restored in place: allowed when NAME no longer exists, or with --force.
The restored container is not started: check it, then lxc-start -n NEW.
Nothing restored is trusted: config must be a regular file and rootfs a directory (never a
symlink), and a config whose power-giving lines (lxc.hook.*, lxc.mount.*, lxc.cap.*, ...)
differ from the record is refused unless --accept-config.
EOF
}

name='' new='' time='' force=0 accept_config=0 backup_ct=''
while [ $# -gt 0 ]; do
  case $1 in
    --as) new=${2:?--as needs a name}; shift 2 ;;
    --time) time=${2:?--time needs a value}; shift 2 ;;
    --force) force=1; shift ;;
    --accept-config) accept_config=1; shift ;;
    --container) backup_ct=${2:?--container needs a name}; shift 2 ;;
    --key) key_file=${2:?--key needs a FILE}; shift 2 ;;
    --key-passphrase-file) key_pass_file=${2:?--key-passphrase-file needs a FILE}; shift 2 ;;
    --dry-run) LXCB_DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) [ -z "$name" ] || die "expected one container NAME, got '$name' and '$1'"; name=$1; shift ;;
  esac
done
[ -n "$name" ] || { usage >&2; die "expected the NAME of the container to restore"; }
target=${new:-$name}
for n in "$name" "$target"; do
  [[ $n =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "expected a container name (letters, digits, '.', '_', '-'), got '$n'"
done
require_root
lxcpath=$(host_lxcpath)

# Never overwrite a running container; replace a stopped one only with --force.
if container_exists "$target"; then
  state=$(container_state "$target")
  if [ -n "$new" ]; then die "container $target exists: choose another name for --as (nothing was changed)"; fi
  if [ "$state" != STOPPED ]; then die "container $target is $state: stop it first (lxc-stop -n $target); a running container is never overwritten"; fi
  if [ "$force" != 1 ]; then die "container $target exists: add --force to replace it with the backup (it is stopped), or restore it --as NEW"; fi
fi
if [ -z "$backup_ct" ]; then
  mapfile -t found < <(find_backup_containers)
  case ${#found[@]} in
    0) die "found no backup container (no config in $lxcpath carries the lxc-backup block): run scripts/provision, or name it with --container" ;;
    1) backup_ct=${found[0]} ;;
    *) die "found ${#found[@]} backup containers (${found[*]}): choose one with --container" ;;
  esac
fi
[ "$(container_state "$backup_ct")" = RUNNING ] || die "the backup container $backup_ct is not running (lxc-start -n $backup_ct)"
backup_config="$lxcpath/$backup_ct/config"
restore_dir=$(mounted_from "$backup_config" var/lib/lxc-backup-restore)
[ -n "$restore_dir" ] || die "$backup_config has no restore directory mounted at /var/lib/lxc-backup-restore: re-run scripts/provision --name $backup_ct"

job="$name-$(date +%Y%m%dT%H%M%S)-$$"
host_job="$restore_dir/$job"
staging="$lxcpath/.$target.lxc-backup-restoring-$$"
cleanup() { rm -rf -- "$host_job" "$staging" "$staging.config" "$staging.record"; }
[ "$LXCB_DRY_RUN" = 1 ] || trap cleanup EXIT

say "restoring $name${time:+ as of $time} inside $backup_ct"
restore_args=(lxc-backup restore "$name" --to "/var/lib/lxc-backup-restore/$job")
[ -z "$time" ] || restore_args+=(--time "$time")
prepare_restore_key
if [ "$LXCB_DRY_RUN" = 1 ]; then
  run attach "$backup_ct" "${restore_args[@]}"
  run attach "$backup_ct" lxc-backup config-record "$name"
  say "would check config and rootfs (no symlinks), compare the config's power-giving lines with that record"
  say "would move it to $lxcpath/$target, set lxc.uts.name, lxc.rootfs.path${new:+ and fresh MACs}"
  exit 0
fi
# The inner restore's output is relayed as it comes (its progress: phases, volumes, time),
# and kept in a small file only to see whether a job held the lock. A backup or prune of
# NAME holds it for a while: wait for that rather than fail.
inner_log=$(mktemp)
trap 'cleanup; rm -f -- "$inner_log"' EXIT
deadline=$((SECONDS + 600))
while :; do
  set +e
  restore_stdin | attach "$backup_ct" "${restore_args[@]}" 2>&1 | tee -- "$inner_log"
  inner_status=${PIPESTATUS[1]}
  set -e
  [ "$inner_status" -ne 0 ] || break
  if grep -q 'already running' "$inner_log" && [ "$SECONDS" -lt "$deadline" ]; then
    say "a backup job for $name is running in $backup_ct: waiting for it to finish"
    sleep 5
    continue
  fi
  die "the restore of $name inside $backup_ct failed (see above); nothing was changed on the host" 1
done
check_restored_tree "$host_job"

# Into the lxcpath filesystem first (may be a copy across filesystems), then one rename; the
# checks run again there, out of the backup container's reach, on a host-owned config copy.
mv -T -- "$host_job" "$staging"
check_restored_tree "$staging"
copy_restored_config "$staging/config" "$staging.config"
mv -fT -- "$staging.config" "$staging/config"
record_rc=0
attach "$backup_ct" lxc-backup config-record "$name" > "$staging.record" || record_rc=$?
[ "$record_rc" -le 1 ] || die "could not read the config record of $name in $backup_ct (lxc-backup config-record exited $record_rc, see above); nothing was installed"
[ "$record_rc" = 0 ] || : > "$staging.record"
verify_config_power "$staging/config" "$name" "$record_rc" "$staging.record" "$accept_config"
rm -f -- "$staging.record"
adjust_config "$staging/config" "$name" "$target" "$lxcpath" "$([ -n "$new" ] && echo 1 || echo 0)"
# A policy that excludes rootfs/tmp (not rootfs/tmp/**) drops the directory itself; a
# container needs these mount points back (tmp with its sticky bit).
for dir in proc sys dev run tmp; do
  if [ ! -e "$staging/rootfs/$dir" ] && [ ! -L "$staging/rootfs/$dir" ]; then
    mkdir -m 0755 "$staging/rootfs/$dir"
    [ "$dir" != tmp ] || chmod 1777 "$staging/rootfs/$dir"
    say "recreated /$dir in the restored rootfs (it was excluded from the backup)"
  fi
done

if [ -e "$lxcpath/$target" ]; then
  # --force on a stopped container: keep it aside until the new one is in place.
  [ "$(container_state "$target")" = STOPPED ] || die "container $target started meanwhile: not replaced (the restore is in $staging)"
  aside="$lxcpath/.$target.lxc-backup-replaced-$$"
  mv -T -- "$lxcpath/$target" "$aside"
  mv -T -- "$staging" "$lxcpath/$target"
  rm -rf -- "$aside"
  say "replaced the stopped container $target with its backup"
else
  mv -T -- "$staging" "$lxcpath/$target"
  say "restored $name as $target in $lxcpath/$target"
fi
say "start it with: lxc-start -n $target"
