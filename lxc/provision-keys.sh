# Public-key encryption for scripts/provision (sourced): --encrypt-to FILE imports public keys
# into the agent's GnuPG home and writes `mode: pubkey` into the policy; --generate-keypair DIR
# makes a key pair for users who have none. The private key never enters the backup container.
# Uses the host's gpg (gnupg) and the globals of scripts/provision (name, rootfs, encrypt_to).

encrypt_to=()
keypair_dir=''
encryption_mode=symmetric
encrypt_fingerprints=()

# keys_home_parent: a tmpfs for short-lived GnuPG homes (never written to a disk), else /tmp.
keys_home_parent() {
  local dir
  for dir in /dev/shm /run; do
    if [ "$(stat -f -c %T "$dir" 2>/dev/null)" = tmpfs ] && [ -w "$dir" ]; then echo "$dir"; return 0; fi
  done
  echo "${TMPDIR:-/tmp}"
}

# wipe_gnupg_home DIR: stops its gpg-agent, zeroes every file, removes it.
wipe_gnupg_home() {
  local home=$1 file
  [ -d "$home" ] || return 0
  gpgconf --homedir "$home" --kill all >/dev/null 2>&1 || true
  gpgconf --homedir "$home" --remove-socketdir >/dev/null 2>&1 || true
  while IFS= read -r -d '' file; do
    dd if=/dev/zero of="$file" bs=4096 count=$(( ($(stat -c %s "$file") + 4095) / 4096 )) conv=notrunc status=none 2>/dev/null || true
  done < <(find "$home" -type f -print0)
  rm -rf -- "$home"
}

# require_gpg: --encrypt-to and --generate-keypair run gpg on this host.
require_gpg() {
  command -v gpg >/dev/null 2>&1 || die "--encrypt-to and --generate-keypair need gpg on this host (apt-get install gnupg)"
}

# generate_keypair DIR: an Ed25519 (sign) + Cv25519 (encrypt) key pair made in a temporary
# GnuPG home on a tmpfs; DIR (0700) gets secret-key.asc and revocation-cert.asc (0600) and
# public-key.asc, which joins encrypt_to. The temporary home is wiped.
generate_keypair() {
  local dir=$1 fpr
  require_gpg
  if [ "$LXCB_DRY_RUN" = 1 ]; then
    say "would create an Ed25519/Cv25519 key pair and write it to $dir (secret-key.asc, revocation-cert.asc, public-key.asc)"
    return 0
  fi
  [ ! -e "$dir/secret-key.asc" ] || die "$dir/secret-key.asc exists: choose an empty directory for --generate-keypair (nothing was changed)"
  install -d -m 0700 "$dir"
  chmod 0700 "$dir"
  fpr=$(keypair_into "$dir") || exit $?
  encrypt_to+=("$dir/public-key.asc")
  generated_fingerprint=$fpr
  say "generated key pair $fpr: private key in $dir/secret-key.asc (no passphrase: protect it, e.g. gpg --passwd, or keep it on encrypted media)"
}

# keypair_into DIR: the gpg work of generate_keypair in a subshell whose exit, however it
# comes, wipes the temporary home; prints the fingerprint.
keypair_into() (
  local dir=$1 home fpr uid
  home=$(mktemp -d "$(keys_home_parent)/lxc-backup-keygen-XXXXXX")
  # shellcheck disable=SC2064 # the path is fixed now, on purpose
  trap "wipe_gnupg_home '$home'" EXIT
  uid="lxc-backup $(hostname) <lxc-backup@$(hostname)>"
  gpg --homedir "$home" --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-generate-key "$uid" ed25519 sign never 2>/dev/null || die "gpg could not generate a key pair"
  fpr=$(gpg --homedir "$home" --batch --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }')
  [[ $fpr =~ ^[0-9A-F]{40}$ ]] || die "gpg made a key but printed no fingerprint"
  gpg --homedir "$home" --batch --quiet --pinentry-mode loopback --passphrase '' --quick-add-key "$fpr" cv25519 encr never 2>/dev/null ||
    die "gpg could not add the encryption subkey"
  umask 077
  gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys "$fpr" > "$dir/secret-key.asc"
  cp -- "$home/openpgp-revocs.d/$fpr.rev" "$dir/revocation-cert.asc"
  gpg --homedir "$home" --batch --armor --export "$fpr" > "$dir/public-key.asc"
  chmod 0644 "$dir/public-key.asc"
  echo "$fpr"
)

# key_fingerprints FILE: the primary-key fingerprints of the public keys FILE holds; dies
# for a file holding a secret key (it must never reach the backup container).
key_fingerprints() {
  local file=$1 listing
  [ -r "$file" ] || die "--encrypt-to $file: cannot read it"
  if grep -q -- '-----BEGIN PGP PRIVATE KEY BLOCK-----' "$file"; then
    die "--encrypt-to $file holds a PRIVATE key: give the public key (gpg --armor --export KEYID); the private key must stay off this host"
  fi
  listing=$(gpg --homedir "$keys_probe_home" --batch --with-colons --import-options show-only --import "$file" 2>/dev/null) ||
    die "--encrypt-to $file: gpg cannot read a public key from it (expected an armored public key: gpg --armor --export KEYID)"
  if grep -q '^sec:' <<<"$listing"; then die "--encrypt-to $file holds a secret key: give only the public key"; fi
  awk -F: '$1 == "pub" { want = 1; next } $1 == "fpr" && want { print $10; want = 0 }' <<<"$listing"
}

