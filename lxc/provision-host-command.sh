# Installs and removes the host command `lxc-backup` and its bash completion (sourced by
# scripts/provision; uses repo, name and the helpers of common.sh). The paths can be moved
# for tests with LXCB_HOST_COMMAND, LXCB_HOST_LIB and LXCB_COMPLETION_FILE.

LXCB_HOST_COMMAND=${LXCB_HOST_COMMAND:-/usr/local/sbin/lxc-backup}
LXCB_HOST_LIB=${LXCB_HOST_LIB:-/usr/local/lib/lxc-backup}
LXCB_COMPLETION_FILE=${LXCB_COMPLETION_FILE:-/usr/share/bash-completion/completions/lxc-backup}

# What the host command runs: itself, the host-side restore and the helpers both source.
LXCB_HOST_FILES=(host-command.sh host-restore.sh common.sh adjust-config.sh restore-checks.sh restore-key.sh)

# Installs the command (a stub that runs the installed host-command.sh), its files and the
# completion; a re-run replaces them with this checkout's.
install_host_command() {
  local file
  run install -d -m 0755 "$LXCB_HOST_LIB" "$(dirname "$LXCB_HOST_COMMAND")" "$(dirname "$LXCB_COMPLETION_FILE")"
  for file in "${LXCB_HOST_FILES[@]}"; do run install -m 0644 "$repo/lxc/$file" "$LXCB_HOST_LIB/$file"; done
  run install -m 0644 "$repo/lxc/lxc-backup.bash-completion" "$LXCB_COMPLETION_FILE"
  if [ "$LXCB_DRY_RUN" = 1 ]; then
    say "would write $LXCB_HOST_COMMAND (runs $LXCB_HOST_LIB/host-command.sh)"
    return 0
  fi
  local stub; stub=$(mktemp)
  printf '#!/bin/sh\n# lxc-backup on the host: runs the verbs inside the backup container (installed by scripts/provision).\nexec /bin/bash %q "$@"\n' \
    "$LXCB_HOST_LIB/host-command.sh" > "$stub"
  install -m 0755 "$stub" "$LXCB_HOST_COMMAND"
  rm -f -- "$stub"
  say "installed the host command $LXCB_HOST_COMMAND (lxc-backup status, history NAME, restore NAME, ...) and its bash completion"
}

# --uninstall: removes the command once no backup container is left (another one may still use it).
uninstall_host_command() {
  local left
  left=$(find_backup_containers | grep -vxF -- "$name" || true)
  if [ -n "$left" ]; then
    say "keeping the host command $LXCB_HOST_COMMAND: other backup containers use it ($(echo "$left" | tr '\n' ' '))"
    return 0
  fi
  [ -e "$LXCB_HOST_COMMAND" ] || [ -e "$LXCB_HOST_LIB" ] || [ -e "$LXCB_COMPLETION_FILE" ] || return 0
  run rm -f -- "$LXCB_HOST_COMMAND" "$LXCB_COMPLETION_FILE"
  # Only our own files: the host helper's bundle shares the directory (provision-helper.sh).
  local file
  for file in "${LXCB_HOST_FILES[@]}"; do run rm -f -- "$LXCB_HOST_LIB/$file"; done
  run rmdir --ignore-fail-on-non-empty -- "$LXCB_HOST_LIB" 2>/dev/null || true
  say "removed the host command $LXCB_HOST_COMMAND and its completion"
}
