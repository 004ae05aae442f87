import { manifestV5Schema } from '@stockroom/panel-photoshop/build';
import { z } from 'zod';

const semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'a version such as 1.2.3');
/** Premiere Pro reads one host object; an array is refused when the .ccx is installed. */
const premiereHost = z.object({ app: z.literal('premierepro'), minVersion: semver, data: z.record(z.string(), z.unknown()).optional() }).strict();
export const premiereManifestSchema = manifestV5Schema.extend({ host: premiereHost });

/** UXP panels in Premiere Pro: 25.6 is the first release with the UXP API the adapter uses. */
const MIN_PREMIERE = '25.6.0';

/** Problems with a manifest, as sentences; empty when Premiere Pro would load it. */
export function checkPremiereManifest(manifest: unknown): string[] {
  const parsed = premiereManifestSchema.safeParse(manifest);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const m = parsed.data;
  const problems: string[] = [];
  if (compare(m.host.minVersion, MIN_PREMIERE) < 0)
    problems.push(`host.minVersion: ${m.host.minVersion} is older than ${MIN_PREMIERE}, the first Premiere Pro with UXP panels`);
  for (const entry of m.entrypoints) {
    if (entry.type !== 'panel') continue;
    for (const key of ['preferredDockedSize', 'preferredFloatingSize'] as const) {
      const size = entry[key];
      if (
        size.width < entry.minimumSize.width ||
        size.height < entry.minimumSize.height ||
        size.width > entry.maximumSize.width ||
        size.height > entry.maximumSize.height
      ) {
        problems.push(`entrypoints.${entry.id}.${key}: outside minimumSize..maximumSize`);
      }
    }
  }
  if (!m.requiredPermissions.network) problems.push('requiredPermissions.network: the panel talks to the Stockroom server and needs its domains');
  if (m.requiredPermissions.localFileSystem !== 'fullAccess')
    problems.push('requiredPermissions.localFileSystem: the media folder and project files need fullAccess');
  if (!m.requiredPermissions.launchProcess?.schemes.includes('https')) problems.push('requiredPermissions.launchProcess: device sign-in opens the browser');
  return problems;
}

function compare(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
