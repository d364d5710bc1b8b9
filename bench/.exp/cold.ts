import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { deployedBuildOptions } from '../handlers';
const BASE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`;
const variants: Record<string, string> = JSON.parse(process.argv[2]!);
const dir = mkdtempSync(join(tmpdir(), 'exp-'));
const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const files: Record<string, string> = {};
for (const [name, extra] of Object.entries({ bare: '', ...variants })) {
  const entry = resolve(import.meta.dirname, `entry-${name}.ts`);
  writeFileSync(entry, BASE + extra + `\nexport const handler = async (e: any) => db.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));\n`);
  const out = join(dir, name, 'index.mjs');
  await build(deployedBuildOptions(entry, out));
  files[name] = out;
}
const runs = Number(process.env.RUNS ?? 9);
const cpu: Record<string, number[]> = {};
for (let i = 0; i < runs; i++) for (const [name, file] of Object.entries(files)) {
  const code = `const c=process.cpuUsage();await import(${JSON.stringify(pathToFileURL(file).href)});const u=process.cpuUsage(c);console.log((u.user+u.system)/1000);process.exit(0)`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env });
  if (r.status) throw new Error(r.stderr);
  (cpu[name] ??= []).push(Number(r.stdout.trim()));
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const [name, v] of Object.entries(cpu)) console.log(name.padEnd(12), (statSync(files[name]!).size / 1024).toFixed(0).padStart(5), 'KB', med(v).toFixed(1), 'ms', (med(v) / med(cpu.bare!)).toFixed(2));
