import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResultStore } from './result-store';

/**
 * A results store in a local folder: the CLI sweep writes its `--out` folder through it, and the
 * offline harness and tests use it in place of S3. Every write goes to a temporary file first and is
 * renamed into place, so a crash or a full disk never leaves half a file under a key.
 */
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
    const tmp = await this.writeTemp(file, bytes);
    await fs.rename(tmp, file);
  }

  /** Mirrors S3's `If-None-Match: *`: link(2) of a complete temporary file fails with EEXIST when the key exists. */
  public async createIfAbsent(key: string, text: string): Promise<boolean> {
    const file = this.locate(key);
    const tmp = await this.writeTemp(file, Buffer.from(text, 'utf8'));
    try {
      await fs.link(tmp, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  public async delete(key: string): Promise<void> {
    await fs.rm(this.locate(key), { force: true });
  }

  /** rename(2) moves the stale file away atomically: a second caller finds nothing to move. */
  public async takeOverStale(key: string, expected: unknown): Promise<boolean> {
    const file = this.locate(key);
    const moved = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.stale.tmp`;
    try {
      await fs.rename(file, moved);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const text = await fs.readFile(moved, 'utf8');
    let same: boolean;
    try {
      same = JSON.stringify(JSON.parse(text)) === JSON.stringify(expected);
    } catch {
      same = false;
    }
    if (!same) {
      // Another run claimed it meanwhile: put its lock back unless yet another one is in place.
      await fs.link(moved, file).catch(() => undefined);
    }
    await fs.rm(moved, { force: true });
    return same;
  }

  /** Writes `bytes` to a temporary file beside `file` and returns its path (removed again when the write fails). */
  private async writeTemp(file: string, bytes: Uint8Array): Promise<string> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`;
    try {
      await fs.writeFile(tmp, bytes);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
    return tmp;
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
