// deploy/Dockerfile, checked without docker (not installed where the tests run): parsed with
// dockerfile-ast and validated with dockerfile-utils (the parser and linter behind the
// Dockerfile language server), then held against the compose file, the Kubernetes
// manifests, the server bundle and a real server for its HEALTHCHECK.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BUNDLE } from '../../scripts/build-server.ts';
import { loadConfig } from '../../src/config.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const ROOT = path.join(import.meta.dirname, '..', '..', '..');
const DEPLOY = path.join(ROOT, 'deploy');
const text = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
/** The instructions of the last stage: what the image is. */
const final = instructions.filter((i) => i.getRange().start.line > froms.at(-1)!.getRange().start.line);
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
/** A JSON-form instruction (ENTRYPOINT, HEALTHCHECK CMD) as its array. */
const execForm = (i: Instruction, after = '') => JSON.parse(i.getArgumentsContent()!.slice(after.length).trim()) as string[];
const uidOf = (user: string) => Number(user.split(':')[0]);

describe('deploy/Dockerfile', () => {
  it('is a valid Dockerfile', () => {
    const problems = validate(text).filter((d) => d.severity === 1);
    expect(problems.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in stages and ships only the runtime stage, from a Node LTS image newer than the supported floor', () => {
    expect(froms.map((f) => f.getBuildStage())).toEqual(['base', 'build', 'runtime']);
    const copies = dockerfile.getCOPYs().filter((c) => final.includes(c));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.getFlags().map((f) => `${f.getName()}=${f.getValue()}`)).toContain('from=build');
    // The build stage installs dev dependencies and builds; the runtime stage builds nothing.
    expect(final.some((i) => i.getKeyword() === 'RUN' && /pnpm install|build/.test(i.getArgumentsContent()!))).toBe(false);
    const build = instructions.filter(
      (i) => i.getRange().start.line > froms[1]!.getRange().start.line && i.getRange().start.line < froms[2]!.getRange().start.line,
    );
    const steps = build
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent()!)
      .join('\n');
    expect(steps).toContain('pnpm install --frozen-lockfile');
    expect(steps).toContain('build-server.ts');
    expect(steps).toMatch(/pnpm install --frozen-lockfile --prod/);

    const arg = dockerfile.getARGs().find((a) => a.getProperty()?.getName() === 'NODE_IMAGE')!;
    const image = arg.getProperty()!.getValue()!;
    expect(froms[0]!.getImage()).toBe(`\${NODE_IMAGE}`); // the image comes from the ARG above
    const [name, tag] = image.split(':') as [string, string];
    expect(name).toBe('node');
    const major = Number(tag.split('-')[0]);
    // Node's long-term-support lines are the even majors; the supported floor is package.json's engines.
    const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const floor = Number(/(\d+)/.exec(engines)![1]);
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThan(floor);
    expect(readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim()).toBe(String(floor));
  });

  it('runs as a numeric non-root user, with a HEALTHCHECK on /healthz and the built server as entry point', () => {
    const users = final.filter((i) => i.getKeyword() === 'USER');
    expect(users).toHaveLength(1);
    const user = args(users[0]!)[0]!;
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(uidOf(user)).toBeGreaterThan(0);
    // Nothing after USER switches back.
    expect(final.slice(final.indexOf(users[0]!)).filter((i) => i.getKeyword() === 'RUN')).toEqual([]);

    const checks = dockerfile.getHEALTHCHECKs();
    expect(checks).toHaveLength(1);
    expect(checks[0]!.getSubcommand()?.getValue()).toBe('CMD');
    expect(checks[0]!.getArgumentsContent()).toContain('/healthz');

    const entry = execForm(dockerfile.getENTRYPOINTs().at(-1)!);
    const workdir = args(instructions.filter((i) => i.getKeyword() === 'WORKDIR').at(-1)!)[0]!;
    expect(entry[0]).toBe('node');
    expect(path.posix.join(workdir, entry[1]!)).toBe(path.posix.join(workdir, path.relative(ROOT, SERVER_BUNDLE).split(path.sep).join('/')));

    const env = Object.fromEntries(dockerfile.getENVs().flatMap((e) => e.getProperties().map((p) => [p.getName(), p.getValue()])));
    expect(args(final.find((i) => i.getKeyword() === 'EXPOSE')!)).toEqual([env.PORT]);
    expect(String(loadConfig({ STOCKROOM_DATA_DIR: '/tmp/x', PORT: env.PORT! }).port)).toBe(env.PORT);
  });

  it('has a .dockerignore at the build context that keeps installs, builds, data and secrets out', () => {
    const compose = parse(readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: { context: string; dockerfile: string }; image?: string }>;
    };
    const build = compose.services.api!.build!;
    const context = path.resolve(DEPLOY, build.context);
    expect(path.resolve(context, build.dockerfile)).toBe(path.join(DEPLOY, 'Dockerfile'));
    const ignore = readFileSync(path.join(context, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', 'data', 'prisma/generated', '**/.env']));
    // What the build copies and runs is not ignored.
    for (const needed of ['pnpm-lock.yaml', 'bridge-server', 'prisma', 'shared-types']) {
      expect(existsSync(path.join(context, needed))).toBe(true);
      expect(ignore).not.toContain(needed);
    }
  });

  it('is the image the compose file builds and the Kubernetes manifests run, with the same user', () => {
    const compose = parse(readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: object; image?: string }>;
    };
    const built = compose.services.api!.image;
    expect(built).toBeTruthy();
    expect(compose.services.worker!.image).toBe(built);
    expect(compose.services.worker!.build).toEqual(compose.services.api!.build);
    const user = uidOf(args(final.find((i) => i.getKeyword() === 'USER')!)[0]!);
    for (const file of ['api.yaml', 'worker.yaml']) {
      const deployment = parseAllDocuments(readFileSync(path.join(DEPLOY, 'kubernetes', file), 'utf8'))
        .map((d) => d.toJS() as { kind: string; spec: any })
        .find((d) => d.kind === 'Deployment')!;
      const pod = deployment.spec.template.spec;
      expect(pod.containers.map((c: { image: string }) => c.image)).toEqual([built]);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: user, fsGroup: expect.any(Number) });
    }
  });
});

describe('the HEALTHCHECK command', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('passes against a running server and fails when nothing answers', async () => {
    const command = execForm(dockerfile.getHEALTHCHECKs()[0]!, 'CMD');
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    const run = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, command.slice(1), { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    const closed = '1'; // nothing listens on port 1
    expect(await run({ PORT: String(server.port), WORKER_HTTP_PORT: closed })).toBe(0);
    expect(await run({ PORT: closed, WORKER_HTTP_PORT: closed })).toBe(1);
  });
});
