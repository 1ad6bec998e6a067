import type { S3Client } from '@aws-sdk/client-s3';
import { S3Store } from '../../loadtest/pipeline/s3-store';
import { startLoopbackS3, type LoopbackS3 } from '../support/loopback-s3';

describe('S3Store (real @aws-sdk/client-s3 → loopback S3)', () => {
  let s3: LoopbackS3;
  let client: S3Client;
  beforeAll(async () => {
    s3 = await startLoopbackS3();
    client = s3.client();
  });
  afterAll(() => s3.close());

  it('puts, gets, lists and checks keys under its prefix', async () => {
    const store = new S3Store(client, 'results', 'env/');
    await store.putJson('runs/d/r/levels/c-1.json', { concurrency: 1 });
    await store.putText('runs/d/r/report.html', '<html></html>', 'text/html; charset=utf-8');
    await store.putBytes('runs/d/r/records/c-1-w0.jsonl.gz', new Uint8Array([1, 2, 3]));
    expect(s3.objects.get('results/env/runs/d/r/report.html')?.contentType).toBe('text/html; charset=utf-8');
    expect(await store.getJson('runs/d/r/levels/c-1.json')).toEqual({ concurrency: 1 });
    expect(Array.from((await store.getBytes('runs/d/r/records/c-1-w0.jsonl.gz')) ?? [])).toEqual([1, 2, 3]);
    expect(await store.getJson('runs/d/r/missing.json')).toBeUndefined();
    expect(await store.exists('runs/d/r/report.html')).toBe(true);
    expect(await store.exists('runs/d/r/nothing')).toBe(false);
    expect(await store.list('runs/d/r/')).toEqual(['runs/d/r/levels/c-1.json', 'runs/d/r/records/c-1-w0.jsonl.gz', 'runs/d/r/report.html']);
    expect(store.locate('latest/d/sweep.json')).toBe('s3://results/env/latest/d/sweep.json');
  });
});
