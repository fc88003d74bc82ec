# The steps of scripts/provision (sourced by it; uses its option variables: name, template,
# network, backups_dir, restore_dir, timeout, save_secrets, repo, lxcpath, upgrade).

# Creates the container with the packages the agent needs. A failed create is destroyed
# again, so the next run does not mistake it for an installed one.
create_container() {
  local args=(-n "$name")
  if [ "$template" = debian ]; then
    local packages; packages=$(IFS=,; echo "${LXCB_CONTAINER_PACKAGES[*]}")
    args+=(-t debian -- -r trixie "--packages=$packages")
    say "creating $name (Debian trixie via debootstrap; the first time takes a few minutes, later runs use /var/cache/lxc/debian)"
  else
    args+=(-t download -- -d debian -r trixie -a "$(dpkg --print-architecture)")
    say "creating $name (Debian trixie image from the download template)"
  fi
  if [ "$LXCB_DRY_RUN" = 1 ]; then run lxc-create "${args[@]}"; return 0; fi
  # The template's apt/debootstrap chatter goes to a log; its tail is shown on failure.
  local log=$LXCB_LOG
  printf '\n== %s lxc-create %s\n' "$(date -Is)" "${args[*]}" >> "$log"
  if ! lxc-create "${args[@]}" >> "$log" 2>&1; then
    tail -n 30 "$log" >&2
    lxc-destroy -n "$name" >/dev/null 2>&1 || true
    die "lxc-create of $name failed (the end of $log is above); nothing was left behind"
  fi
  created_container=1
  # The debian template reports success even when its apt-get inside the rootfs failed.
  if [ "$template" = debian ] && ! rootfs_has "$(backup_container_rootfs)" usr/bin/node usr/bin/duplicity; then
    tail -n 30 "$log" >&2
    lxc-destroy -n "$name" >/dev/null 2>&1 || true
    die "the debian template created $name without its packages (node, duplicity; the end of $log is above); nothing was left behind"
  fi
  say "created $name (template output in $log)"
}

