import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { S3Store } from '../../loadtest/pipeline/s3-store';

/** Just enough of S3 (path style: PUT/GET/HEAD object, ListObjectsV2) for the real SDK client. */
function fakeS3(): { server: Server; objects: Map<string, { body: Buffer; contentType?: string }> } {
  const objects = new Map<string, { body: Buffer; contentType?: string }>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [, bucket, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (req.method === 'PUT') {
        objects.set(`${bucket}/${key}`, { body: Buffer.concat(chunks), contentType: req.headers['content-type'] });
        res.writeHead(200, { ETag: '"x"' }).end();
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
      const object = objects.get(`${bucket}/${key}`);
      if (!object) {
        res.writeHead(404, { 'Content-Type': 'application/xml' });
        res.end(req.method === 'HEAD' ? undefined : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
        return;
      }
      res.writeHead(200, { 'Content-Length': object.body.length, 'Content-Type': object.contentType ?? 'binary/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : object.body);
    });
  });
  return { server, objects };
}

describe('S3Store (real @aws-sdk/client-s3 → loopback S3)', () => {
  const { server, objects } = fakeS3();
  let client: S3Client;
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('puts, gets, lists and checks keys under its prefix', async () => {
    const store = new S3Store(client, 'results', 'env/');
    await store.putJson('runs/d/r/levels/c-1.json', { concurrency: 1 });
    await store.putText('runs/d/r/report.html', '<html></html>', 'text/html; charset=utf-8');
    await store.putBytes('runs/d/r/records/c-1-w0.jsonl.gz', new Uint8Array([1, 2, 3]));
    expect(objects.get('results/env/runs/d/r/report.html')?.contentType).toBe('text/html; charset=utf-8');
    expect(await store.getJson('runs/d/r/levels/c-1.json')).toEqual({ concurrency: 1 });
    expect(Array.from((await store.getBytes('runs/d/r/records/c-1-w0.jsonl.gz')) ?? [])).toEqual([1, 2, 3]);
    expect(await store.getJson('runs/d/r/missing.json')).toBeUndefined();
    expect(await store.exists('runs/d/r/report.html')).toBe(true);
    expect(await store.exists('runs/d/r/nothing')).toBe(false);
    expect(await store.list('runs/d/r/')).toEqual(['runs/d/r/levels/c-1.json', 'runs/d/r/records/c-1-w0.jsonl.gz', 'runs/d/r/report.html']);
    expect(store.locate('latest/d/sweep.json')).toBe('s3://results/env/latest/d/sweep.json');
  });
});
