/** Small HTTP helpers for the local endpoint's tests (real requests over loopback). */

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** `data:` payloads of a server-sent-events body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data:'))
    .map((event) => event.slice('data:'.length).trim());
}

/** A prompt of roughly `words` Llama tokens. */
export function promptOf(words: number): string {
  return Array.from({ length: words }, (_, i) => (i % 2 === 0 ? 'hello' : 'world')).join(' ');
}
