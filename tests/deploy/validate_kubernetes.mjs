// Validates Kubernetes manifests without a cluster, three ways:
//  1. schema: each object against the Kubernetes OpenAPI schema, with kubernetes-models'
//     validate() (types, required fields, enums, formats);
//  2. fields: each object as a TypeScript literal of kubernetes-models' type for its kind,
//     type-checked by the TypeScript compiler: an unknown (misspelled) field is an error, as
//     `kubectl apply --validate=strict` makes it;
//  3. what the API server checks beyond the schema, and mistakes it lets through: selectors
//     that match the template, volume mounts naming volumes, Bidirectional propagation only
//     when privileged, $(VAR) only in command/args/env (exec probes and hooks do not expand
//     it) and only of a variable the container defines, a configMap volume naming a
//     ConfigMap of the same files (and its items, keys of it).
// Usage: node validate_kubernetes.mjs MODULES_DIR FILE...   (MODULES_DIR: where
// scripts/install-k8s-validator.sh installed the packages). Exit 0 when every object is
// valid, 1 with one line per problem otherwise.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const [modulesDir, ...files] = process.argv.slice(2);
if (!modulesDir || files.length === 0) {
  console.error("usage: node validate_kubernetes.mjs MODULES_DIR FILE...");
  process.exit(64);
}
const root = path.resolve(modulesDir);
const require = createRequire(path.join(root, "package.json"));
const YAML = require("yaml");
const ts = require("typescript");

let problems = 0;
const problem = (where, message) => {
  problems++;
  console.log(`${where}: ${message}`);
};

// Every object of every file, with where it is.
const objects = [];
for (const file of files) {
  const docs = YAML.parseAllDocuments(readFileSync(file, "utf8"), { prettyErrors: true });
  docs.forEach((doc, index) => {
    for (const e of doc.errors) problem(`${file}: document ${index + 1}`, `YAML: ${e.message}`);
    if (doc.errors.length) return;
    const object = doc.toJS();
    if (object === null || object === undefined) return;
    const name = object?.metadata?.name ?? "(no name)";
    objects.push({ object, where: `${file}: ${object.kind ?? "(no kind)"} ${name}` });
  });
}

// kubernetes-models/GROUP/VERSION/KIND for apiVersion GROUP/VERSION, kubernetes-models/v1/KIND
// for the core group.
function modelPath(object) {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") return null;
  if (!/^[a-z0-9.]+(\/v[a-z0-9]+)?$/.test(object.apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(object.kind))
    return null;
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

// 1. schema.
for (const o of objects) {
  const modulePath = modelPath(o.object);
  let model;
  try {
    model = modulePath && require(modulePath)[o.object.kind];
  } catch {
    model = undefined;
  }
  if (!model) {
    problem(o.where, `unknown apiVersion/kind ${o.object.apiVersion}/${o.object.kind}`);
    continue;
  }
  o.modulePath = modulePath;
  try {
    new model(o.object).validate();
  } catch (e) {
    problem(o.where, `schema: ${String(e.message).replace(/^data\//, "").replace(/, data\//g, ", ")}`);
  }
}

// 2. fields: one TypeScript file, one typed constant per object; each line remembers the
// field it starts, so that a diagnostic names its object and field.
const lines = [];
function write(value, field, key, indent, last) {
  const pad = "  ".repeat(indent);
  // A bare name where it can be: TypeScript's messages then read "did you mean ...".
  const name = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key ?? "") ? key : JSON.stringify(key);
  const head = key === null ? "" : `${name}: `;
  const comma = last ? "" : ",";
  if (Array.isArray(value)) {
    lines.push([`${pad}${head}[`, field]);
    value.forEach((v, i) => write(v, `${field}[${i}]`, null, indent + 1, i === value.length - 1));
    lines.push([`${pad}]${comma}`, field]);
  } else if (value !== null && typeof value === "object") {
    lines.push([`${pad}${head}{`, field]);
    const keys = Object.keys(value);
    keys.forEach((k, i) => write(value[k], field ? `${field}.${k}` : k, k, indent + 1, i === keys.length - 1));
    lines.push([`${pad}}${comma}`, field]);
  } else {
    lines.push([`${pad}${head}${JSON.stringify(value)}${comma}`, field]);
  }
}
const owners = [];  // line number -> object
objects.forEach((o, i) => {
  if (!o.modulePath) return;
  lines.push([`import type { I${o.object.kind} as T${i} } from ${JSON.stringify(o.modulePath)};`, ""]);
  lines.push([`export const object${i}: T${i} =`, ""]);
  const first = lines.length;
  write(o.object, "", null, 1, true);
  lines[lines.length - 1][0] += ";";
  for (let l = first - 2; l < lines.length; l++) owners[l] = o;
});
const source = lines.map(([text]) => text).join("\n") + "\n";
const virtual = path.join(root, "manifest-check.ts");  // never written: the host serves it
const options = {
  strict: true, noEmit: true, skipLibCheck: true, types: [],
  module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2020,
};
const host = ts.createCompilerHost(options);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, version, ...rest) =>
  path.resolve(name) === virtual ? ts.createSourceFile(name, source, version, true) : getSourceFile(name, version, ...rest);
