import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType?: string;
  readonly etag: string;
}

export interface LoopbackS3 {
  readonly server: Server;
  readonly objects: Map<string, StoredObject>;
  /** A real SDK client pointed at the server (path style). */
  client(): S3Client;
  close(): Promise<void>;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/**
 * Just enough of S3 for the real @aws-sdk/client-s3 (path style): PUT (with `If-None-Match: *`
 * answered 412 PreconditionFailed when the key exists, as S3's conditional writes do:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html), GET, HEAD,
 * DELETE (with `If-Match`), ListObjectsV2. Requests are handled one at a time, in order.
 */
export async function startLoopbackS3(): Promise<LoopbackS3> {
  const objects = new Map<string, StoredObject>();
  let version = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [, bucket, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      const id = `${bucket}/${key}`;
      if (req.method === 'PUT') {
        if (req.headers['if-none-match'] === '*' && objects.has(id)) {
          xmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
          return;
        }
        const etag = `"v${++version}"`;
        objects.set(id, { body: Buffer.concat(chunks), contentType: req.headers['content-type'], etag });
        res.writeHead(200, { ETag: etag }).end();
        return;
      }
      if (req.method === 'DELETE') {
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined && objects.get(id)?.etag !== ifMatch) {
          xmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
          return;
        }
        objects.delete(id);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1));
        const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('');
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
        return;
      }
      const object = objects.get(id);
      if (!object) {
        if (req.method === 'HEAD') res.writeHead(404).end();
        else xmlError(res, 404, 'NoSuchKey', 'no such key');
        return;
      }
      res.writeHead(200, { 'Content-Length': object.body.length, 'Content-Type': object.contentType ?? 'binary/octet-stream', ETag: object.etag });
      res.end(req.method === 'HEAD' ? undefined : object.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const clients: S3Client[] = [];
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return {
    server,
    objects,
    client: () => {
      const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const c of clients) c.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
