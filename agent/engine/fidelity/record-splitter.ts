// Splits a stream of NUL-terminated records (find -printf … \0) into whole records, holding at
// most one record's worth of bytes: the output of a walk over a guest's tree is unbounded, a
// single record (a path a guest made 500 KB long) too.

// What the splitter hands on: whole records, and the records it dropped for being too long.
export interface RecordSink {
  /** buf[start, end) is one record without its NUL; valid only during the call */
  record(buf: Buffer, start: number, end: number): void;
  /** a record longer than the cap: `head` and `tail` are its first and last bytes, `length` its size */
  tooLong(head: Buffer, tail: Buffer, length: number): void;
}

// A stateful splitter; call push() per chunk and end() after the last one.
export interface RecordSplitter {
  push(chunk: Buffer): void;
  /** throws when the stream stopped inside a record (find was cut off) */
  end(): void;
}

// How many leading and trailing bytes of a dropped record are kept to name it.
const HEAD_BYTES = 256;
const TAIL_BYTES = 64;

// Creates a splitter that drops (and reports) any record longer than maxRecord bytes.
export function createRecordSplitter(maxRecord: number, sink: RecordSink): RecordSplitter {
  // Bytes of a record split across chunks; never longer than maxRecord.
  let carry: Buffer = Buffer.alloc(0);
  // While > 0 we are inside an over-long record: its length so far, its bytes dropped.
  let dropping = 0;
  let head: Buffer = Buffer.alloc(0);
  let tail: Buffer = Buffer.alloc(0);
  let offset = 0;

  const drop = (bytes: Buffer): void => {
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, bytes.subarray(0, HEAD_BYTES - head.length)]);
    tail = Buffer.concat([tail, bytes.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    dropping += bytes.length;
  };

  return {
    push(chunk) {
      let start = 0;
      while (start < chunk.length) {
        const nul = chunk.indexOf(0, start);
        const end = nul === -1 ? chunk.length : nul;
        if (dropping > 0) {
          drop(chunk.subarray(start, end));
        } else if (carry.length + (end - start) > maxRecord) {
          // Past the cap: stop accumulating, keep only a head to name the record by.
          head = Buffer.alloc(0);
          tail = Buffer.alloc(0);
          drop(carry);
          drop(chunk.subarray(start, end));
          carry = Buffer.alloc(0);
        } else if (nul !== -1 && carry.length === 0) {
          sink.record(chunk, start, end);
        } else if (nul !== -1) {
          const whole = Buffer.concat([carry, chunk.subarray(start, end)]);
          carry = Buffer.alloc(0);
          sink.record(whole, 0, whole.length);
        } else {
          // Copy: the chunk's memory may be reused once we return.
          carry = Buffer.concat([carry, chunk.subarray(start, end)]);
        }
        if (nul === -1) break;
        if (dropping > 0) {
          sink.tooLong(head, tail, dropping);
          dropping = 0;
          head = Buffer.alloc(0);
          tail = Buffer.alloc(0);
        }
        start = nul + 1;
      }
      offset += chunk.length;
    },
    end() {
      if (carry.length > 0 || dropping > 0) {
        throw new Error(`find output: record ending at byte ${offset} is not NUL-terminated`);
      }
    },
  };
}
