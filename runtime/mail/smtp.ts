/**
 * A minimal SMTP client over a TCP socket (`cloudflare:sockets`), enough to hand one
 * message to a submission server: EHLO, AUTH PLAIN when credentials are given, MAIL FROM,
 * RCPT TO, DATA, QUIT. Implicit TLS (`smtps`, port 465) rather than STARTTLS keeps the
 * exchange to one kind of socket. The message is MIME multipart/alternative (text and HTML),
 * each part base64 so any UTF-8 travels intact (mime.ts).
 */
import { connect } from "cloudflare:sockets";
import { buildMessage, type OutgoingMessage } from "./mime";

export interface SmtpServer {
  hostname: string;
  port: number;
  tls: boolean;
  auth?: { user: string; password: string };
}

const TIMEOUT_MS = 10_000;

export class SmtpError extends Error {}

/** Reads whole SMTP replies (possibly multi-line: `250-…` lines then `250 …`). */
class ReplyReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  async reply(): Promise<{ code: number; text: string }> {
    for (;;) {
      const lines = this.buffer.split("\r\n");
      for (let i = 0; i < lines.length - 1; i++) {
        const match = /^(\d{3})([ -])(.*)$/.exec(lines[i] as string);
        if (match && match[2] === " ") {
          this.buffer = lines.slice(i + 1).join("\r\n");
          return { code: Number(match[1]), text: lines.slice(0, i + 1).join("\n") };
        }
      }
      const { value, done } = await this.reader.read();
      if (done) throw new SmtpError("the mail server closed the connection");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }
}

export async function sendSmtp(server: SmtpServer, message: OutgoingMessage): Promise<void> {
  const socket = connect(
    { hostname: server.hostname, port: server.port },
    { secureTransport: server.tls ? "on" : "off", allowHalfOpen: false },
  );
  const writer = socket.writable.getWriter();
  const replies = new ReplyReader(socket.readable.getReader());
  const encoder = new TextEncoder();
  const expect = async (codes: number[], step: string) => {
    const { code, text } = await replies.reply();
    if (!codes.includes(code)) throw new SmtpError(`${step}: the mail server answered ${text}`);
  };
  const command = async (line: string, codes: number[], step: string) => {
    await writer.write(encoder.encode(`${line}\r\n`));
    await expect(codes, step);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SmtpError("the mail server did not answer in time")), TIMEOUT_MS);
  });
  const exchange = async () => {
    await expect([220], "greeting");
    await command("EHLO prep.localhost", [250], "EHLO");
    if (server.auth) {
      const plain = btoa(
        String.fromCharCode(...encoder.encode(`\0${server.auth.user}\0${server.auth.password}`)),
      );
      await command(`AUTH PLAIN ${plain}`, [235], "AUTH");
    }
    await command(`MAIL FROM:<${addressOf(message.from)}>`, [250], "MAIL FROM");
    await command(`RCPT TO:<${addressOf(message.to)}>`, [250, 251], "RCPT TO");
    await command("DATA", [354], "DATA");
    // Dot-stuffing: a line starting with "." gets another (RFC 5321 §4.5.2).
    const body = buildMessage(message).replace(/(^|\r\n)\./g, "$1..");
    await command(`${body}\r\n.`, [250], "message");
    await command("QUIT", [221], "QUIT");
  };
  try {
    await Promise.race([exchange(), timeout]);
  } finally {
    clearTimeout(timer);
    await socket.close().catch(() => undefined);
  }
}

/** `Name <a@b>` → `a@b`; refuses anything that could smuggle an SMTP command. */
function addressOf(value: string): string {
  const address = /<([^<>]+)>\s*$/.exec(value)?.[1] ?? value.trim();
  if (/[\s<>]/.test(address) || !address.includes("@")) throw new SmtpError(`not a mail address: ${address}`);
  return address;
}
