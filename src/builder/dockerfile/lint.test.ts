import assert from "node:assert/strict";
import { test } from "node:test";
import { DockerfileError } from "./errors.js";
import type { LintOptions } from "./lint.js";
import { lintDockerfile } from "./lint.js";

/** The findings as "Code@line". */
function codes(text: string, options?: LintOptions): string[] {
  return lintDockerfile(text, options).warnings.map((w) => `${w.code}@${w.line}`);
}

/** A final stage that passes every check, appended to snippets that test one rule. */
const OK_TAIL = "USER app\n";

test("lintDockerfile accepts a well-written Dockerfile", () => {
  const text = `# syntax=docker/dockerfile:1
FROM node:20 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
USER node
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/server.js"]
`;
  assert.deepEqual(codes(text), []);
});

test("lintDockerfile flags COPY . . before a dependency install", () => {
  const cases: [string, string][] = [
    ["RUN npm install", "package.json package-lock.json"],
    ["RUN npm ci --omit=dev", "package.json package-lock.json"],
    ["RUN yarn", "package.json yarn.lock"],
    ["RUN yarn install --frozen-lockfile", "package.json yarn.lock"],
    ["RUN pip install --no-cache-dir -r requirements.txt", "requirements.txt"],
    ["RUN go mod download", "go.mod go.sum"],
    ["RUN bundle install", "Gemfile Gemfile.lock"],
    ["RUN composer install --no-dev", "composer.json composer.lock"],
  ];
  for (const [run, manifests] of cases) {
    const r = lintDockerfile(`FROM base\nWORKDIR /app\nCOPY . .\n${run}\n${OK_TAIL}`);
    assert.deepEqual(
      r.warnings.map((w) => `${w.code}@${w.line}`),
      ["CopyAllBeforeDependencyInstall@3"],
      run,
    );
    assert.match(
      r.warnings[0]!.message,
      /^'COPY \. \.' copies the whole build context before the dependency install on line 4/,
    );
    assert.ok(r.warnings[0]!.fix.includes(`COPY ${manifests} ./`), r.warnings[0]!.fix);
  }
  assert.deepEqual(codes(`FROM base\nWORKDIR /app\nADD . /app\nRUN npm ci\n${OK_TAIL}`), [
    "CopyAllBeforeDependencyInstall@3",
  ]);
  assert.deepEqual(codes(`FROM base\nWORKDIR /app\nCOPY . .\nRUN yarn build\n${OK_TAIL}`), []);
  assert.deepEqual(codes(`FROM base\nWORKDIR /app\nCOPY --from=x . .\nRUN npm ci\n${OK_TAIL}`), []);
});

test("lintDockerfile flags secrets in ARG and ENV names like Docker", () => {
  const text = `ARG GITHUB_TOKEN\nFROM base\nARG API_KEY PUBLIC_KEY AWS_SECRET_ACCESS_KEY KEYBOARD\nENV DB_PASSWORD=x PASSWD=y NPM_AUTH=z KEY_FILE=k\n${OK_TAIL}`;
  const r = lintDockerfile(text);
  assert.deepEqual(
    r.warnings.map((w) => w.message),
    [
      'Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")',
      'Do not use ARG or ENV instructions for sensitive data (ARG "API_KEY")',
      'Do not use ARG or ENV instructions for sensitive data (ARG "AWS_SECRET_ACCESS_KEY")',
      'Do not use ARG or ENV instructions for sensitive data (ENV "DB_PASSWORD")',
      'Do not use ARG or ENV instructions for sensitive data (ENV "PASSWD")',
      'Do not use ARG or ENV instructions for sensitive data (ENV "NPM_AUTH")',
    ],
  );
  assert.equal(r.warnings[0]!.url, "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/");
});

