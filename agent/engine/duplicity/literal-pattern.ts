// Include patterns that can only select the path they name.

// duplicity's glob characters; its globs have no way to quote them (globmatch.glob_to_regex).
const GLOB_CHARACTERS = /[*?[]/;

// `path` as an include pattern that can only select itself. Container names never hold a glob
// character (core/container-name.ts), so this refuses only a host_root or state_dir that does,
// instead of letting `web*` back up every container starting with "web" into one target.
export function literalPattern(path: string): string {
  if (GLOB_CHARACTERS.test(path) || path.startsWith('ignorecase:')) {
    throw new Error(
      `duplicity include ${JSON.stringify(path)}: expected a path without the glob characters * ? [ (duplicity cannot quote them); rename host_root or state_dir`,
    );
  }
  return path;
}
