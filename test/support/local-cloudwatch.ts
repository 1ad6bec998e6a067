import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createLocalCloudWatch, type LocalCloudWatchOptions } from '../../loadtest/local/cloudwatch/cloudwatch-api';
import type { ServingRecord } from '../../loadtest/local/cloudwatch/serving-record';

/** The local CloudWatch of a hand-built serving record on a loopback server, and the real client pointed at it. */
export async function serveLocalCloudWatch(record: ServingRecord, now: () => number, instances = 1, options: LocalCloudWatchOptions = {}): Promise<{ server: Server; client: CloudWatchClient }> {
  const cloudWatch = createLocalCloudWatch(record, { endpointName: 'ep', variantName: 'AllTraffic', instances }, now, options);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (!cloudWatch.handle(String(request.headers['x-amz-target']), Buffer.concat(chunks), response)) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new CloudWatchClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  return { server, client };
}

/**
 * `serveLocalCloudWatch` for the tests of a describe block: each call serves one and gives its client;
 * every one served during a test is closed (client and server) after it.
 */
export function localCloudWatchPerTest(): (...args: Parameters<typeof serveLocalCloudWatch>) => Promise<CloudWatchClient> {
  const open: { server: Server; client: CloudWatchClient }[] = [];
  afterEach(async () => {
    for (const { server, client } of open.splice(0)) {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  return async (...args) => {
    const served = await serveLocalCloudWatch(...args);
    open.push(served);
    return served.client;
  };
}
