// A program and its arguments, possibly run through another (e.g. inside a private mount
// namespace where a snapshot is bound over the live rootfs: consistency/snapshot-view.ts).
export interface ToolCall {
  file: string;
  args: string[];
}

// Turns a call into the call that really runs; the identity when nothing wraps it.
export type ToolWrap = (call: ToolCall) => ToolCall;
