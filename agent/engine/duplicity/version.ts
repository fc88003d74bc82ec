// The duplicity version decides a few option spellings (0.8.x on Debian 12, 3.0.x on Debian 13).

export interface DuplicityVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

// Whether this duplicity uses the 2.0+ command line (argparse; `--path-to-restore`, `backup`).
export function hasModernCli(version: DuplicityVersion): boolean {
  return version.major >= 2;
}
