// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax is under test
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LoadedProject } from "../model.js";
import { type LoadProjectOptions, loadProjectFrom } from "./project-loader.js";
import { renderConfig } from "./render.js";
import { MemorySource } from "./source.js";

function load(files: Record<string, string>, opts: Partial<LoadProjectOptions> = {}): LoadedProject {
  return loadProjectFrom(
    { workingDir: "/work/shop", environment: { HOME: "/home/u" }, ...opts },
    new MemorySource(files),
  );
}

const TUTORIAL = `
name: shop
services:
  app:
    build:
      context: ./app
      args: [VERSION=1]
    ports: ["8080:80"]
    environment:
      - DB_HOST=db
      - DB_PASSWORD=\${DB_PASSWORD:?set DB_PASSWORD in .env}
    depends_on:
      db: {condition: service_healthy}
      cache:
        condition: service_started
    networks: [backend]
  db:
    image: busybox:latest
    command: sh -c "sleep 2; touch /ready; exec sleep 1000"
    healthcheck:
      test: test -f /ready
      interval: 1s
      retries: 30
      start_period: 500ms
    volumes: ["db-data:/var/lib/db"]
    networks: [backend]
  cache:
    image: busybox:latest
    networks: [backend]
volumes:
  db-data: {}
networks:
  backend:
`;

test("loadProjectFrom resolves the tutorial's application", () => {
  const { project, meta } = load({
    "/work/shop/compose.yaml": TUTORIAL,
    "/work/shop/.env": "DB_PASSWORD=s3cret\n",
  });
  assert.equal(project.name, "shop");
  assert.deepEqual(Object.keys(project.services), ["app", "cache", "db"]);
  const app = project.services.app!;
  assert.deepEqual(app.build, {
    context: "/work/shop/app",
    dockerfile: "Dockerfile",
    args: { VERSION: "1" },
  });
  assert.deepEqual(app.ports, [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }]);
  assert.deepEqual(app.environment, { DB_HOST: "db", DB_PASSWORD: "s3cret" });
  assert.deepEqual(app.depends_on, {
    db: { condition: "service_healthy", required: true },
    cache: { condition: "service_started", required: true },
  });
  assert.deepEqual(app.networks, { backend: null });
  const db = project.services.db!;
  assert.deepEqual(db.command, ["sh", "-c", "sleep 2; touch /ready; exec sleep 1000"]);
  assert.deepEqual(db.healthcheck, {
    test: ["CMD-SHELL", "test -f /ready"],
    interval: "1s",
    retries: 30,
    start_period: "500ms",
  });
  assert.deepEqual(db.volumes, [{ type: "volume", source: "db-data", target: "/var/lib/db", volume: {} }]);
  assert.deepEqual(project.networks, { backend: { name: "shop_backend" } });
  assert.deepEqual(project.volumes, { "db-data": { name: "shop_db-data" } });
  assert.equal(meta.workingDir, "/work/shop");
  assert.deepEqual(meta.configFiles, ["/work/shop/compose.yaml"]);
});

test("renderConfig prints Compose's layout in YAML and JSON", () => {
  const { project } = load({ "/work/shop/compose.yaml": TUTORIAL }, { environment: { DB_PASSWORD: "x" } });
  const yaml = renderConfig(project, "yaml");
  assert.match(yaml, /^name: shop\nservices:\n {2}app:\n {4}build:\n {6}context: \/work\/shop\/app\n/);
  assert.match(yaml, /published: "8080"\n/);
  assert.match(
    yaml,
    /\nnetworks:\n {2}backend:\n {4}name: shop_backend\nvolumes:\n {2}db-data:\n {4}name: shop_db-data\n$/,
  );
  assert.ok(yaml.indexOf("  cache:") < yaml.indexOf("  db:"));
  assert.match(yaml, /healthcheck:\n {6}test:\n {8}- CMD-SHELL\n {8}- test -f \/ready\n {6}interval: 1s\n/);
  const json = JSON.parse(renderConfig(project, "json"));
  assert.deepEqual(json.services.cache, { command: null, entrypoint: null, ...project.services.cache });
  assert.deepEqual(json.volumes, project.volumes);
  assert.deepEqual(Object.keys(json), ["name", "services", "networks", "volumes"]);
});

