# The host helper part of scripts/provision (sourced by it): installs the helper bundle, its
# systemd units and config, and enables its socket; or says how to start it without systemd.
# Uses provision's variables (repo, name, lxcpath, restore_dir).

# Where things go (overridable for tests).
LXCB_HELPER_DIR=${LXCB_HELPER_DIR:-/usr/local/lib/lxc-backup}
LXCB_HELPER_CONFIG=${LXCB_HELPER_CONFIG:-/etc/lxc-backup/helper.json}
LXCB_HELPER_RUN_DIR=${LXCB_HELPER_RUN_DIR:-/run/lxc-backup-helper}
LXCB_UNIT_DIR=${LXCB_UNIT_DIR:-/etc/systemd/system}
LXCB_HELPER_UNITS=(lxc-backup-helper.socket lxc-backup-helper.service)

# Whether systemd runs this host.
have_systemd() { [ -d /run/systemd/system ]; }

# The helper runs with the host's Node (Debian 12's 18 or newer): installed if missing.
ensure_helper_node() {
  command -v node >/dev/null && return 0
  say "installing the host's nodejs (the host helper runs with it)"
  command -v apt-get >/dev/null || die "the host helper needs Node.js >= 18 on the host and there is no apt-get: install nodejs, then run this again"
  run_logged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs ||
    die "apt-get install nodejs failed (the end of $LXCB_LOG is above): install it, then run this again"
  installed_packages+=(nodejs)
}

# The helper's config: the store it acts on, the backup container it never acts on.
helper_config() {
  printf '{\n  "lxcpath": "%s",\n  "backup_container": "%s",\n  "restore_root": "%s"\n}\n' "$lxcpath" "$name" "$restore_dir"
}

# Installs bundle, config and units; enables and (re)starts the socket (the service starts on
# the first connection). The socket's directory must exist before the backup container starts.
install_helper() {
  ensure_helper_node
  local config_tmp changed=0
  cmp -s "$repo/dist/lxc-backup-helper.mjs" "$LXCB_HELPER_DIR/lxc-backup-helper.mjs" || changed=1
  run install -D -m 0755 "$repo/dist/lxc-backup-helper.mjs" "$LXCB_HELPER_DIR/lxc-backup-helper.mjs"
  config_tmp=$(mktemp)
  helper_config > "$config_tmp"
  run install -D -m 0600 "$config_tmp" "$LXCB_HELPER_CONFIG"
  rm -f "$config_tmp"
  if ! have_systemd; then
    run install -d -m 0700 "$LXCB_HELPER_RUN_DIR"
    say "no systemd on this host: start the host helper yourself, as root, and keep it running:"
    say "  node $LXCB_HELPER_DIR/lxc-backup-helper.mjs --config $LXCB_HELPER_CONFIG 2>>/var/log/lxc-backup-helper.log &"
    return 0
  fi
  local unit
  for unit in "${LXCB_HELPER_UNITS[@]}"; do run install -m 0644 "$repo/templates/$unit" "$LXCB_UNIT_DIR/$unit"; done
  run systemctl daemon-reload
  run systemctl enable --now lxc-backup-helper.socket
  # A running helper keeps the old code until restarted; its sessions' holds are undone on stop.
  if [ "$changed" = 1 ] && systemctl is-active --quiet lxc-backup-helper.service; then run systemctl restart lxc-backup-helper.service; fi
  say "host helper installed: socket $LXCB_HELPER_RUN_DIR/helper.sock (lxc-backup-helper.socket), log: journalctl -u lxc-backup-helper"
}

# --uninstall: stops and removes the helper, its units and config.
uninstall_helper() {
  if have_systemd; then
    run systemctl disable --now "${LXCB_HELPER_UNITS[@]}" 2>/dev/null || true
    local unit
    for unit in "${LXCB_HELPER_UNITS[@]}"; do run rm -f "$LXCB_UNIT_DIR/$unit"; done
    run systemctl daemon-reload
  else
    say "no systemd: stop a host helper you started yourself (node $LXCB_HELPER_DIR/lxc-backup-helper.mjs)"
  fi
  run rm -f "$LXCB_HELPER_DIR/lxc-backup-helper.mjs" "$LXCB_HELPER_CONFIG"
  run rmdir --ignore-fail-on-non-empty "$LXCB_HELPER_DIR"
  say "removed the host helper (bundle, units, config)"
}
