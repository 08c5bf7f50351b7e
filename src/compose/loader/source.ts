/**
 * The loader's only window on the file system: it asks a FileSource for the text of a file. The
 * node implementation lives in files.ts; tests use MemorySource.
 */
export interface FileSource {
  /** The file's text, or undefined when it does not exist. "-" is standard input. */
  read(path: string): string | undefined;
}

export class MemorySource implements FileSource {
  readonly #files: Map<string, string>;
  constructor(files: Record<string, string>) {
    this.#files = new Map(Object.entries(files));
  }
  read(path: string): string | undefined {
    return this.#files.get(path);
  }
}
