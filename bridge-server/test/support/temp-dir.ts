import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

const REPO_TMP = path.join(import.meta.dirname, '..', '..', '..', '.tmp');

/** A fresh folder under the repository's .tmp (kept apart from the harness so benchmarks can use it without vitest). */
export function makeTempDir(prefix: string): string {
  mkdirSync(REPO_TMP, { recursive: true });
  const dir = mkdtempSync(path.join(REPO_TMP, `${prefix}-`));
  chmodSync(dir, 0o755); // as root, embedded PostgreSQL runs as another user that must enter it
  return dir;
}
