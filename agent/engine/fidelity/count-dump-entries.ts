// Counts the entries of a getfattr dump by streaming it: the dump's size is the guest's choice
// (xattr values up to 64 KiB each, on as many files as it likes), so it is never read whole.
import { createReadStream } from 'node:fs';

const HEADER = Buffer.from('# file: ');

// The number of lines starting with `# file: ` (one per entry with xattrs). getfattr escapes
// newlines in names and -e hex makes values hex, so only entry headers start a line that way.
// `chunkBytes` sets the read size (tests use tiny ones to split headers everywhere).
export async function countDumpEntries(path: string, chunkBytes = 64 * 1024): Promise<number> {
  let count = 0;
  // The last bytes of the previous chunk, so a header split across chunks is still seen.
  let carry = Buffer.from('\n');
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>) {
    const joined = Buffer.concat([carry, chunk]);
    let at = joined.indexOf(HEADER);
    while (at !== -1) {
      if (at > 0 && joined[at - 1] === 0x0a) count++;
      at = joined.indexOf(HEADER, at + 1);
    }
    // A header cut anywhere still has its newline in these bytes; one wholly inside them was
    // counted already and now sits at index 0, where it is not counted again.
    carry = Buffer.from(joined.subarray(-HEADER.length));
  }
  return count;
}