test("lintDockerfile flags apt-get install without removing the lists", () => {
  assert.deepEqual(codes(`FROM debian\nRUN apt-get update && apt-get install -y curl\n${OK_TAIL}`), [
    "AptListsNotRemoved@2",
  ]);
  assert.deepEqual(
    codes(`FROM debian\nRUN apt-get -qq install curl && rm -rf /var/lib/apt/lists/*\n${OK_TAIL}`),
    [],
  );
  assert.deepEqual(
    codes(
      `FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get install -y curl\n${OK_TAIL}`,
    ),
    [],
  );
  assert.deepEqual(
    codes(`FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n${OK_TAIL}`),
    ["AptListsNotRemoved@2"],
  );
});

test("lintDockerfile flags a final stage that runs as root", () => {
  const r = lintDockerfile('FROM alpine AS build\nUSER app\nFROM alpine\nCMD ["app"]\n');
  assert.deepEqual(
    r.warnings.map((w) => [w.code, w.line, w.message]),
    [
      [
        "RootUserInFinalStage",
        3,
        "The final stage sets no USER: the container runs as root unless the base image alpine sets a user",
      ],
    ],
  );
  assert.deepEqual(codes("FROM alpine AS base\nUSER app\nFROM base\n"), []);
  assert.deepEqual(codes("FROM alpine\nUSER app\nUSER root\n"), ["RootUserInFinalStage@1"]);
  assert.deepEqual(codes("FROM alpine AS a\nFROM alpine AS b\nUSER b\n", { target: "b" }), []);
  assert.deepEqual(codes("FROM alpine AS a\nFROM alpine AS b\nUSER b\n", { target: "a" }), [
    "RootUserInFinalStage@1",
  ]);
});

