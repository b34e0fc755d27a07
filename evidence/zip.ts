/**
 * A whole export as one zip, streamed: each file is read from its source and passed through
 * into the archive as it arrives (stored, not deflated — the JSON would cost seconds of CPU to
 * deflate at a national chain's size, and a PDF barely shrinks), so memory stays at one chunk
 * whatever the export's size. Everything sits in one top folder named after the export, which
 * `prep evidence verify` reads as the export's root.
 */
import { Zip, ZipPassThrough } from "fflate";

/**
 * Files per zip at most: each file is one read of the bucket, and a Worker request may make
 * about a thousand such subrequests. Larger exports are downloaded file by file.
 */
export const MAX_ZIP_FILES = 900;

/** Opens one file's bytes; null when the source no longer has it (the zip then fails). */
export type OpenFile = (name: string) => Promise<ReadableStream<Uint8Array> | null>;

export function zipStream(
  folder: string,
  names: readonly string[],
  open: OpenFile,
): ReadableStream<Uint8Array> {
  let next = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let entry: ZipPassThrough | null = null;
  let emitted = 0;
  let finished = false;
  let zip: Zip;

  /** One step: the next chunk of the current file, or the next file, or the end. */
  async function step(): Promise<void> {
    if (!reader) {
      const name = names[next++];
      if (name === undefined) {
        zip.end();
        return;
      }
      const body = await open(name);
      if (!body) throw new Error(`${name} is missing from storage`);
      entry = new ZipPassThrough(`${folder}/${name}`);
      zip.add(entry);
      reader = body.getReader();
    }
    const { done, value } = await reader.read();
    if (done) {
      entry?.push(new Uint8Array(0), true);
      reader = null;
    } else entry?.push(value, false);
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        if (chunk.length > 0) {
          emitted++;
          controller.enqueue(chunk);
        }
        if (final) {
          finished = true;
          controller.close();
        }
      });
    },
    // A pull must enqueue something (or end): the stream asks again only when it did.
    async pull() {
      const before = emitted;
      while (emitted === before && !finished) await step();
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}