# The backup container's rootfs: from its config, else where lxc-create puts it (so also under
# --dry-run, before the container exists). Not container_rootfs: a `die` inside a command
# substitution ends only the substitution, so a fallback after `||` would never run and the
# assignment would stop provision with status 2 and no message.
backup_container_rootfs() {
  local config="$lxcpath/$name/config" rootfs=''
  if [ -e "$config" ]; then rootfs=$(config_value "$config" lxc.rootfs.path); fi
  rootfs=${rootfs#dir:}
  printf '%s' "${rootfs:-$lxcpath/$name/rootfs}"
}

# Succeeds when every PATH (relative to ROOTFS) exists: rootfs_has ROOTFS PATH...
rootfs_has() {
  local rootfs=$1 path; shift
  for path in "$@"; do [ -e "$rootfs/$path" ] || return 1; done
}

# The text of our config block for this run.
config_block() {
  local text
  text=$(<"$repo/lxc/backup-container.conf")
  text=${text//@HOST_LXCPATH@/"$lxcpath"}
  text=${text//@BACKUPS_DIR@/"$backups_dir"}
  text=${text//@RESTORE_DIR@/"$restore_dir"}
  printf '%s\n%s\n' "$LXCB_BEGIN_MARK" "$text"
  if [ "$network" = none ]; then printf '# --network none\nlxc.net.0.type = empty\n'; fi
  printf '%s\n' "$LXCB_END_MARK"
}

# Replaces our block in the container's config (and, with --network none, its lxc.net lines).
write_config_block() {
  config="$lxcpath/$name/config"
  config_changed=0
  local dir
  for dir in "$backups_dir" "$restore_dir"; do
    [ -d "$dir" ] || [ "$LXCB_DRY_RUN" = 1 ] || created_dirs+=("$dir")
  done
  run mkdir -p -m 0700 "$backups_dir" "$restore_dir"
  # Restore drills' scratch (the drill mount in backup-container.conf).
  run mkdir -p -m 0700 "$restore_dir/drill"
  if [ "$LXCB_DRY_RUN" = 1 ] && [ ! -f "$config" ]; then
    say "would append to $config:"; config_block; return 0
  fi
  local new; new=$(mktemp)
  awk -v begin="$LXCB_BEGIN_MARK" -v end="$LXCB_END_MARK" -v nonet="$network" '
    $0 == begin { skip = 1; next }
    $0 == end { skip = 0; next }
    skip { next }
    nonet == "none" && /^[ \t]*lxc\.net\./ { next }
    { print }' "$config" > "$new"
  config_block >> "$new"
  if cmp -s "$new" "$config"; then rm -f "$new"; return 0; fi
  config_changed=1
  if [ "$LXCB_DRY_RUN" = 1 ]; then
    say "would change $config:"; diff -u "$config" "$new" || true; rm -f "$new"; return 0
  fi
  chmod --reference="$config" "$new"
  mv "$new" "$config"
  say "wrote the lxc-backup block (mounts, start.auto) into $config"
}

# install_file SRC DEST MODE: copies when different; sets `installed_changed`.
install_file() {
  if cmp -s "$1" "$2"; then return 0; fi
  installed_changed=1
  run install -D -m "$3" "$1" "$2"
}

# Writes the agent, its wrapper, unit, policy and secrets into the container's rootfs.
install_agent_files() {
  rootfs=$(backup_container_rootfs)
  installed_changed=0
  install_file "$bundle" "$rootfs/opt/lxc-backup/lxc-backup.mjs" 0755
  install_file "$repo/templates/lxc-backup.sh" "$rootfs/usr/local/bin/lxc-backup" 0755
  install_file "$repo/templates/lxc-backup.service" "$rootfs/etc/systemd/system/lxc-backup.service" 0644
  run install -d -m 0755 "$rootfs/etc/lxc-backup"
  run install -m 0644 "$repo/templates/policy.schema.json" "$rootfs/etc/lxc-backup/policy.schema.json"
  if [ -e "$rootfs/etc/lxc-backup/policy.yaml" ]; then
    say "keeping the existing policy /etc/lxc-backup/policy.yaml"
  else
    run install -m 0644 "$repo/templates/policy.yaml" "$rootfs/etc/lxc-backup/policy.yaml"
  fi
  # The host's name: {host} in remote targets and the owner marker on each target name it.
  if [ -e "$rootfs/etc/lxc-backup/host" ]; then
    :
  elif [ "$LXCB_DRY_RUN" = 1 ]; then
    say "would write /etc/lxc-backup/host ($(hostname))"
  else
    hostname > "$rootfs/etc/lxc-backup/host"
  fi
  generated_passphrase=''
  if [ -e "$rootfs/etc/lxc-backup/secrets.env" ]; then
    say "keeping the existing secrets /etc/lxc-backup/secrets.env"
  elif [ "${encryption_mode:-symmetric}" = pubkey ]; then
    run write_pubkey_secrets "$rootfs/etc/lxc-backup/secrets.env"
  elif [ "$LXCB_DRY_RUN" = 1 ]; then
    say "would write /etc/lxc-backup/secrets.env (0600) with a generated PASSPHRASE"
  else
    generated_passphrase=$(head -c 32 /dev/urandom | base64)
    (umask 077; printf '# lxc-backup secrets (KEY=value, mode 0600). Keep a copy away from this host:\n# without PASSPHRASE the backups cannot be read.\nPASSPHRASE=%s\n' \
      "$generated_passphrase" > "$rootfs/etc/lxc-backup/secrets.env")
    # Printed by print_summary, only once the agent answered: a failed run removes the
    # container it created, and a passphrase shown for it would protect nothing.
  fi
}

# Installs the packages a download-template image lacks (needs the container's network).
ensure_container_packages() {
  local missing=() package
  for package in "${LXCB_CONTAINER_PACKAGES[@]}"; do
    attach "$name" dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing in $name: ${missing[*]}"
  run attach "$name" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  run attach "$name" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    die "could not install ${missing[*]} in $name (does it have network access?)"
}

# Prints the agent's journal and unit state, for a failure message.
show_agent_log() {
  attach "$name" systemctl status --no-pager lxc-backup >&2 || true
  attach "$name" journalctl -u lxc-backup -n 40 --no-pager >&2 || true
}

# Starts (or restarts) the container and the agent, then waits until the agent answers.
start_and_wait() {
  if [ "$LXCB_DRY_RUN" = 1 ]; then
    say "would start $name (restart it if its mounts changed), enable and (re)start lxc-backup.service, wait up to ${timeout}s for 'lxc-backup status'"
    return 0
  fi
  local state; state=$(container_state "$name")
  if [ "$state" = RUNNING ] && [ "$config_changed" = 1 ]; then
    say "restarting $name so its new mounts take effect"
    lxc-stop -n "$name" -t 60 || lxc-stop -n "$name" -k
    state=STOPPED
  fi
  if [ "$state" != RUNNING ]; then
    say "starting $name"
    lxc-start -n "$name" || die "lxc-start -n $name failed; see: lxc-start -n $name -F -l DEBUG -o /dev/stdout"
  fi
  lxc-wait -n "$name" -s RUNNING -t 30 || die "$name did not reach RUNNING in 30 s"
  # systemd inside must be up (its private socket exists) and done booting before we
  # (re)start units; `is-system-running --wait` returns once boot has finished.
  wait_until 90 attach "$name" test -S /run/systemd/private ||
    die "systemd did not come up in $name within 90 s (lxc-attach -n $name -- journalctl -b)"
  timeout 120 lxc-attach -n "$name" -- systemctl is-system-running --wait >/dev/null 2>&1 || true
  if [ "$template" = download ]; then ensure_container_packages; fi
  attach "$name" systemctl daemon-reload
  attach "$name" systemctl enable --quiet lxc-backup.service
  if [ "$upgrade" = 1 ] && [ "$installed_changed" = 1 ]; then
    say "restarting lxc-backup.service with the new agent"
    attach "$name" systemctl restart lxc-backup.service
  else
    attach "$name" systemctl start lxc-backup.service
  fi
  say "waiting for the agent to answer (up to ${timeout}s)"
  if ! wait_until "$timeout" attach "$name" lxc-backup status; then
    show_agent_log
    die "the agent in $name did not answer 'lxc-backup status' within ${timeout}s (its journal is above)" 1
  fi
}

# Proves the host's containers are read-only inside: a write there must fail.
check_read_only() {
  if [ "$LXCB_DRY_RUN" = 1 ]; then say "would check that a write to /mnt/lxc fails inside $name"; return 0; fi
  local probe=/mnt/lxc/.lxc-backup-write-probe error
  if error=$(attach "$name" touch "$probe" 2>&1); then
    attach "$name" rm -f "$probe" || true
    die "/mnt/lxc is WRITABLE inside $name: the agent must not be able to change the host's containers; check the lxc.mount.entry for mnt/lxc in $config" 1
  fi
  say "verified: /mnt/lxc is read-only inside $name (a test write failed: ${error##*: })"
}

# What was installed and how to use it; the generated passphrase, once.
print_summary() {
  [ "$LXCB_DRY_RUN" = 1 ] && return 0
  cat <<SUMMARY

lxc-backup is running in the container '$name'.
  host containers  $lxcpath -> /mnt/lxc (read-only)
  backups          $backups_dir (host) -> /var/backups/lxc; policy target file:///var/backups/lxc/{name}
  restores         $restore_dir (host) -> /var/lib/lxc-backup-restore; use lxc-backup restore NAME --as NEW
  policy           /etc/lxc-backup/policy.yaml in $name, reloaded live when saved
                   (lxc-attach -n $name -- editor /etc/lxc-backup/policy.yaml)
  secrets          /etc/lxc-backup/secrets.env in $name ($rootfs/etc/lxc-backup/secrets.env on the host)
  status           lxc-backup status (on the host: runs it in $name; also history NAME, list NAME, ...)
  agent log        lxc-attach -n $name -- journalctl -u lxc-backup
SUMMARY
  [ -n "$generated_passphrase" ] || return 0
  cat <<WARNING

WARNING: a new backup passphrase was generated. WITHOUT IT YOUR BACKUPS CANNOT BE READ.
Copy it somewhere safe, away from this host (it is not shown again; it is stored in
/etc/lxc-backup/secrets.env inside $name, mode 0600):

  PASSPHRASE=$generated_passphrase

WARNING
}

# --no-start: what is ready and how to start it; the passphrase is not shown for a container
# that has not run (it is in secrets.env).
print_not_started() {
  [ "$LXCB_DRY_RUN" = 1 ] && return 0
  # Not `lxc-start`: the agent's unit is enabled by provision once the container runs, so a
  # bare lxc-start would boot a container whose agent never starts.
  say "$name is ready but was not started (--no-start): finish with scripts/provision --name $name, which starts it and enables the agent"
  if [ -n "$generated_passphrase" ]; then
    say "a new PASSPHRASE was generated into $rootfs/etc/lxc-backup/secrets.env (0600): copy it somewhere safe once $name runs"
  fi
}

# --uninstall: removes the container; keeps the backups and a copy of the secrets and policy.
uninstall_container() {
  local lxcpath; lxcpath=$(host_lxcpath)
  if ! container_exists "$name"; then say "no container $name: nothing to remove"; return 0; fi
  local config="$lxcpath/$name/config" rootfs backups dest=$save_secrets policy_dest=''
  rootfs=$(container_rootfs "$name")
  backups=$(mounted_from "$config" var/backups/lxc)
  if [ -e "$rootfs/etc/lxc-backup/secrets.env" ]; then
    if [ -e "$dest" ] && ! cmp -s "$dest" "$rootfs/etc/lxc-backup/secrets.env"; then dest="$dest.$(date +%Y%m%d-%H%M%S)"; fi
    run install -D -m 0600 "$rootfs/etc/lxc-backup/secrets.env" "$dest"
    policy_dest="$(dirname "$dest")/lxc-backup-policy.yaml"
    if [ -e "$rootfs/etc/lxc-backup/policy.yaml" ]; then run install -m 0600 "$rootfs/etc/lxc-backup/policy.yaml" "$policy_dest"; fi
  fi
  if [ "$(container_state "$name")" = RUNNING ]; then run lxc-stop -n "$name" -t 60 || run lxc-stop -n "$name" -k; fi
  run lxc-destroy -n "$name"
  say "removed the container $name"
  if [ -n "$backups" ]; then say "the backups are kept in $backups"; fi
  if [ -n "$policy_dest" ]; then
    say "secrets.env (the PASSPHRASE your backups need) is kept in $dest (0600), the policy in $policy_dest"
  fi
}
