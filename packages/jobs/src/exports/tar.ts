/**
 * The ustar parts of a `.tar` written as a stream: a 512-byte header per member (its size known before its bytes,
 * which is why a CSV export of several kinds spools each kind to disk first), the member's bytes padded to 512, and
 * two zero blocks at the end. Names here are ASCII and short (`calls.csv`).
 */
const block = 512;

function field(header: Buffer, offset: number, length: number, value: string) {
  header.write(value, offset, Math.min(length, Buffer.byteLength(value)), "ascii");
}

const octal = (n: number, digits: number) => n.toString(8).padStart(digits, "0");

export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  if (!/^[\x21-\x7e]{1,100}$/.test(name)) throw new Error("tar member names here are short ASCII");
  const h = Buffer.alloc(block, 0);
  field(h, 0, 100, name);
  field(h, 100, 8, "0000644\0");
  field(h, 108, 8, "0000000\0");
  field(h, 116, 8, "0000000\0");
  field(h, 124, 12, `${octal(size, 11)}\0`);
  field(h, 136, 12, `${octal(Math.floor(mtime.getTime() / 1000), 11)}\0`);
  field(h, 148, 8, "        ");
  field(h, 156, 1, "0");
  field(h, 257, 6, "ustar\0");
  field(h, 263, 2, "00");
  let sum = 0;
  for (const byte of h) sum += byte;
  field(h, 148, 8, `${octal(sum, 6)}\0 `);
  return h;
}

/** Zero bytes that bring a member of `size` bytes to a whole number of blocks. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((block - (size % block)) % block, 0);
}

export const tarEnd = (): Buffer => Buffer.alloc(2 * block, 0);
