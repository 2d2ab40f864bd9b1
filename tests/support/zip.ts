import { inflateRawSync } from "node:zlib";

type CentralEntry = { name: string; method: number; compressedSize: number; localHeaderOffset: number };

/** The entries listed in a ZIP file's central directory. */
function centralDirectory(zip: Buffer): CentralEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a ZIP file: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error("broken central directory");
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8"),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The entry names of a ZIP file, read from its central directory (enough to check what a kit holds). */
export function zipEntryNames(zip: Buffer): string[] {
  return centralDirectory(zip).map((e) => e.name);
}

/** Each entry's name and bytes (stored or deflated), to compare what a kit delivers with what is stored. */
export function zipEntries(zip: Buffer): { name: string; data: Buffer }[] {
  return centralDirectory(zip).map((entry) => {
    const local = entry.localHeaderOffset;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + entry.compressedSize);
    return { name: entry.name, data: entry.method === 8 ? inflateRawSync(raw) : Buffer.from(raw) };
  });
}