const fileExists = host.fileExists.bind(host);
host.fileExists = (name) => path.resolve(name) === virtual || fileExists(name);
const readFile = host.readFile.bind(host);
host.readFile = (name) => (path.resolve(name) === virtual ? source : readFile(name));
const program = ts.createProgram([virtual], options, host);
for (const d of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
  if (!d.file || path.resolve(d.file.fileName) !== virtual) {
    problem("typescript", message);
    continue;
  }
  const line = d.file.getLineAndCharacterOfPosition(d.start).line;
  const o = owners[line];
  problem(o ? o.where : "typescript", `field ${lines[line][1] || "(top)"}: ${message}`);
}

// 3. what the schema does not say.
const configMaps = new Map(
  objects.filter((o) => o.object.kind === "ConfigMap" && o.object.apiVersion === "v1")
    .map((o) => [`${o.object.metadata?.namespace ?? "default"}/${o.object.metadata?.name}`, o.object]));
const refs = (s) => (typeof s === "string" ? [...s.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)].map((m) => m[1]) : []);

function checkPodSpec(where, namespace, spec) {
  if (!spec || typeof spec !== "object") return;
  const volumes = new Map();
  for (const v of spec.volumes ?? []) {
    if (volumes.has(v.name)) problem(where, `volume ${v.name} is declared twice`);
    volumes.set(v.name, v);
    if (v.configMap) {
      const cm = configMaps.get(`${namespace}/${v.configMap.name}`);
      if (!cm) {
        if (!v.configMap.optional)
          problem(where, `volume ${v.name}: no ConfigMap ${namespace}/${v.configMap.name} in these files`);
      } else {
        for (const item of v.configMap.items ?? [])
          if (!(item.key in (cm.data ?? {})) && !(item.key in (cm.binaryData ?? {})))
            problem(where, `volume ${v.name}: ConfigMap ${v.configMap.name} has no key ${item.key}`);
      }
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const cw = `${where}: container ${c.name}`;
    const env = new Set();
    for (const e of c.env ?? []) {
      if (env.has(e.name)) problem(cw, `env ${e.name} is set twice`);
      for (const r of refs(e.value)) if (!env.has(r)) problem(cw, `env ${e.name}: $(${r}) is not an env var defined before it`);
      env.add(e.name);
    }
    for (const s of [...(c.command ?? []), ...(c.args ?? [])])
      for (const r of refs(s)) if (!env.has(r)) problem(cw, `$(${r}) in command/args: no env var ${r} (it stays as written)`);
    const execs = [
      ["livenessProbe", c.livenessProbe], ["readinessProbe", c.readinessProbe], ["startupProbe", c.startupProbe],
      ["lifecycle.postStart", c.lifecycle?.postStart], ["lifecycle.preStop", c.lifecycle?.preStop],
    ];
    for (const [what, handler] of execs)
      for (const s of handler?.exec?.command ?? [])
        for (const r of refs(s))
          problem(cw, `${what}: $(${r}) is not expanded in an exec command (use a shell and $${r})`);
    const mountPaths = new Set();
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problem(cw, `volumeMount ${m.mountPath}: no volume named ${m.name}`);
      if (mountPaths.has(m.mountPath)) problem(cw, `two volumeMounts at ${m.mountPath}`);
      mountPaths.add(m.mountPath);
      if (m.mountPropagation === "Bidirectional" && c.securityContext?.privileged !== true)
        problem(cw, `volumeMount ${m.mountPath}: Bidirectional propagation needs a privileged container`);
    }
  }
}

for (const o of objects) {
  const { object } = o;
  const namespace = object.metadata?.namespace ?? "default";
  if (object.kind === "Pod") checkPodSpec(o.where, namespace, object.spec);
  const template = object.spec?.template;
  if (template && ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet", "Job"].includes(object.kind)) {
    const labels = template.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(object.spec?.selector?.matchLabels ?? {}))
      if (labels[k] !== v) problem(o.where, `selector ${k}=${v} does not match the template's labels`);
    checkPodSpec(o.where, namespace, template.spec);
  }
}

if (objects.length === 0) problem(files.join(" "), "no object");
console.log(problems === 0 ? `ok: ${objects.length} objects valid` : `${problems} problem${problems === 1 ? "" : "s"}`);
process.exit(problems === 0 ? 0 : 1);
