import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResultStore } from './result-store';

/** A results store in a local folder: the offline harness and tests use it in place of S3. */
export class LocalFolderStore implements ResultStore {
  public readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  public locate(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  public async getJson<T>(key: string): Promise<T | undefined> {
    const bytes = await this.getBytes(key);
    return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
  }

  public async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      return await fs.readFile(this.locate(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  public async putJson(key: string, value: unknown): Promise<void> {
    await this.putText(key, `${JSON.stringify(value, null, 2)}\n`);
  }

  public async putText(key: string, text: string): Promise<void> {
    await this.putBytes(key, Buffer.from(text, 'utf8'));
  }

  public async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.locate(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Write then rename so a reader (or a crash) never sees half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  }

  public async list(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const keys: string[] = [];
    await this.walk(dirKey, keys);
    return keys.filter((k) => k.startsWith(prefix) && !k.endsWith('.tmp')).sort();
  }

  public async exists(key: string): Promise<boolean> {
    try {
      await fs.access(this.locate(key));
      return true;
    } catch {
      return false;
    }
  }

  private async walk(dirKey: string, into: string[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dirKey === '' ? this.root : this.locate(dirKey), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(key, into);
      else into.push(key);
    }
  }
}
