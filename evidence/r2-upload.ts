/**
 * Streams one file into R2 while hashing it: text is buffered to R2's multipart part size
 * (5 MiB) and sent part by part, so a large location's file never sits whole in memory.
 * A file that ends below one part is stored with a single `put`. The SHA-256 and size are
 * computed over exactly the bytes sent (node:crypto's incremental hash; workerd has it
 * under `nodejs_compat`).
 */
import { createHash, type Hash } from "node:crypto";
import type { TextSink } from "./canonical";

/** R2 requires every part but the last to be at least 5 MiB and all of the same size. */
export const PART_BYTES = 5 * 1024 * 1024;
/** Text is encoded in slices of about this many characters (few, large TextEncoder calls). */
const TEXT_SLICE = 64 * 1024;

export interface UploadedFile {
  size: number;
  sha256: string;
}

export class HashingUpload implements TextSink {
  private readonly hash: Hash = createHash("sha256");
  private readonly encoder = new TextEncoder();
  private pendingText: string[] = [];
  private pendingTextLength = 0;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private size = 0;
  private multipart: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    readonly key: string,
    private readonly contentType: string,
    private readonly customMetadata: Record<string, string> = {},
  ) {}

  async write(text: string): Promise<void> {
    this.pendingText.push(text);
    this.pendingTextLength += text.length;
    if (this.pendingTextLength >= TEXT_SLICE) await this.encodePending();
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.encodePending();
    await this.append(bytes);
  }

  private async encodePending(): Promise<void> {
    if (this.pendingTextLength === 0) return;
    const bytes = this.encoder.encode(this.pendingText.join(""));
    this.pendingText = [];
    this.pendingTextLength = 0;
    await this.append(bytes);
  }

  private async append(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.size += bytes.byteLength;
    this.chunks.push(bytes);
    this.buffered += bytes.byteLength;
    while (this.buffered >= PART_BYTES) await this.sendPart(PART_BYTES);
  }

  /** Sends the first `length` buffered bytes as the next part. */
  private async sendPart(length: number): Promise<void> {
    const part = take(this.chunks, length);
    this.buffered -= length;
    this.multipart ??= await this.bucket.createMultipartUpload(this.key, {
      httpMetadata: { contentType: this.contentType },
      customMetadata: this.customMetadata,
    });
    this.parts.push(await this.multipart.uploadPart(this.parts.length + 1, part));
  }

  /** Stores what remains and answers the file's size and SHA-256. */
  async finish(): Promise<UploadedFile> {
    await this.encodePending();
    if (this.multipart) {
      if (this.buffered > 0) await this.sendPart(this.buffered);
      await this.multipart.complete(this.parts);
    } else {
      await this.bucket.put(this.key, take(this.chunks, this.buffered), {
        httpMetadata: { contentType: this.contentType },
        customMetadata: this.customMetadata,
      });
    }
    this.buffered = 0;
    return { size: this.size, sha256: this.hash.digest("hex") };
  }

  /** Gives up a failed file: parts already sent are discarded by R2. */
  async abort(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    if (this.multipart) await this.multipart.abort().catch(() => {});
  }
}

/** Removes and concatenates the first `length` bytes of `chunks`. */
function take(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  while (offset < length) {
    const head = chunks[0] as Uint8Array;
    const need = length - offset;
    if (head.byteLength <= need) {
      out.set(head, offset);
      offset += head.byteLength;
      chunks.shift();
    } else {
      out.set(head.subarray(0, need), offset);
      chunks[0] = head.subarray(need);
      offset += need;
    }
  }
  return out;
}

/** Stores a small file whole (index, PDF, manifest) and answers its size and SHA-256. */
export async function putWhole(
  bucket: R2Bucket,
  key: string,
  contentType: string,
  bytes: Uint8Array,
): Promise<UploadedFile> {
  await bucket.put(key, bytes, { httpMetadata: { contentType } });
  return { size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}
