/** The loopback AWS Price List API (GetProducts) for tests and the offline harness. */
export { startPriceListServer, type PriceListServer, type PriceListServerOptions, type RecordedRequest } from './price-list-server';
export { priceListProduct, type ProductSpec } from './products';
