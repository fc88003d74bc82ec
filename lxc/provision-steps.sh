# The steps of scripts/provision (sourced by it; uses its option variables: name, template,
# network, backups_dir, restore_dir, timeout, save_secrets, repo, lxcpath, upgrade).

# Host packages: lxc to create the container, and for the debian template the template
# itself (Debian ships it in lxc-templates, which lxc only recommends), debootstrap to build
# its rootfs, rsync, with which the template copies its cached rootfs into the container,
# wget, which the template uses to probe the mirror, and distro-info: without
# debian-distro-info the template writes the pre-bullseye security suite (trixie/updates),
# apt-get update fails inside the new rootfs and no package gets installed. When dist/ has
# to be built: the distribution's nodejs and npm (see have_node_toolchain for the minimum).
ensure_host_packages() {
  local missing=()
  command -v lxc-create >/dev/null || missing+=(lxc)
  if [ "$template" = debian ]; then
    [ -e "$LXCB_TEMPLATE_DIR/lxc-debian" ] || missing+=(lxc-templates)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v rsync >/dev/null || missing+=(rsync)
    command -v wget >/dev/null || missing+=(wget)
    command -v debian-distro-info >/dev/null || missing+=(distro-info)
  fi
  if [ -n "$(bundle_build_reason)" ] && ! have_node_toolchain; then
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing host packages needed to build the agent and create the backup container: ${missing[*]}"
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them: install them, then run this again"
  run env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    die "apt-get update failed (see above); nothing was installed or created: fix the host's apt sources, then run this again"
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    die "apt-get install ${missing[*]} failed (see above; some may be installed now); nothing was created: run this again once apt works"
  installed_packages=("${missing[@]}")
}

# What this run changed, so that a failure can undo it or say what it left (undo_on_failure).
created_container=0 installed_packages=() created_dirs=()