test("loadProjectFrom finds compose files in parent directories with their override", () => {
  const { project, meta } = load(
    {
      "/work/compose.yml": "services:\n  a:\n    image: busybox\n    command: [one]\n",
      "/work/compose.override.yml": "services:\n  a:\n    command: [two]\n",
    },
    { workingDir: "/work/shop/sub" },
  );
  assert.deepEqual(meta.configFiles, ["/work/compose.yml", "/work/compose.override.yml"]);
  assert.deepEqual(project.services.a?.command, ["two"]);
  assert.equal(project.name, "work");
  const elsewhere = load(
    { "/srv/app/compose.yaml": "services: {a: {image: x}}" },
    { projectDirectory: "/srv/app" },
  );
  assert.deepEqual(elsewhere.meta.configFiles, ["/srv/app/compose.yaml"]);
  assert.equal(elsewhere.project.name, "app");
  assert.throws(() => load({}), /no configuration file provided: not found \(looked for compose.yaml/);
  const both = load({
    "/work/shop/compose.yaml": "services: {a: {image: x}}",
    "/work/shop/docker-compose.yml": "services: {b: {image: x}}",
  });
  assert.deepEqual(Object.keys(both.project.services), ["a"]);
  assert.match(both.meta.warnings[0] ?? "", /Found multiple config files/);
});

test("loadProjectFrom merges -f files by the spec's rules", () => {
  const base = `
services:
  web:
    image: busybox
    command: [a, b]
    ports: ["8080:80", "9090:90"]
    environment: {A: "1", B: "2"}
    labels: [x=1]
    dns: [1.1.1.1]
    volumes: ["data:/data", "./logs:/logs"]
    logging: {driver: json-file, options: {max-size: 1m}}
volumes: {data: {}, other: {}}
`;
  const over = `
services:
  web:
    command: [c]
    ports: ["8080:80", "7070:70"]
    environment: {B: "two", C: "3"}
    labels: {y: "2"}
    dns: [8.8.8.8, 1.1.1.1]
    volumes: ["other:/data"]
    logging: {options: {max-file: "3"}}
`;
  const { project } = load(
    { "/work/shop/a.yaml": base, "/work/shop/b.yaml": over },
    { files: ["a.yaml", "b.yaml"] },
  );
  const web = project.services.web!;
  assert.deepEqual(web.command, ["c"]);
  assert.deepEqual(
    web.ports?.map((p) => p.published),
    ["8080", "9090", "7070"],
  );
  assert.deepEqual(web.environment, { A: "1", B: "two", C: "3" });
  assert.deepEqual(web.labels, { x: "1", y: "2" });
  assert.deepEqual(web.dns, ["1.1.1.1", "8.8.8.8"]);
  assert.deepEqual(
    web.volumes?.map((v) => [v.source, v.target]),
    [
      ["other", "/data"],
      ["/work/shop/logs", "/logs"],
    ],
  );
  assert.deepEqual(web.logging, { driver: "json-file", options: { "max-size": "1m", "max-file": "3" } });
});

test("loadProjectFrom honours !reset and !override", () => {
  const { project } = load(
    {
      "/work/shop/a.yaml":
        'services:\n  web:\n    image: busybox\n    ports: ["80:80"]\n    environment: {FOO: bar, KEEP: "1"}\n',
      "/work/shop/b.yaml":
        'services:\n  web:\n    ports: !override ["443:443"]\n    environment:\n      FOO: !reset null\n',
      "/work/shop/c.yaml": "services:\n  web:\n    ports: !reset []\n",
    },
    { files: ["a.yaml", "b.yaml"] },
  );
  assert.deepEqual(
    project.services.web?.ports?.map((p) => p.target),
    [443],
  );
  assert.deepEqual(project.services.web?.environment, { KEEP: "1" });
  const reset = load(
    {
      "/work/shop/a.yaml": 'services:\n  web:\n    image: busybox\n    ports: ["80:80"]\n',
      "/work/shop/c.yaml": "services:\n  web:\n    ports: !reset []\n",
    },
    { files: ["a.yaml", "c.yaml"] },
  );
  assert.equal(reset.project.services.web?.ports, undefined);
});

test("project names follow -p, COMPOSE_PROJECT_NAME, name:, then the directory", () => {
  const files = { "/work/My.Shop_1/compose.yaml": "services: {a: {image: x}}" };
  const cwd = { workingDir: "/work/My.Shop_1" };
  assert.equal(load(files, cwd).project.name, "myshop_1");
  assert.equal(load(files, { ...cwd, projectName: "p1" }).project.name, "p1");
  assert.equal(
    load(files, { ...cwd, environment: { COMPOSE_PROJECT_NAME: "fromenv" } }).project.name,
    "fromenv",
  );
  const named = { "/work/x/compose.yaml": "name: filename\nservices: {a: {image: x}}" };
  assert.equal(load(named, { workingDir: "/work/x" }).project.name, "filename");
  assert.equal(load(named, { workingDir: "/work/x", projectName: "flag" }).project.name, "flag");
  assert.throws(
    () => load(files, { ...cwd, projectName: "Bad Name" }),
    /invalid project name "Bad Name" \(from -p\)/,
  );
  assert.throws(() => load(files, { ...cwd, projectName: "-x" }), /start with a letter or digit/);
});

test("interpolation reads .env and --env-file under the shell environment", () => {
  const files = {
    "/work/shop/compose.yaml":
      "services:\n  a:\n    image: ${IMG}:${TAG:-latest}\n    environment: [X=$$HOME]\n",
    "/work/shop/.env": "IMG=fromdotenv\nTAG=1\n",
    "/work/shop/alt.env": "IMG=fromalt\n",
    "/work/shop/more.env": "TAG=2\n",
  };
  assert.equal(load(files).project.services.a?.image, "fromdotenv:1");
  assert.equal(load(files, { environment: { IMG: "shell" } }).project.services.a?.image, "shell:1");
  assert.equal(load(files, { envFiles: ["alt.env", "more.env"] }).project.services.a?.image, "fromalt:2");
  assert.deepEqual(load(files).project.services.a?.environment, { X: "$HOME" });
  assert.throws(
    () => load(files, { envFiles: ["nope.env"] }),
    /couldn't find env file: \/work\/shop\/nope.env/,
  );
  const w = load({ "/work/shop/compose.yaml": 'services: {a: {image: "busybox$UNSET"}}' });
  assert.match(w.meta.warnings.join("\n"), /The "UNSET" variable is not set/);
});

test("service environments merge env_file, environment and the shell", () => {
  const { project } = load(
    {
      "/work/shop/compose.yaml": `
services:
  a:
    image: busybox
    env_file:
      - app.env
      - path: ./optional.env
        required: false
    environment:
      - FROM_SHELL
      - NOT_SET
      - B=override
`,
      "/work/shop/app.env": "A=1\nB=2\n",
    },
    { environment: { FROM_SHELL: "yes" } },
  );
  assert.deepEqual(project.services.a?.environment, {
    A: "1",
    B: "override",
    FROM_SHELL: "yes",
    NOT_SET: null,
  });
  assert.deepEqual(project.services.a?.env_file, [
    { path: "/work/shop/app.env", required: true },
    { path: "/work/shop/optional.env", required: false },
  ]);
  assert.throws(
    () => load({ "/work/shop/compose.yaml": "services: {a: {image: x, env_file: gone.env}}" }),
    /services\.a\.env_file\[0\]: env file \/work\/shop\/gone.env not found/,
  );
});

test("anchors, aliases and merge keys resolve", () => {
  const { project } = load({
    "/work/shop/compose.yaml": `
x-base: &base
  image: busybox
  restart: unless-stopped
  environment: {A: "1"}
services:
  one:
    <<: *base
    environment: {B: "2"}
  two: *base
`,
  });
  assert.equal(project.services.one?.restart, "unless-stopped");
  assert.deepEqual(project.services.one?.environment, { B: "2" });
  assert.equal(project.services.two?.image, "busybox");
  assert.ok(Object.hasOwn(project, "x-base"));
});

test("extends takes a service from the same file or another one", () => {
  const { project } = load({
    "/work/shop/compose.yaml": `
services:
  base:
    image: busybox
    environment: {A: "1"}
  child:
    extends: base
    environment: {B: "2"}
  remote:
    extends: {file: common/services.yaml, service: web}
    command: [own]
`,
    "/work/shop/common/services.yaml": `
services:
  web:
    build: ./web
    command: [theirs]
    volumes: ["./data:/data"]
`,
  });
  assert.deepEqual(project.services.child?.environment, { A: "1", B: "2" });
  assert.equal(project.services.child?.image, "busybox");
  const remote = project.services.remote!;
  assert.equal(remote.build?.context, "/work/shop/common/web");
  assert.equal(remote.volumes?.[0]?.source, "/work/shop/common/data");
  assert.deepEqual(remote.command, ["own"]);
  assert.throws(
    () =>
      load({
        "/work/shop/compose.yaml": "services:\n  a: {extends: b, image: x}\n  b: {extends: a, image: x}\n",
      }),
    /circular extends: a -> b -> a/,
  );
});

test("include brings in another application with its own directory and .env", () => {
  const { project } = load({
    "/work/shop/compose.yaml":
      "include:\n  - ../db/compose.yaml\nservices:\n  app:\n    image: x\n    depends_on: [db]\n",
    "/work/db/compose.yaml": "services:\n  db:\n    image: ${DB_IMAGE}\n    volumes: [./init:/init]\n",
    "/work/db/.env": "DB_IMAGE=postgres\n",
  });
  assert.equal(project.services.db?.image, "postgres");
  assert.equal(project.services.db?.volumes?.[0]?.source, "/work/db/init");
  assert.throws(
    () =>
      load({
        "/work/shop/compose.yaml": "include: [other.yaml]\nservices:\n  db: {image: mine}\n",
        "/work/shop/other.yaml": "services:\n  db: {image: theirs}\n",
      }),
    /services\.db from \/work\/shop\/other.yaml conflicts/,
  );
});

test("include long syntax, COMPOSE_FILE and ~ in binds", () => {
  const { project } = load(
    {
      "/work/shop/main.yaml": `
include:
  - path: [../lib/base.yaml, ../lib/extra.yaml]
    project_directory: ../lib/root
    env_file: ../lib/vars.env
services:
  app: {image: x, volumes: ["~/cfg:/cfg"]}
`,
      "/work/lib/base.yaml": 'services:\n  db: {image: "${DB_IMAGE}", volumes: [./data:/data]}\n',
      "/work/lib/extra.yaml": 'services:\n  db: {environment: {EXTRA: "1"}}\n',
      "/work/lib/vars.env": "DB_IMAGE=fromvars\n",
    },
    { environment: { HOME: "/home/u", COMPOSE_FILE: "main.yaml" } },
  );
  assert.equal(project.services.db?.image, "fromvars");
  assert.deepEqual(project.services.db?.environment, { EXTRA: "1" });
  assert.equal(project.services.db?.volumes?.[0]?.source, "/work/lib/root/data");
  assert.equal(project.services.app?.volumes?.[0]?.source, "/home/u/cfg");
});

test("profiles enable services by --profile, COMPOSE_PROFILES or by naming them", () => {
  const files = {
    "/work/shop/compose.yaml": `
services:
  app: {image: x}
  debug: {image: x, profiles: [dev], depends_on: [tools]}
  tools: {image: x, profiles: [tools]}
`,
  };
  assert.deepEqual(Object.keys(load(files).project.services), ["app"]);
  assert.deepEqual(Object.keys(load(files).meta.disabledServices), ["debug", "tools"]);
  assert.deepEqual(Object.keys(load(files, { profiles: ["dev", "tools"] }).project.services), [
    "app",
    "debug",
    "tools",
  ]);
  assert.deepEqual(
    Object.keys(load(files, { environment: { COMPOSE_PROFILES: "tools" } }).project.services),
    ["app", "tools"],
  );
  assert.deepEqual(Object.keys(load(files, { services: ["debug"] }).project.services), [
    "app",
    "debug",
    "tools",
  ]);
  assert.throws(
    () => load(files, { profiles: ["dev"] }),
    /depends on service "tools", which is disabled by its profiles \(tools\)/,
  );
});

test("normalisation: default network, scale, bytes, stdin", () => {
  const { project } = load(
    {
      "-": `
services:
  a:
    image: x
    scale: 2
    deploy: {resources: {limits: {memory: 1g, cpus: "1.5", pids: 100}}}
    stop_grace_period: 90s
    tmpfs: /run
    network_mode: host
  b: {image: x, labels: {n: 1}, extra_hosts: ["db:10.0.0.2", "api=::1"]}
  c: {image: x, network_mode: "service:b", volumes_from: ["b:ro", "container:other"]}
`,
    },
    { files: ["-"] },
  );
  assert.equal(project.services.a?.scale, 2);
  assert.equal(project.services.a?.deploy?.replicas, 2);
  assert.deepEqual(project.services.a?.deploy?.resources?.limits, {
    memory: "1073741824",
    cpus: 1.5,
    pids: 100,
  });
  assert.equal(project.services.a?.stop_grace_period, "1m30s");
  assert.deepEqual(project.services.a?.tmpfs, ["/run"]);
  assert.equal(project.services.a?.networks, undefined);
  assert.deepEqual(project.services.b?.networks, { default: null });
  assert.deepEqual(project.services.b?.labels, { n: "1" });
  assert.deepEqual(project.services.b?.extra_hosts, ["api=::1", "db=10.0.0.2"]);
  assert.deepEqual(project.services.c?.depends_on, {
    b: { condition: "service_started", restart: true, required: true },
  });
  assert.doesNotMatch(renderConfig(project, "yaml"), /scale:/);
  assert.match(renderConfig(project, "yaml"), /deploy:\n {6}replicas: 2\n/);
  assert.deepEqual(project.networks, { default: { name: "shop_default" } });
});

function fails(yaml: string, pattern: RegExp, opts: Partial<LoadProjectOptions> = {}) {
  assert.throws(() => load({ "/work/shop/compose.yaml": yaml }, opts), pattern);
}

test("bad input: invalid YAML names the file, line and column", () => {
  fails(
    "services:\n  a:\n    image: x\n   ports: [80\n",
    /^BerthError: \/work\/shop\/compose.yaml:4:\d+: invalid YAML: /,
  );
  fails(
    "services:\n  a: {image: x}\n  a: {image: y}\n",
    /compose.yaml:3:3: invalid YAML: Map keys must be unique/,
  );
  fails("- just\n- a list\n", /compose.yaml: the top level must be a mapping/);
});

test("bad input: schema violations name the file, position and path", () => {
  fails(
    "services:\n  web:\n    imgae: x\n",
    /compose.yaml:3:5: services.web: additional property "imgae" is not allowed/,
  );
  fails(
    "services:\n  web:\n    image: x\n    ports: [80, {target: 1, bogus: 2}]\n",
    /services.web.ports\[1\]: additional property "bogus"/,
  );
  fails(
    "services:\n  web:\n    image: x\n    depends_on: {db: {condition: started}}\n  db: {image: x}\n",
    /services.web.depends_on.db.condition: "started" must be one of: service_started/,
  );
  fails(
    "services:\n  web: {image: x, deploy: {replicas: many}}\n",
    /services.web.deploy.replicas: "many" is not an integer/,
  );
  fails("services:\n  web: {image: [x]}\n", /services.web.image: must be a string, not a list/);
  fails(
    'services:\n  web:\n    image: x\n    ports: ["80:80", "99999"]\n',
    /compose.yaml:4:\d+: services.web.ports\[1\]: invalid port "99999": container port 99999 is out of range/,
  );
  fails(
    "services:\n  web: {image: x, stop_grace_period: soon}\n",
    /services.web.stop_grace_period: "soon" is not a duration/,
  );
});

test("bad input: references, cycles and required variables", () => {
  fails(
    "services:\n  a: {image: x, depends_on: [dbb]}\n",
    /services.a.depends_on.dbb: service "a" depends on undefined service "dbb"/,
  );
  fails(
    "services:\n  a:\n    image: x\n    depends_on:\n      dbb: {condition: service_healthy}\n",
    /compose.yaml:5:7: services.a.depends_on.dbb: service "a" depends on undefined service "dbb"/,
  );
  fails(
    "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c: {image: x, depends_on: [a]}\n",
    /dependency cycle detected: a -> b -> c -> a/,
  );
  fails(
    "services:\n  a:\n    image: ${IMG:?set IMG to the image to run}\n",
    /compose.yaml:3:5: services.a.image: required variable IMG is missing a value: set IMG to the image to run/,
  );
  fails("services:\n  a: {image: x, networks: [front]}\n", /service "a" refers to undefined network "front"/);
  fails(
    'services:\n  a: {image: x, volumes: ["data:/d"]}\n',
    /service "a" refers to undefined volume "data"/,
  );
  fails(
    "services:\n  a: {image: x, container_name: one, scale: 2}\n",
    /container_name "one" cannot be used with scale 2/,
  );
  fails(
    "services:\n  a: {build: {dockerfile: D}, image: ''}\n  b: {restart: always}\n",
    /service "b" has neither an image nor a build context/,
  );
  fails(
    "services:\n  a: {image: x, scale: 2, deploy: {replicas: 3}}\n",
    /scale \(2\) and deploy.replicas \(3\) disagree/,
  );
  // An optional dependency on a missing service is dropped with a warning.
  const optional = load({
    "/work/shop/compose.yaml":
      "services:\n  a: {image: x, depends_on: {z: {condition: service_started, required: false}}}\n",
  });
  assert.equal(optional.project.services.a?.depends_on, undefined);
  assert.match(optional.meta.warnings.join("\n"), /optional dependency "z" is not defined; ignored/);
});
