# The host side of scripts/provision (sourced by it, before provision-steps.sh): the host
# packages and the agent bundle, the network decision, and undoing a failed run. Uses
# provision's option variables (name, template, network, repo, upgrade).

# Where the chatter of apt, npm and the LXC template goes; its tail is shown on failure.
LXCB_LOG=/var/log/lxc-backup-provision.log

# run_logged CMD ARGS...: like run, with the command's output appended to LXCB_LOG.
run_logged() {
  if [ "$LXCB_DRY_RUN" = 1 ]; then run "$@"; return; fi
  printf '\n== %s %s\n' "$(date -Is)" "$*" >> "$LXCB_LOG"
  if ! "$@" >> "$LXCB_LOG" 2>&1; then tail -n 30 "$LXCB_LOG" >&2; return 1; fi
}

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
  run_logged env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    die "apt-get update failed (the end of $LXCB_LOG is above); nothing was installed or created: fix the host's apt sources, then run this again"
  # A configuration file the admin already has (say /etc/default/lxc-net) is kept, without
  # the question dpkg would otherwise ask on a terminal we do not give it.
  run_logged env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" ||
    die "apt-get install ${missing[*]} failed (the end of $LXCB_LOG is above; some may be installed now); nothing was created: run this again once apt works"
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
  for dir in "${created_dirs[@]}"; do
    [ -d "$dir" ] || continue
    rmdir -- "$dir" 2>/dev/null || warn "left the directory $dir (not empty)"
  done
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
  # The host helper's bundle comes from the same build.
  if [ ! -f "$repo/dist/lxc-backup-helper.mjs" ]; then echo missing; return 0; fi
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
    run_logged npm --prefix "$repo" ci --no-audit --no-fund --loglevel=error ||
      die "npm ci failed in $repo (the end of $LXCB_LOG is above); nothing was created (remove $repo/node_modules to start clean)"
  fi
  run_logged npm --prefix "$repo" run -s build ||
    die "building dist/lxc-backup.mjs failed (the end of $LXCB_LOG is above); nothing was created"
}
