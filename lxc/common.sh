# Shared bash helpers for scripts/provision and scripts/restore (sourced, not run).
# Every command is run from an argument list, never from a string.

# The packages the backup container needs: the agent runtime (nodejs), the backup engine
# and its backends, and the tools the agent calls to keep xattrs/ACLs/capabilities.
LXCB_CONTAINER_PACKAGES=(
  nodejs duplicity gnupg python3-boto3 python3-paramiko python3-b2sdk ca-certificates
  attr acl libcap2-bin util-linux findutils
)

# Markers around the block provision appends to the container's config, so a re-run
# replaces the block instead of appending it again.
LXCB_BEGIN_MARK='# BEGIN lxc-backup (managed by scripts/provision; edits between these lines are replaced)'
LXCB_END_MARK='# END lxc-backup'

# Where lxc-create looks for templates (Debian's lxc is built with this path).
LXCB_TEMPLATE_DIR=${LXCB_TEMPLATE_DIR:-/usr/share/lxc/templates}

LXCB_DRY_RUN=${LXCB_DRY_RUN:-0}
LXCB_PROG=${LXCB_PROG:-$(basename "$0")}

# say MESSAGE: progress on stdout.
say() { printf '%s: %s\n' "$LXCB_PROG" "$*"; }

# warn MESSAGE: a problem that does not stop us, on stderr.
warn() { printf '%s: warning: %s\n' "$LXCB_PROG" "$*" >&2; }

# die MESSAGE [CODE]: one-line error and exit (2 = usage/environment, the default).
die() { printf '%s: %s\n' "$LXCB_PROG" "$1" >&2; exit "${2:-2}"; }

# run CMD ARGS...: runs a command that changes something, or prints it under --dry-run.
run() {
  if [ "$LXCB_DRY_RUN" = 1 ]; then
    printf '%s: would run:' "$LXCB_PROG"; printf ' %q' "$@"; printf '\n'
    return 0
  fi
  "$@"
}

# require_root: the scripts create containers and write the host's lxcpath.
require_root() {
  [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 ...): it creates LXC containers and writes $(host_lxcpath 2>/dev/null || echo /var/lib/lxc)"
}

# host_lxcpath: where this host keeps its containers (lxc.lxcpath).
host_lxcpath() { lxc-config lxc.lxcpath; }

# container_exists NAME
container_exists() { [ -e "$(host_lxcpath)/$1/config" ]; }

# container_state NAME: RUNNING, STOPPED, ... (empty when it does not exist).
container_state() { lxc-info -n "$1" -sH 2>/dev/null || true; }

# config_value FILE KEY: the last value of KEY in an LXC config file (empty if absent).
config_value() {
  local file=$1 key=$2 line value=''
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]*${key//./\\.}[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
  done < "$file"
  printf '%s' "$value"
}

# container_rootfs NAME: the rootfs directory of a dir-backed container.
container_rootfs() {
  local config rootfs
  config="$(host_lxcpath)/$1/config"
  rootfs=$(config_value "$config" lxc.rootfs.path)
  rootfs=${rootfs#dir:}
  [ -n "$rootfs" ] || rootfs="$(host_lxcpath)/$1/rootfs"
  [ -d "$rootfs" ] || die "$1: rootfs $rootfs is not a directory (only dir-backed containers are supported)"
  printf '%s' "$rootfs"
}

# random_hwaddr: a locally administered unicast MAC in LXC's usual 00:16:3e range.
random_hwaddr() {
  local bytes
  bytes=$(od -An -N3 -tx1 /dev/urandom | tr -s ' ' ':')
  printf '00:16:3e%s' "${bytes%:}"
}

# wait_until SECONDS CMD ARGS...: polls CMD once a second until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 1
  done
}

# attach NAME CMD ARGS...: runs CMD inside the container with a clean environment (the
# host's locale and PATH mean nothing in there).
attach() {
  local name=$1; shift
  lxc-attach -n "$name" --clear-env \
    --set-var PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --set-var LANG=C.UTF-8 -- "$@"
}

# mounted_from CONFIG TARGET: the host directory a mount entry binds at TARGET.
mounted_from() {
  local line
  line=$(grep -E "^[[:space:]]*lxc\.mount\.entry[[:space:]]*=[[:space:]]*[^[:space:]]+[[:space:]]+$2[[:space:]]" "$1" | tail -n1) || true
  line=${line#*=}
  read -r line _ <<<"$line" || true
  printf '%s' "$line"
}

# find_backup_containers: the names of the containers whose config carries provision's block
# (one a line); their configs are the host's own, outside every guest's rootfs.
find_backup_containers() {
  local lxcpath config
  lxcpath=$(host_lxcpath)
  for config in "$lxcpath"/*/config; do
    [ -f "$config" ] && [ ! -L "$config" ] || continue
    if grep -qxF -- "$LXCB_BEGIN_MARK" "$config"; then basename -- "$(dirname -- "$config")"; fi
  done
}
