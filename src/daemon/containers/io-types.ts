import type { Writable } from "node:stream";

/** One piece of a container's output. */
export interface OutputChunk {
  stream: "stdout" | "stderr";
  data: Buffer;
}

/** A live attach (or exec) session as the API layer sees it: it frames output and copies stdin. */
export interface StdioSession {
  tty: boolean;
  output: AsyncIterable<OutputChunk>;
  /** Present when the client asked for stdin and the process has it open. */
  stdin?: Writable;
  resize?(height: number, width: number): Promise<void>;
  close(): void;
}