# EXIT trap of provision: after a failure, removes a container this run created (it would
# look installed to the next run) and empty directories it made, and says what stays.
undo_on_failure() {
  local code=$? dir
  [ "$code" -ne 0 ] && [ "$LXCB_DRY_RUN" != 1 ] || return 0
  if [ "$created_container" = 1 ]; then
    lxc-stop -n "$name" -k >/dev/null 2>&1 || true
    if lxc-destroy -n "$name" >/dev/null 2>&1; then say "removed the half-made container $name (its new passphrase went with it: nothing was backed up with it)"
    else warn "could not remove the half-made container $name: remove it with lxc-destroy -f -n $name"; fi
  elif [ "${upgrade:-0}" = 1 ]; then
    warn "$name existed before this run and is left as it is now (its config block and agent files may already be the new ones): run scripts/provision again once the problem above is fixed"
  fi
  for dir in "${created_dirs[@]}"; do rmdir -- "$dir" 2>/dev/null || warn "left the directory $dir (not empty)"; done
  if [ ${#installed_packages[@]} -gt 0 ]; then
    say "host packages installed by this run stay installed: ${installed_packages[*]} (apt-get remove ${installed_packages[*]} removes them)"
  fi
  [ ! -d "$repo/node_modules" ] || [ "${had_node_modules:-1}" = 1 ] || say "left $repo/node_modules (the build's dependencies; rm -rf it to remove them)"
  say "a re-run (scripts/provision with the same options) starts again from here"
}

# The host's LXC network default for new containers (lxc-create copies its lxc.net lines).
# When it names a bridge that does not exist (lxc-net not running, common on servers),
# lxc-start would fail with LXC's raw "ABORTING" after everything else was made: decide now.
check_network() {
  [ "$network" = default ] || return 0
  container_exists "$name" && return 0
  local conf=${LXCB_LXC_DEFAULT_CONF:-/etc/lxc/default.conf} type link
  [ -f "$conf" ] || return 0
  type=$(config_value "$conf" lxc.net.0.type)
  link=$(config_value "$conf" lxc.net.0.link)
  [[ $type =~ ^(veth|macvlan|ipvlan|phys)$ ]] && [ -n "$link" ] || return 0
  [ ! -e "/sys/class/net/$link" ] || return 0
  if [ "$template" = download ]; then
    die "$conf connects new containers to '$link', which does not exist on this host, and --template download needs the network to install packages; nothing was changed. Either start the bridge (systemctl enable --now lxc-net) and run this again, or use --template debian --network none"
  fi
  network=none
  say "no bridge '$link' (named in $conf): creating $name without network, as --network none; local backups work, remote targets need the bridge (systemctl enable --now lxc-net) and a re-run"
}

# The bundle is only built here, never run: esbuild needs Node >= 18, which Debian 12's
# nodejs (18.19) and Debian 13's (20.19) both are. The bundle itself runs inside the backup
# container, on its own Debian 13 Node 20.
LXCB_BUILD_NODE_MAJOR=18

# Node >= LXCB_BUILD_NODE_MAJOR with npm, needed only to build dist/ on this host.
have_node_toolchain() {
  command -v npm >/dev/null && command -v node >/dev/null &&
    node -e "process.exit(Number(process.versions.node.split('.')[0]) >= $LXCB_BUILD_NODE_MAJOR ? 0 : 1)"
}

# Why dist/lxc-backup.mjs must be (re)built: "missing", a newer source file, or nothing.
bundle_build_reason() {
  local bundle="$repo/dist/lxc-backup.mjs"
  if [ ! -f "$bundle" ]; then echo missing; return 0; fi
  find "$repo/agent" -name '*.ts' -newer "$bundle" -print -quit
}

# dist/lxc-backup.mjs: built when missing or older than the sources.
ensure_bundle() {
  bundle="$repo/dist/lxc-backup.mjs"
  local reason; reason=$(bundle_build_reason)
  [ -n "$reason" ] || return 0
  if [ "$reason" != missing ]; then
    if ! have_node_toolchain; then
      warn "dist/ is older than $reason but Node >= $LXCB_BUILD_NODE_MAJOR with npm is not installed: installing the existing bundle"
      return 0
    fi
    say "dist/ is older than the sources: rebuilding"
  else
    # Under --dry-run the toolchain may only be "would be installed".
    have_node_toolchain || [ "$LXCB_DRY_RUN" = 1 ] || die "dist/lxc-backup.mjs is missing and building it needs Node.js >= $LXCB_BUILD_NODE_MAJOR with npm on this host (found: $(node --version 2>/dev/null || echo no node)); install them (apt-get install nodejs npm) or copy a built dist/ here"
    say "building the agent (dist/lxc-backup.mjs)"
  fi
  # npm on Node 18 warns that package.json asks for Node 20 (the runtime's version); the
  # build does not need it. A failed build leaves only node_modules/ in the checkout.
  if [ ! -d "$repo/node_modules" ]; then
    had_node_modules=0
    run npm --prefix "$repo" ci --no-audit --no-fund --loglevel=error ||
      die "npm ci failed in $repo (see above); nothing was created (remove $repo/node_modules to start clean)"
  fi
  run npm --prefix "$repo" run -s build ||
    die "building dist/lxc-backup.mjs failed (see above); nothing was created"
}

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
  local log=/var/log/lxc-backup-provision.log
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
# --dry-run, before the container exists). Not container_rootfs: its `die` inside a command
# substitution ends only the substitution, so a fallback after `||` never ran and the
# assignment stopped provision with status 2 and no message.
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
  generated_passphrase=''
  if [ -e "$rootfs/etc/lxc-backup/secrets.env" ]; then
    say "keeping the existing secrets /etc/lxc-backup/secrets.env"
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
  restores         $restore_dir (host) -> /var/lib/lxc-backup-restore; use scripts/restore NAME --as NEW
  policy           /etc/lxc-backup/policy.yaml in $name, reloaded live when saved
                   (lxc-attach -n $name -- editor /etc/lxc-backup/policy.yaml)
  secrets          /etc/lxc-backup/secrets.env in $name ($rootfs/etc/lxc-backup/secrets.env on the host)
  status           lxc-attach -n $name -- lxc-backup status
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
  say "$name is ready but was not started (--no-start): start it with scripts/provision --name $name (or lxc-start -n $name)"
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
