import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanPath, isValidGlob, PatternMatcher } from "./pattern-matcher.js";

/** patternmatcher's TestMatches table: [pattern, path, matches]. */
const MATCHES: readonly [string, string, boolean][] = [
  ["**", "file", true],
  ["**", "file/", true],
  ["**/", "file", true],
  ["**/", "file/", true],
  ["**", "/", true],
  ["**/", "/", true],
  ["**", "dir/file", true],
  ["**/", "dir/file", true],
  ["**", "dir/file/", true],
  ["**/", "dir/file/", true],
  ["**/**", "dir/file", true],
  ["**/**", "dir/file/", true],
  ["dir/**", "dir/file", true],
  ["dir/**", "dir/file/", true],
  ["dir/**", "dir/dir2/file", true],
  ["dir/**", "dir/dir2/file/", true],
  ["**/dir", "dir", true],
  ["**/dir", "dir/file", true],
  ["**/dir2/*", "dir/dir2/file", true],
  ["**/dir2/*", "dir/dir2/file/", true],
  ["**/dir2/**", "dir/dir2/dir3/file", true],
  ["**/dir2/**", "dir/dir2/dir3/file/", true],
  ["**file", "file", true],
  ["**file", "dir/file", true],
  ["**/file", "dir/file", true],
  ["**file", "dir/dir/file", true],
  ["**/file", "dir/dir/file", true],
  ["**/file*", "dir/dir/file", true],
  ["**/file*", "dir/dir/file.txt", true],
  ["**/file*txt", "dir/dir/file.txt", true],
  ["**/file*.txt", "dir/dir/file.txt", true],
  ["**/file*.txt*", "dir/dir/file.txt", true],
  ["**/**/*.txt", "dir/dir/file.txt", true],
  ["**/**/*.txt2", "dir/dir/file.txt", false],
  ["**/*.txt", "file.txt", true],
  ["**/**/*.txt", "file.txt", true],
  ["a**/*.txt", "a/file.txt", true],
  ["a**/*.txt", "a/dir/file.txt", true],
  ["a**/*.txt", "a/dir/dir/file.txt", true],
  ["a/*.txt", "a/dir/file.txt", false],
  ["a/*.txt", "a/file.txt", true],
  ["a/*.txt**", "a/file.txt", true],
  ["a[b-d]e", "ae", false],
  ["a[b-d]e", "ace", true],
  ["a[b-d]e", "aae", false],
  ["a[^b-d]e", "aze", true],
  [".*", ".foo", true],
  [".*", "foo", false],
  ["abc.def", "abcdef", false],
  ["abc.def", "abc.def", true],
  ["abc.def", "abcZdef", false],
  ["abc?def", "abcZdef", true],
  ["abc?def", "abcdef", false],
  ["a\\\\", "a\\", true],
  ["**/foo/bar", "foo/bar", true],
  ["**/foo/bar", "dir/foo/bar", true],
  ["**/foo/bar", "dir/dir2/foo/bar", true],
  ["abc/**", "abc", false],
  ["abc/**", "abc/def", true],
  ["abc/**", "abc/def/ghi", true],
  ["**/.foo", ".foo", true],
  ["**/.foo", "bar.foo", false],
  ["a(b)c/def", "a(b)c/def", true],
  ["a(b)c/def", "a(b)c/xyz", false],
  ["a.|)$(}+{bc", "a.|)$(}+{bc", true],
  [
    "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
    "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
    true,
  ],
  ["dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true],
  ["a\\*b", "a*b", true],
];

/** patternmatcher's multi-pattern cases. */
const MULTI: readonly [string[], string, boolean][] = [
  [["**", "!util/docker/web"], "util/docker/web/foo", false],
  [["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", true],
  [
    ["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"],
    "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
    false,
  ],
  [["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false],
  [["*"], "fileutils.go", true],
  [["*.go"], "fileutils.go", true],
  [["!fileutils.go", "*.go"], "fileutils.go", true],
  [["docs", "!docs/README.md"], "docs/README.md", false],
  [["docs/", "!docs/README.md"], "docs/README.md", false],
  [["docs/*", "!docs/README.md"], "docs/README.md", false],
  [["*.go", "!fileutils.go"], "fileutils.go", false],
  [[], "/any/path/there", false],
  [["*.md", "!README*.md", "README-secret.md"], "README-secret.md", true],
  [["*.md", "!README*.md", "README-secret.md"], "README.md", false],
  [["*.md", "README-secret.md", "!README*.md"], "README-secret.md", false],
  [["docs"], "docs/sub/deep/file.txt", true],
  [["*/temp*"], "somedir/temporary.txt", true],
  [["*/temp*"], "somedir/sub/temporary.txt", false],
  [["temp?"], "tempa", true],
  [["/foo/bar"], "foo/bar", false],
];

/** Go's filepath.Match tests as patternmatcher runs them: [pattern, path, matches] or [pattern, "bad"]. */
const GO_MATCH: readonly ([string, string, boolean] | [string, "bad"])[] = [
  ["abc", "abc", true],
  ["*", "abc", true],
  ["*c", "abc", true],
  ["a*", "a", true],
  ["a*", "abc", true],
  ["a*", "ab/c", true],
  ["a*/b", "abc/b", true],
  ["a*/b", "a/c/b", false],
  ["a*b*c*d*e*/f", "axbxcxdxe/f", true],
  ["a*b*c*d*e*/f", "axbxcxdxexxx/f", true],
  ["a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false],
  ["a*b*c*d*e*/f", "axbxcxdxexxx/fff", false],
  ["a*b?c*x", "abxbbxdbxebxczzx", true],
  ["a*b?c*x", "abxbbxdbxebxczzy", false],
  ["ab[c]", "abc", true],
  ["ab[b-d]", "abc", true],
  ["ab[e-g]", "abc", false],
  ["ab[^c]", "abc", false],
  ["ab[^b-d]", "abc", false],
  ["ab[^e-g]", "abc", true],
  ["a\\*b", "a*b", true],
  ["a\\*b", "ab", false],
  ["a?b", "a☺b", true],
  ["a[^a]b", "a☺b", true],
  ["a???b", "a☺b", false],
  ["a[^a][^a][^a]b", "a☺b", false],
  ["[a-ζ]*", "α", true],
  ["*[a-ζ]", "A", false],
  ["a?b", "a/b", false],
  ["a*b", "a/b", false],
  ["[\\]a]", "]", true],
  ["[\\-]", "-", true],
  ["[x\\-]", "x", true],
  ["[x\\-]", "-", true],
  ["[x\\-]", "z", false],
  ["[\\-x]", "x", true],
  ["[\\-x]", "-", true],
  ["[\\-x]", "a", false],
  ["[]a]", "bad"],
  ["[-]", "bad"],
  ["[x-]", "bad"],
  ["[-x]", "bad"],
  ["\\", "bad"],
  ["[a-b-c]", "bad"],
  ["[", "bad"],
  ["[^", "bad"],
  ["[^bc", "bad"],
  ["a[", "bad"],
  ["*x", "xxx", true],
];

test("PatternMatcher.matches follows patternmatcher's single-pattern table", () => {
  for (const [pattern, path, want] of MATCHES) {
    assert.equal(new PatternMatcher([pattern]).matches(path), want, `${pattern} ~ ${path}`);
  }
});

test("PatternMatcher.matches lets the last matching pattern win", () => {
  for (const [patterns, path, want] of MULTI) {
    assert.equal(new PatternMatcher(patterns).matches(path), want, `${patterns.join(" ")} ~ ${path}`);
  }
});

test("PatternMatcher follows Go's filepath.Match cases and refuses bad patterns", () => {
  for (const c of GO_MATCH) {
    if (c[1] === "bad") {
      assert.throws(() => new PatternMatcher([c[0]]), /syntax error in pattern/, c[0]);
      assert.equal(isValidGlob(c[0]), false, c[0]);
    } else {
      assert.equal(new PatternMatcher([c[0]]).matches(c[1]), c[2], `${c[0]} ~ ${c[1]}`);
    }
  }
  assert.throws(() => new PatternMatcher(["[Local-Only]/"]), /syntax error in pattern/);
});

test("PatternMatcher cleans patterns and refuses a lone !", () => {
  const m = new PatternMatcher(["docs", "  !docs/README.md  ", "", "./a/../b/"]);
  assert.deepEqual(
    m.patterns.map((p) => p.toString()),
    ["docs", "!docs/README.md", "b"],
  );
  assert.equal(m.hasExclusions, true);
  assert.equal(new PatternMatcher(["docs"]).hasExclusions, false);
  assert.throws(() => new PatternMatcher(["!"]), /illegal exclusion pattern: "!"/);
});

test("PatternMatcher.mightMatchBelow tells when an excluded directory must be walked", () => {
  const prefix = new PatternMatcher(["node_modules", "docs", "!docs/api/index.md"]);
  assert.equal(prefix.mightMatchBelow("docs"), true);
  assert.equal(prefix.mightMatchBelow("docs/api"), true);
  assert.equal(prefix.mightMatchBelow("docs/guide"), false);
  assert.equal(prefix.mightMatchBelow("node_modules"), false);
  assert.equal(new PatternMatcher(["vendor"]).mightMatchBelow("vendor"), false);
  assert.equal(new PatternMatcher(["*", "!src/**"]).mightMatchBelow("src"), true);
  assert.equal(new PatternMatcher(["*", "!src/*"]).mightMatchBelow("lib"), false);
  assert.equal(new PatternMatcher(["vendor", "!**/*.go"]).mightMatchBelow("vendor"), true);
});

test("cleanPath cleans like Go's path.Clean", () => {
  const cases: [string, string][] = [
    ["", "."],
    ["a/b/", "a/b"],
    ["./a//b/./c", "a/b/c"],
    ["a/../../b", "../b"],
    ["/../a", "/a"],
    ["/", "/"],
    ["a/..", "."],
  ];
  for (const [input, want] of cases) assert.equal(cleanPath(input), want, input);
});
