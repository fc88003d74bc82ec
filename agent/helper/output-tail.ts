// The last bytes of a child's output, kept in a fixed-size buffer: a guest's hook may print
// without end, and only its tail is ever reported.
import { escapeControlLines } from '../core/escape-control.js';

// Keeps the last `limit` bytes written to it.
export class OutputTail {
  private readonly buffer: Buffer;
  private used = 0;
  private dropped = false;

  constructor(readonly limit: number) {
    this.buffer = Buffer.alloc(limit);
  }

  // Appends a chunk, dropping what falls out of the window.
  push(chunk: Buffer): void {
    if (chunk.length >= this.limit) {
      chunk.copy(this.buffer, 0, chunk.length - this.limit);
      this.dropped ||= chunk.length > this.limit || this.used > 0;
      this.used = this.limit;
      return;
    }
    const overflow = this.used + chunk.length - this.limit;
    if (overflow > 0) {
      this.buffer.copy(this.buffer, 0, overflow, this.used);
      this.used -= overflow;
      this.dropped = true;
    }
    chunk.copy(this.buffer, this.used);
    this.used += chunk.length;
  }

  // The tail as text with control characters escaped (line breaks kept); "…" marks a cut.
  text(): string {
    const text = escapeControlLines(this.buffer.subarray(0, this.used).toString('utf8'));
    return this.dropped ? `…${text}` : text;
  }
}