# import_encrypt_keys: imports every --encrypt-to file into the agent's GnuPG home in the
# container's rootfs and checks that no secret key is there afterwards.
import_encrypt_keys() {
  [ ${#encrypt_to[@]} -gt 0 ] || return 0
  require_gpg
  local file fpr home="$rootfs/var/lib/lxc-backup/gnupg"
  keys_probe_home=$(mktemp -d "$(keys_home_parent)/lxc-backup-keyprobe-XXXXXX")
  for file in "${encrypt_to[@]}"; do
    [ -e "$file" ] || [ "$LXCB_DRY_RUN" != 1 ] || { say "would import the public key(s) in $file"; continue; }
    while IFS= read -r fpr; do encrypt_fingerprints+=("$fpr"); done < <(key_fingerprints "$file")
  done
  wipe_gnupg_home "$keys_probe_home"
  [ "$LXCB_DRY_RUN" = 1 ] || [ ${#encrypt_fingerprints[@]} -gt 0 ] || die "--encrypt-to: found no public key in ${encrypt_to[*]}"
  encryption_mode=pubkey
  run install -d -m 0700 "$rootfs/var/lib/lxc-backup" "$home"
  for file in "${encrypt_to[@]}"; do run gpg --homedir "$home" --batch --quiet --import "$file"; done
  [ "$LXCB_DRY_RUN" = 1 ] && return 0
  if [ -n "$(gpg --homedir "$home" --batch --with-colons --list-secret-keys 2>/dev/null)" ]; then
    die "the agent's GnuPG home $home holds a secret key: remove it (gpg --homedir $home --delete-secret-keys) and run again" 1
  fi
  gpgconf --homedir "$home" --kill all >/dev/null 2>&1 || true
  say "imported public key(s) ${encrypt_fingerprints[*]} into /var/lib/lxc-backup/gnupg in $name"
}

# write_pubkey_policy FILE: sets `encryption: {mode: pubkey, encrypt_keys: [...]}` in a policy
# that still has the template's symmetric block; a policy already in pubkey mode is kept.
write_pubkey_policy() {
  local policy=$1 keys
  [ "$encryption_mode" = pubkey ] || return 0
  keys=$(IFS=,; echo "${encrypt_fingerprints[*]}")
  keys=${keys//,/, }
  if [ "$LXCB_DRY_RUN" = 1 ]; then say "would set encryption: { mode: pubkey, encrypt_keys: [$keys] } in $policy"; return 0; fi
  if grep -qE '^    mode: pubkey' "$policy"; then
    say "keeping the pubkey encryption in $policy: check that its encrypt_keys include $keys"
    return 0
  fi
  grep -qE '^    passphrase: "\$\{PASSPHRASE\}"' "$policy" ||
    die "$policy has its own encryption settings: set encryption: { mode: pubkey, encrypt_keys: [$keys] } there by hand" 1
  # The template's key stretching (and its comment) belongs to a passphrase: pubkey mode has none.
  sed -i -E -e 's/^    mode: symmetric$/    mode: pubkey/' \
    -e "s/^    passphrase: \"\\\$\\{PASSPHRASE\\}\"$/    encrypt_keys: [$keys]/" \
    -e '/^    # gpg stretches the passphrase into a key for every file it writes/d' \
    -e '/^    # CPU each\). auto skips that for a passphrase shaped like 32 random bytes/d' \
    -e '/^    # one scripts\/provision generates: nobody can guess 256 random bits/d' \
    -e '/^    # PASSPHRASE is one a person made up, set full\.$/d' \
    -e '/^    stretching: (auto|full)$/d' "$policy"
  grep -q "encrypt_keys: \[$keys\]" "$policy" || die "could not write encrypt_keys into $policy" 1
  say "policy: encryption mode pubkey, encrypt_keys [$keys]"
}

# write_pubkey_secrets FILE: secrets.env without a PASSPHRASE (pubkey mode needs none).
write_pubkey_secrets() {
  (umask 077; printf '# lxc-backup secrets (KEY=value, mode 0600): target credentials.\n# Backups are encrypted to a public key (encryption.mode pubkey): no PASSPHRASE here.\n' > "$1")
}

# print_key_summary: where the private key must live, and how a restore brings it in.
print_key_summary() {
  [ "$encryption_mode" = pubkey ] && [ "$LXCB_DRY_RUN" != 1 ] || return 0
  cat <<KEYS

Backups are encrypted to the public key(s) ${encrypt_fingerprints[*]}.
The PRIVATE key must NOT be on this host: whoever gets root here (or in $name) must not be
able to read the backups. Keep it offline (removable media, another machine, a password
manager). Without it the backups cannot be restored. A restore brings it in for once:
  scripts/restore NAME --key /path/to/secret-key.asc [--key-passphrase-file F]
KEYS
  [ -n "${generated_fingerprint:-}" ] || return 0
  cat <<MOVE

MOVE $keypair_dir OFF THIS HOST NOW (secret-key.asc and revocation-cert.asc), then delete it here
(e.g. shred -u $keypair_dir/secret-key.asc $keypair_dir/revocation-cert.asc). Fingerprint: $generated_fingerprint
MOVE
}

# setup_pubkey_encryption: --generate-keypair, --encrypt-to, the policy; after install_agent_files.
setup_pubkey_encryption() {
  if [ -n "$keypair_dir" ]; then generate_keypair "$keypair_dir"; fi
  import_encrypt_keys
  write_pubkey_policy "$rootfs/etc/lxc-backup/policy.yaml"
}