test("lintDockerfile recommends JSON arguments for CMD and ENTRYPOINT", () => {
  const r = lintDockerfile(`FROM a\n${OK_TAIL}ENTRYPOINT node server.js\nCMD serve --port 80\n`);
  assert.deepEqual(
    r.warnings.map((w) => `${w.code}@${w.line}: ${w.message}`),
    [
      "JSONArgsRecommended@3: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals",
      "JSONArgsRecommended@4: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    ],
  );
  assert.deepEqual(codes(`FROM a\n${OK_TAIL}SHELL ["/bin/bash", "-c"]\nENTRYPOINT node server.js\n`), []);
});

test("lintDockerfile runs Docker's casing and stage-name checks", () => {
  assert.deepEqual(codes(`FROM a as build\n${OK_TAIL}`), ["FromAsCasing@1"]);
  assert.deepEqual(codes(`from a AS build\nuser app\n`), ["FromAsCasing@1"]);
  assert.deepEqual(codes(`FROM a AS Build\n${OK_TAIL}`), ["StageNameCasing@1"]);
  assert.deepEqual(codes(`FROM a AS x\nFROM b AS x\n${OK_TAIL}`), ["DuplicateStageName@2"]);
  assert.deepEqual(codes(`FROM a AS scratch\n${OK_TAIL}`), ["ReservedStageName@1"]);
  assert.deepEqual(codes(`FROM a\nrun x\nRUN y\n${OK_TAIL}`), ["ConsistentInstructionCasing@2"]);
  const msg = lintDockerfile(`FROM a as build\n${OK_TAIL}`).warnings[0]!.message;
  assert.equal(msg, "'as' and 'FROM' keywords' casing do not match");
});

test("lintDockerfile flags MAINTAINER, legacy key/value and repeated CMD", () => {
  assert.deepEqual(codes(`FROM a\nMAINTAINER me\nENV A 1\nLABEL b c\nCMD ["a"]\nCMD ["b"]\n${OK_TAIL}`), [
    "MaintainerDeprecated@2",
    "LegacyKeyValueFormat@3",
    "LegacyKeyValueFormat@4",
    "MultipleInstructionsDisallowed@5",
  ]);
});

test("lintDockerfile flags relative WORKDIR before any absolute one", () => {
  assert.deepEqual(codes(`FROM a\nWORKDIR app\nWORKDIR src\n${OK_TAIL}`), ["WorkdirRelativePath@2"]);
  assert.deepEqual(codes(`FROM a AS base\nWORKDIR /app\nFROM base\nWORKDIR src\n${OK_TAIL}`), []);
  assert.deepEqual(codes(`FROM a\nWORKDIR $HOME/app\n${OK_TAIL}`), []);
});

test("lintDockerfile flags obviously undefined variables", () => {
  const r = lintDockerfile(
    `FROM scratch\nARG VERSION\nENV APP=/app\nCOPY $SRC $APP/\nENV PATH=$PAHT:/x\nWORKDIR $APP/$VERSION\nRUN echo $NOT_CHECKED\n${OK_TAIL}`,
  );
  assert.deepEqual(
    r.warnings.map((w) => `${w.code}@${w.line}: ${w.message}`),
    [
      "UndefinedVar@4: Usage of undefined variable '$SRC'",
      "UndefinedVar@5: Usage of undefined variable '$PAHT' (did you mean $PATH?)",
    ],
  );
  assert.deepEqual(codes(`FROM python\nWORKDIR /app\nENV V=$PYTHON_VERSION H=$HOME\n${OK_TAIL}`), []);
  assert.deepEqual(codes(`FROM python\nENV V=$PYTHON_VERSION\n${OK_TAIL}`, { imageEnv: () => ["LANG=C"] }), [
    "UndefinedVar@2",
  ]);
  assert.deepEqual(codes(`FROM base AS b\nENV X=1\nFROM b\nCOPY $X /x\n${OK_TAIL}`), []);
});

test("lintDockerfile checks ARGs used in FROM", () => {
  const r = lintDockerfile(`ARG VERSION=1\nFROM alpine:$VERSON\n${OK_TAIL}`);
  assert.deepEqual(
    r.warnings.map((w) => w.message),
    ["FROM argument 'VERSON' is not declared (did you mean VERSION?)"],
  );
  assert.deepEqual(codes(`FROM --platform=$TARGETPLATFORM a\n${OK_TAIL}`), ["RedundantTargetPlatform@1"]);
  assert.deepEqual(codes(`FROM --platform=$BUILDPLATFORM a\n${OK_TAIL}`), []);
});

test("lintDockerfile reports empty continuation lines", () => {
  assert.deepEqual(codes(`FROM a\nRUN a \\\n\n b\n${OK_TAIL}`), ["NoEmptyContinuation@4"]);
});

test("lintDockerfile honours # check=skip and error=true", () => {
  const text = "FROM a as b\nENV TOKEN=x\n";
  assert.deepEqual(codes(`# check=skip=FromAsCasing,RootUserInFinalStage\n${text}`), [
    "SecretsUsedInArgOrEnv@3",
  ]);
  assert.deepEqual(codes(`# check=skip=all\n${text}`), []);
  assert.deepEqual(codes(text, { check: "skip=all" }), []);
  assert.deepEqual(
    codes(`FROM a\n# check=skip=SecretsUsedInArgOrEnv\nENV TOKEN=x\nENV SECRET=y\n${OK_TAIL}`),
    ["SecretsUsedInArgOrEnv@4"],
  );
  const r = lintDockerfile(`# check=error=true\n${text}`);
  assert.equal(r.warnings.length, 3);
  assert.equal(
    r.error?.message,
    "lint violation found for rules: FromAsCasing, RootUserInFinalStage, SecretsUsedInArgOrEnv",
  );
  assert.equal(lintDockerfile(`# check=error=true\nFROM a\n${OK_TAIL}`).error, undefined);
  assert.throws(() => lintDockerfile(`# check=bogus=1\nFROM a\n`), /invalid check option "bogus"/);
});

test("lintDockerfile gives every finding a location and a fix", () => {
  const r = lintDockerfile("FROM a\n  MAINTAINER me\n");
  for (const w of r.warnings) {
    assert.ok(w.line > 0 && (w.column ?? 1) > 0);
    assert.ok(w.fix.length > 0);
  }
  assert.equal(r.warnings.find((w) => w.code === "MaintainerDeprecated")?.column, 3);
});

test("lintDockerfile throws located syntax errors", () => {
  assert.throws(() => lintDockerfile("FROM a\nCOPY x\n", { file: "ci/Dockerfile" }), DockerfileError);
});
