import { z } from 'zod';

const semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'a version such as 1.2.3');
const size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).strict();
const label = z.union([z.string().min(1), z.object({ default: z.string().min(1) }).catchall(z.string())]);
const THEMES = ['all', 'lightest', 'light', 'medium', 'dark', 'darkest'] as const;
const icon = z
  .object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    path: z.string().regex(/\.png$/, 'a .png path'),
    scale: z.array(z.number().positive()).nonempty().optional(),
    theme: z.array(z.enum(THEMES)).nonempty().optional(),
    species: z.array(z.enum(['generic', 'toolbar', 'pluginList'])).optional(),
  })
  .strict();
const host = z.object({ app: z.literal('PS'), minVersion: semver, data: z.record(z.string(), z.unknown()).optional() }).strict();
const panel = z
  .object({
    type: z.literal('panel'),
    id: z.string().regex(/^[A-Za-z][\w.-]*$/),
    label,
    minimumSize: size,
    maximumSize: size,
    preferredDockedSize: size,
    preferredFloatingSize: size,
    icons: z.array(icon).nonempty(),
  })
  .strict();
const command = z.object({ type: z.literal('command'), id: z.string().min(1), label }).strict();
const domain = z.string().regex(/^(https?|wss?):\/\/[^/\s]+$/, 'a scheme and host such as https://example.com');

/**
 * The UXP manifest v5 fields Photoshop reads, as a schema. Written from Adobe's manifest
 * reference (no official machine-readable schema is published).
 */
export const manifestV5Schema = z
  .object({
    manifestVersion: z.literal(5),
    id: z.string().min(1).max(100),
    name: label,
    version: semver,
    main: z.string().regex(/\.(html|js)$/),
    host: z.union([host, z.array(host).length(1)]),
    entrypoints: z.array(z.discriminatedUnion('type', [panel, command])).nonempty(),
    icons: z.array(icon).optional(),
    requiredPermissions: z
      .object({
        network: z
          .object({ domains: z.union([z.literal('all'), z.array(domain).nonempty()]) })
          .strict()
          .optional(),
        localFileSystem: z.enum(['plugin', 'request', 'fullAccess']).optional(),
        clipboard: z.enum(['read', 'readAndWrite']).optional(),
        launchProcess: z.object({ schemes: z.array(z.string()), extensions: z.array(z.string()) }).optional(),
        allowCodeGenerationFromStrings: z.boolean().optional(),
        ipc: z.object({ enablePluginCommunication: z.boolean() }).optional(),
        webview: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  })
  .strict();

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Problems with a manifest, as sentences; empty when Photoshop would load it. */
export function checkManifest(manifest: unknown): string[] {
  const parsed = manifestV5Schema.safeParse(manifest);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const m = parsed.data;
  const problems: string[] = [];
  const hosts = Array.isArray(m.host) ? m.host : [m.host];
  // Manifest v5 needs Photoshop 23.3 (UXP 6) or later.
  for (const h of hosts)
    if (!atLeast(h.minVersion, '23.3.0')) problems.push(`host.minVersion: ${h.minVersion} is older than 23.3.0, the first Photoshop with manifest v5`);
  const ids = m.entrypoints.map((entry) => entry.id);
  if (new Set(ids).size !== ids.length) problems.push('entrypoints: ids must be unique');
  for (const entry of m.entrypoints) {
    if (entry.type !== 'panel') continue;
    for (const key of ['preferredDockedSize', 'preferredFloatingSize', 'minimumSize'] as const) {
      if (entry[key].width > entry.maximumSize.width || entry[key].height > entry.maximumSize.height) {
        problems.push(`entrypoints.${entry.id}.${key}: larger than maximumSize`);
      }
    }
    for (const key of ['preferredDockedSize', 'preferredFloatingSize'] as const) {
      if (entry[key].width < entry.minimumSize.width || entry[key].height < entry.minimumSize.height) {
        problems.push(`entrypoints.${entry.id}.${key}: smaller than minimumSize`);
      }
    }
  }
  if (!m.requiredPermissions.network) problems.push('requiredPermissions.network: the panel talks to the Stockroom server and needs its domains');
  if (!m.requiredPermissions.localFileSystem) problems.push('requiredPermissions.localFileSystem: the cache needs file access');
  return problems;
}

/** Every file a manifest points at (main, icons with their @2x variants). */
export function manifestFiles(manifest: Pick<z.infer<typeof manifestV5Schema>, 'main' | 'icons' | 'entrypoints'>): string[] {
  const icons = [...(manifest.icons ?? []), ...manifest.entrypoints.flatMap((entry) => (entry.type === 'panel' ? entry.icons : []))];
  const files = new Set<string>([manifest.main]);
  for (const i of icons) {
    for (const scale of i.scale ?? [1]) files.add(scale === 1 ? i.path : i.path.replace(/\.png$/, `@${scale}x.png`));
  }
  return [...files];
}
