# Host-side checks of what comes back from a restore (sourced by scripts/restore; needs
# lxc/common.sh). The restored tree is written by the backup container from guest-influenced
# bytes, so nothing in it is trusted: types are checked without following links, the config
# is copied once through O_NOFOLLOW into a host-owned file, and its power-giving lines must
# equal the ones the agent recorded from the host's own config at backup time.

# An LXC config is a few KiB; anything bigger is refused (same cap as the agent's).
LXCB_MAX_CONFIG_BYTES=1048576

# path_type PATH: what PATH itself is, never what a link points to: "regular file",
# "directory", "symbolic link", "fifo", ... or "missing".
path_type() {
  local type
  type=$(LC_ALL=C stat -c %F -- "$1" 2>/dev/null) || { printf 'missing'; return 0; }
  [ "$type" != "regular empty file" ] || type="regular file"
  printf '%s' "$type"
}

# require_type PATH TYPE WHAT: stops the restore unless PATH itself is a TYPE.
require_type() {
  local found
  found=$(path_type "$1")
  [ "$found" = "$2" ] && return 0
  if [ "$found" = missing ]; then found=nothing; else found="a $found"; fi
  die "$3 $1: expected a $2, found $found (links are not followed); the restore was refused and nothing was installed" 1
}

# check_restored_tree DIR: DIR a directory holding a regular file `config` and a directory
# `rootfs`, none of them a symlink.
check_restored_tree() {
  require_type "$1" directory "the restored container directory"
  require_type "$1/config" "regular file" "the restored config"
  require_type "$1/rootfs" directory "the restored rootfs"
}

# copy_restored_config SRC DEST: copies the restored config into a new host file DEST without
# following a link (dd iflag=nofollow), never blocking on a FIFO swapped in meanwhile, refusing
# more than LXCB_MAX_CONFIG_BYTES and NUL bytes (LXC would cut a line at one; we would not).
copy_restored_config() {
  local src=$1 dest=$2 size mode
  require_type "$src" "regular file" "the restored config"
  size=$(stat -c %s -- "$src")
  [ "$size" -le "$LXCB_MAX_CONFIG_BYTES" ] || die "the restored config $src: expected at most $LXCB_MAX_CONFIG_BYTES bytes, found $size; the restore was refused" 1
  mode=$(stat -c %a -- "$src")
  dd if="$src" of="$dest" iflag=nofollow,nonblock bs=$((LXCB_MAX_CONFIG_BYTES + 1)) count=1 status=none ||
    die "the restored config $src: could not be read as a regular file (see above); the restore was refused" 1
  size=$(stat -c %s -- "$dest")
  [ "$size" -le "$LXCB_MAX_CONFIG_BYTES" ] || die "the restored config $src: grew past $LXCB_MAX_CONFIG_BYTES bytes while read; the restore was refused" 1
  [ "$(tr -d '\000' < "$dest" | wc -c)" -eq "$size" ] || die "the restored config $src: expected text, found NUL bytes; the restore was refused" 1
  chmod "$(printf '%o' $((8#$mode & 8#0644)))" "$dest"
}

# config_power_lines FILE: the lines of an LXC config that give power on the host, in order,
# as `key = value`. The same rules as agent/engine/config-power.ts (one test table holds both).
config_power_lines() {
  LC_ALL=C awk '
    function power(key, value,   n, parts, i) {
      if (key == "lxc.include") {
        if (index(value, "/usr/share/lxc/config/") != 1) return 1
        n = split(value, parts, "/")
        for (i = 1; i <= n; i++) if (parts[i] == ".." || parts[i] == ".") return 1
        return 0
      }
      if (key == "lxc.hook" || key == "lxc.mount" || key == "lxc.idmap" || key == "lxc.id_map" ||
          key == "lxc.aa_profile" || key == "lxc.aa_allow_incomplete" || key == "lxc.seccomp" ||
          key == "lxc.se_context" || key == "lxc.environment" || key == "lxc.log.file" ||
          key == "lxc.console.logfile" || key == "lxc.console.path") return 1
      if (key ~ /^lxc\.net(work)?\.([0-9]+\.)?script\./) return 1
      return key ~ /^lxc\.(hook|mount|cap|apparmor|seccomp|selinux|prlimit|limit|namespace)\./ ||
        key ~ /^lxc\.cgroup2?\.devices\./
    }
    {
      line = $0
      sub(/^[[:space:]]+/, "", line)
      if (line == "" || substr(line, 1, 1) == "#") next
      eq = index(line, "=")
      if (eq == 0) next
      key = substr(line, 1, eq - 1)
      sub(/[[:space:]]+$/, "", key)
      value = substr(line, eq + 1)
      sub(/^[[:space:]]+/, "", value)
      sub(/[[:space:]]+$/, "", value)
      if (power(key, value)) print key " = " value
    }' "$1"
}

# show_config_differences RECORDED RESTORED: the differing lines of two power-line files, with
# control characters made visible (cat -v): they could hold terminal escapes. diff exits 1 on
# a difference, which is the case here: under pipefail that must not end the caller.
show_config_differences() {
  { diff --old-line-format='  - %L' --new-line-format='  + %L' --unchanged-line-format='' -- "$1" "$2" || [ $? = 1 ]; } | LC_ALL=C cat -v
}

# verify_config_power CONFIG NAME RECORD_RC RECORD_FILE ACCEPT: compares the power lines of
# a restored CONFIG (still naming NAME) with the record the agent printed into RECORD_FILE
# (RECORD_RC 1: no record exists, taken as none). A difference stops the restore unless
# ACCEPT=1, which installs it with a warning.
verify_config_power() {
  local config=$1 name=$2 record_rc=$3 recorded=$4 accept=$5 restored
  restored=$(mktemp)
  config_power_lines "$config" > "$restored"
  if cmp -s -- "$recorded" "$restored"; then
    say "the restored config's hooks, mounts, capabilities and confinement match the record from backup time ($(wc -l < "$restored") lines)"
    rm -f -- "$restored"
    return 0
  fi
  [ "$record_rc" = 0 ] || warn "no record of $name's host config from backup time exists (backed up before lxc-backup recorded configs?): every such line is new"
  printf '%s: the restored config of %s differs from what was recorded from the host config at backup time in lines that give power on the host\n  (- recorded at backup time, + in the restored config):\n' "$LXCB_PROG" "$name" >&2
  show_config_differences "$recorded" "$restored" >&2
  rm -f -- "$restored"
  if [ "$accept" = 1 ]; then
    warn "--accept-config: installing the restored config as it is; read the lines above before starting the container"
    return 0
  fi
  die "refused: nothing was installed. Check those lines; a backup from before a deliberate config change differs too. To install it anyway add --accept-config" 1
}
