# scripts/restore --key FILE [--key-passphrase-file F] (sourced): the private key of a pubkey-mode
# backup goes into the backup container over lxc-attach's stdin, never as a file there; the
# agent imports it into a temporary GnuPG home on a tmpfs and wipes it when the restore ends.

key_file='' key_pass_file='' key_passphrase=''

# key_is_protected FILE: whether the secret key in FILE has a passphrase (needs gpg here;
# without gpg, unknown: answers yes so a terminal user is asked, empty for none).
key_is_protected() {
  command -v gpg >/dev/null 2>&1 || return 0
  local home listing
  home=$(mktemp -d)
  listing=$(gpg --homedir "$home" --batch --list-packets < "$1" 2>/dev/null || true)
  rm -rf -- "$home"
  grep -qE 'protected\]|iter\+salt S2K|protect count' <<<"$listing"
}

# prepare_restore_key: checks --key and gets its passphrase (file, or asked on the terminal);
# appends the agent's options to restore_args.
prepare_restore_key() {
  [ -n "$key_file" ] || { [ -z "$key_pass_file" ] || die "--key-passphrase-file needs --key FILE"; return 0; }
  [ -f "$key_file" ] && [ -r "$key_file" ] || die "--key $key_file: expected a readable file holding the exported private key"
  grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$key_file" && ! grep -q -- 'PRIVATE KEY BLOCK' "$key_file" &&
    die "--key $key_file holds only a public key: a restore needs the private key (gpg --armor --export-secret-keys KEYID)"
  if [ -n "$key_pass_file" ]; then
    [ -r "$key_pass_file" ] || die "--key-passphrase-file $key_pass_file: cannot read it"
    IFS= read -r key_passphrase < "$key_pass_file" || true
    restore_args+=(--key - --key-passphrase-file -)
  elif key_is_protected "$key_file"; then
    if [ -t 0 ]; then
      IFS= read -r -s -p "Passphrase of the private key in $key_file (empty if none): " key_passphrase; echo >&2
      restore_args+=(--key - --key-passphrase-file -)
    elif command -v gpg >/dev/null 2>&1; then
      die "the key in $key_file is passphrase-protected: pass --key-passphrase-file F, or run on a terminal to be asked"
    else
      restore_args+=(--key -)
    fi
  else
    restore_args+=(--key -)
  fi
}

# restore_stdin: what the inner restore reads on stdin: [passphrase line] then the key; nothing without --key.
restore_stdin() {
  [ -n "$key_file" ] || return 0
  case " ${restore_args[*]} " in *' --key-passphrase-file - '*) printf '%s\n' "$key_passphrase" ;; esac
  cat -- "$key_file"
}
