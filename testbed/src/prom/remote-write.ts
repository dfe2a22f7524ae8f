/**
 * Prometheus remote write (protocol 1.0: a snappy-compressed protobuf `WriteRequest`) with
 * no dependencies: tests push live series into the testbed Prometheus (its remote-write
 * receiver is on) the way an agent remote-writing to Thanos would. The snappy block holds
 * literals only — valid snappy, just not smaller — which is all a receiver needs.
 */
export interface PushSeries {
  /** `__name__` included or given as `name`. */
  name: string;
  labels: Record<string, string>;
  samples: readonly { value: number; timestampMs: number }[];
}

function varint(n: number, out: number[]): void {
  // Timestamps in milliseconds exceed 32 bits: arithmetic, not bit operators.
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function lengthDelimited(field: number, bytes: readonly number[] | Uint8Array, out: number[]): void {
  out.push((field << 3) | 2);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function encodeSeries(s: PushSeries): number[] {
  const out: number[] = [];
  // Receivers expect labels sorted by name, __name__ among them.
  const labels = Object.entries({ ...s.labels, __name__: s.name }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of labels) {
    const label: number[] = [];
    lengthDelimited(1, utf8(name), label);
    lengthDelimited(2, utf8(value), label);
    lengthDelimited(1, label, out);
  }
  for (const sample of s.samples) {
    const body: number[] = [0x09];
    const f = new DataView(new ArrayBuffer(8));
    f.setFloat64(0, sample.value, true);
    for (let i = 0; i < 8; i++) body.push(f.getUint8(i));
    body.push(0x10);
    varint(sample.timestampMs, body);
    lengthDelimited(2, body, out);
  }
  return out;
}

/** The protobuf `WriteRequest` of these series. */
export function encodeWriteRequest(series: readonly PushSeries[]): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  for (const s of series) lengthDelimited(1, encodeSeries(s), out);
  return Uint8Array.from(out);
}

/** A snappy block of literals: the uncompressed length, then chunks of at most 65,536 bytes. */
export function snappyLiteral(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  varint(data.length, out);
  for (let at = 0; at < data.length; at += 65_536) {
    const chunk = data.subarray(at, Math.min(data.length, at + 65_536));
    const n = chunk.length - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 0x100) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >> 8);
    for (const b of chunk) out.push(b);
  }
  return Uint8Array.from(out);
}

/** POSTs the series to `<prometheus>/api/v1/write`; resolves with the status (Prometheus answers 204, or 400 for samples out of bounds). */
export async function remoteWrite(prometheusUrl: string, series: readonly PushSeries[]): Promise<{ status: number; text: string }> {
  const res = await fetch(`${prometheusUrl}/api/v1/write`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: snappyLiteral(encodeWriteRequest(series)),
  });
  return { status: res.status, text: await res.text() };
}
