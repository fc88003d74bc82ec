// Which regular files a backup's manifest samples: each file gets a score from the backup's
// seed and its path, and the lowest scores win. The same seed picks the same files (a drill
// can be re-run against the same set); each backup has a new seed, so the sample rotates over
// the tree. Memory is bounded by `max` paths, however many files a guest made.
// How large a sample is: `percent` of the regular files, at least `min`, at most `max`.
export interface SampleSize {
  percent: number;
  min: number;
  max: number;
}

// A sampled file's path and whatever the walk knew of it.
export interface Candidate<T> {
  score: number;
  path: Buffer;
  item: T;
}

// A streaming picker: offer() every regular file, then pick().
export interface SamplePicker<T> {
  offer(path: Buffer, item: T): void;
  /** offer() for a path only valid during the call: copied, and its item made, only if kept */
  offerView(view: Buffer, make: (path: Buffer) => T): void;
  /** the sample, lowest score first, sized from the number of files offered */
  pick(): Candidate<T>[];
}

// A file's score under a seed: two 32-bit FNV-1a hashes of the path, started from the seed,
// as one 52-bit number. Not a cryptographic hash (it runs for every file of every backup), but
// a guest naming its files cannot know the seed of a backup not yet made.
export function sampleScore(seed: string, path: Buffer): number {
  return scorer(seed)(path);
}

// The score function of one seed (the seed's own hashing done once); both hashes in one pass.
function scorer(seed: string): (path: Buffer) => number {
  const a0 = fnv(0x811c9dc5, Buffer.from(seed));
  const b0 = fnv(0x01000193 ^ a0, Buffer.from(`${seed}\0`));
  return (path) => {
    let a = a0;
    let b = b0;
    for (let i = 0; i < path.length; i++) {
      const byte = path[i] as number;
      a = Math.imul(a ^ byte, 0x01000193) >>> 0;
      b = Math.imul(b ^ byte, 0x01000193) >>> 0;
    }
    return (a & 0xfffff) * 2 ** 32 + b;
  };
}

function fnv(start: number, bytes: Buffer): number {
  let hash = start >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

// How many of `total` files a sample holds.
export function sampleCount(total: number, size: SampleSize): number {
  return Math.min(total, Math.max(size.min, Math.min(size.max, Math.ceil((total * size.percent) / 100))));
}

// Whether a file with `score` and `path` comes before candidate `b` in the sample.
const beats = <T>(score: number, path: Buffer, b: Candidate<T>): boolean =>
  score < b.score || (score === b.score && Buffer.compare(path, b.path) < 0);
const before = <T>(a: Candidate<T>, b: Candidate<T>): boolean => beats(a.score, a.path, b);

// Creates a picker for one backup's `seed`.
export function createSamplePicker<T>(seed: string, size: SampleSize): SamplePicker<T> {
  // A max-heap of the lowest `max` scores seen: its root is the first one to give way.
  const heap: Candidate<T>[] = [];
  let offered = 0;
  const score = scorer(seed);
  const swap = (i: number, j: number): void => {
    const t = heap[i] as Candidate<T>;
    heap[i] = heap[j] as Candidate<T>;
    heap[j] = t;
  };
  const up = (start: number): void => {
    for (let i = start; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[parent] as Candidate<T>, heap[i] as Candidate<T>)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (): void => {
    for (let i = 0; ; ) {
      let largest = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (child < heap.length && before(heap[largest] as Candidate<T>, heap[child] as Candidate<T>)) largest = child;
      }
      if (largest === i) return;
      swap(i, largest);
      i = largest;
    }
  };
  const offerView = (view: Buffer, make: (path: Buffer) => T, copy: boolean): void => {
    offered++;
    const value = score(view);
    const full = heap.length >= size.max;
    if (full && (size.max === 0 || !beats(value, view, heap[0] as Candidate<T>))) return;
    const path = copy ? Buffer.from(view) : view;
    const candidate = { score: value, path, item: make(path) };
    if (!full) {
      heap.push(candidate);
      up(heap.length - 1);
    } else {
      heap[0] = candidate;
      down();
    }
  };
  return {
    offer(path, item) {
      offerView(path, () => item, false);
    },
    offerView(view, make) {
      offerView(view, make, true);
    },
    pick() {
      const sorted = [...heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
      return sorted.slice(0, sampleCount(offered, size));
    },
  };
}

// Every sample holds at least this many files (all of a smaller tree) and at most this many.
export const SAMPLE_MIN = 200;
export const SAMPLE_MAX = 10_000;

// The sample size for policy `verify.sample` (a percentage).
export function sampleSizeFor(percent: number): SampleSize {
  return { percent, min: SAMPLE_MIN, max: SAMPLE_MAX };
}
