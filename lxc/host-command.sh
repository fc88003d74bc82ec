#!/usr/bin/env bash
# `lxc-backup` on the host (installed by scripts/provision as /usr/local/sbin/lxc-backup, with
# the files it needs in /usr/local/lib/lxc-backup). Every verb runs inside the backup container
# through lxc-attach, with its arguments, stdin, output and exit code unchanged; `restore` is
# the host-side restore (host-restore.sh) that puts the result into the host's lxcpath.
set -euo pipefail
lib=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
LXCB_PROG=lxc-backup
# shellcheck source=common.sh
source "$lib/common.sh"

usage() {
  cat <<EOF
Usage: lxc-backup [--container BACKUPCT] VERB [ARGS...]      (as root, on the LXC host)

Runs VERB of the lxc-backup agent inside the backup container: status, backup, prune, list,
history, files, verify, policy check, ... (lxc-backup help lists them). Output, --json and
exit codes are those of the command inside.

  restore NAME [--as NEW] [--time T] [--force] ...   restore NAME into this host's lxcpath
                       (the host-side restore; lxc-backup restore --help for its options)
  --container BACKUPCT the backup container; needed only when there are several (by default the
                       one container whose config carries scripts/provision's block)
  -h, --help           this text; lxc-backup help shows the verbs of the agent
EOF
}

# Names for completion: the host's containers (dirs with a config) and, when the agent answers
# within 3 s, the names in its status (also containers that are gone but still have backups).
complete_names() {
  local config
  for config in "$(host_lxcpath)"/*/config; do
    if [ -f "$config" ]; then basename -- "$(dirname -- "$config")"; fi
  done
  [ "$(id -u)" -eq 0 ] || return 0
  local ct
  ct=$(find_backup_containers | head -n1) || true
  [ -n "$ct" ] || return 0
  timeout 3 lxc-attach -n "$ct" --clear-env --set-var PATH=/usr/local/bin:/usr/bin:/bin -- lxc-backup status --json 2>/dev/null |
    sed -n 's/^ *"name": "\([A-Za-z0-9._+-]*\)",\{0,1\}$/\1/p' || true
}

backup_ct='' args=()
while [ $# -gt 0 ]; do
  case $1 in
    --container) backup_ct=${2:?--container needs a name}; shift 2 ;;
    --container=*) backup_ct=${1#--container=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
verb=${args[0]:-}
case $verb in
  '' | -h | --help) usage; [ -n "$verb" ] || exit 2; exit 0 ;;
  __complete-names) complete_names | sort -u; exit 0 ;;
  # The host-side restore takes --container itself.
  restore) exec bash "$lib/host-restore.sh" "${args[@]:1}" ${backup_ct:+--container "$backup_ct"} ;;
esac

require_root
if [ -n "$backup_ct" ]; then
  [[ $backup_ct =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "expected --container to be a container name, got '$backup_ct'"
  container_exists "$backup_ct" || die "no container $backup_ct in $(host_lxcpath)"
else
  mapfile -t found < <(find_backup_containers)
  case ${#found[@]} in
    0) die "found no backup container (no config in $(host_lxcpath) carries the lxc-backup block): run scripts/provision, or name it with --container" ;;
    1) backup_ct=${found[0]} ;;
    *) die "found ${#found[@]} backup containers (${found[*]}): choose one with --container" ;;
  esac
fi
state=$(container_state "$backup_ct")
[ "$state" = RUNNING ] || die "the backup container $backup_ct is ${state:-not running} (start it: lxc-start -n $backup_ct)"

# A clean environment inside, plus what changes how output looks (terminal, time zone).
env_args=(--clear-env --set-var PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --set-var LANG=C.UTF-8)
[ -z "${TERM:-}" ] || env_args+=(--set-var "TERM=$TERM")
[ -z "${TZ:-}" ] || env_args+=(--set-var "TZ=$TZ")
exec lxc-attach -n "$backup_ct" "${env_args[@]}" -- lxc-backup "${args[@]}"
