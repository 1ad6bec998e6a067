/**
 * A loopback AWS Price List Query API: answers `GetProducts` (AWS JSON 1.1, target
 * `AWSPriceListService.GetProducts`) with the real response shape — `FormatVersion`, `PriceList` as an
 * array of JSON strings, `NextToken` while pages remain — so the real `@aws-sdk/client-pricing` client
 * runs against it. Filters are applied (TERM_MATCH on product attributes), pages are `MaxResults` long.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, readBody } from '../http-io';
import { matchesFilter, priceListProduct, type PriceListProduct, type ProductSpec } from './products';

export interface PriceListServerOptions {
  readonly products: readonly ProductSpec[];
  /** Offer publication date of every product. @default '2026-11-01T00:00:00Z' */
  readonly publicationDate?: string;
  /** Largest page whatever MaxResults asks. @default 100 */
  readonly maxPageSize?: number;
  /** Port on 127.0.0.1. @default 0 (any free port) */
  readonly port?: number;
}

/** What a GetProducts request asked (for tests). */
export interface RecordedRequest {
  readonly target: string;
  readonly serviceCode?: string;
  readonly filters: readonly { readonly Field: string; readonly Value: string; readonly Type: string }[];
  readonly nextToken?: string;
}

export interface PriceListServer {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

interface GetProductsBody {
  readonly ServiceCode?: string;
  readonly Filters?: readonly { readonly Field: string; readonly Value: string; readonly Type: string }[];
  readonly FormatVersion?: string;
  readonly NextToken?: string;
  readonly MaxResults?: number;
}

const JSON_11 = 'application/x-amz-json-1.1';

function sendAws(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': JSON_11, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'local-price-list' });
  response.end(text);
}

function awsError(response: ServerResponse, status: number, type: string, message: string): void {
  sendAws(response, status, { __type: type, message, Message: message });
}

function getProducts(all: readonly PriceListProduct[], body: GetProductsBody, maxPageSize: number, response: ServerResponse): void {
  if (body.ServiceCode === undefined || body.ServiceCode === '') {
    awsError(response, 400, 'InvalidParameterException', 'ServiceCode is required');
    return;
  }
  for (const f of body.Filters ?? []) {
    if (f.Type !== 'TERM_MATCH') {
      awsError(response, 400, 'InvalidParameterException', `unsupported filter type ${f.Type}`);
      return;
    }
  }
  const matching = all.filter((p) => p.serviceCode === body.ServiceCode && (body.Filters ?? []).every((f) => matchesFilter(p, f.Field, f.Value)));
  const start = body.NextToken !== undefined ? Number(Buffer.from(body.NextToken, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0 || start > matching.length) {
    awsError(response, 400, 'InvalidNextTokenException', 'The pagination token is invalid');
    return;
  }
  const size = Math.min(maxPageSize, body.MaxResults ?? 100);
  const page = matching.slice(start, start + size);
  const next = start + size < matching.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  sendAws(response, 200, {
    FormatVersion: body.FormatVersion ?? 'aws_v1',
    PriceList: page.map((p) => JSON.stringify(p)),
    ...(next !== undefined ? { NextToken: next } : {}),
  });
}

/** Starts the loopback Price List API on 127.0.0.1. */
export async function startPriceListServer(options: PriceListServerOptions): Promise<PriceListServer> {
  const publicationDate = options.publicationDate ?? '2026-11-01T00:00:00Z';
  const products = options.products.map((p) => priceListProduct(p, publicationDate));
  const requests: RecordedRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = (parseJson(await readBody(request)) ?? {}) as GetProductsBody;
      requests.push({ target, serviceCode: body.ServiceCode, filters: body.Filters ?? [], ...(body.NextToken ? { nextToken: body.NextToken } : {}) });
      if (request.method !== 'POST' || target !== 'AWSPriceListService.GetProducts') {
        awsError(response, 400, 'UnknownOperationException', `unsupported operation '${target}' (the local Price List serves GetProducts)`);
        return;
      }
      getProducts(products, body, options.maxPageSize ?? 100, response);
    })().catch((error: unknown) => awsError(response, 500, 'InternalErrorException', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
