/**
 * The parser of Go's text/template (text/template/parse/parse.go and node.go) for the language
 * docker --format users write: text, actions, pipelines, variables, if/else if/else, range
 * (with else, break, continue), with, comments, literals. define/template/block are rejected.
 * Error texts are Go's: `template: :1: unexpected "}" in operand`. (pure)
 */

import { invalidArgument } from "../../lib/errors.js";
import { goQuote, goUnquote, goUnquoteChar, parseGoFloat, parseGoIntBig } from "../go-strconv.js";
import { type Item, type ItemType, itemString, lex } from "./_template-lex.js";
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ControlNode,
  EndNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  VariableNode,
} from "./_template-nodes.js";
import { isEnd, nodeString } from "./_template-nodes.js";

export interface ParseOptions {
  /** Template name, as it appears in errors ("" for docker's). */
  name: string;
  /** Whether a function of this name exists (parse fails on unknown functions, as Go's does). */
  hasFunction(name: string): boolean;
}

const OPERAND_START: ReadonlySet<ItemType> = new Set<ItemType>([
  "bool",
  "charConstant",
  "complex",
  "dot",
  "field",
  "identifier",
  "number",
  "nil",
  "rawString",
  "string",
  "variable",
  "leftParen",
]);

class Parser {
  readonly #items: Item[];
  #next = 0;
  readonly #token: Item[] = [];
  #peekCount = 0;
  #vars: string[] = ["$"];
  #rangeDepth = 0;
  #actionLine = 0;
  readonly #opts: ParseOptions;

  constructor(items: Item[], opts: ParseOptions) {
    this.#items = items;
    this.#opts = opts;
  }

  #lexNext(): Item {
    const item = this.#items[Math.min(this.#next, this.#items.length - 1)]!;
    this.#next++;
    return item;
  }

  next(): Item {
    if (this.#peekCount > 0) this.#peekCount--;
    else this.#token[0] = this.#lexNext();
    return this.#token[this.#peekCount]!;
  }

  backup(): void {
    this.#peekCount++;
  }

  backup2(t1: Item): void {
    this.#token[1] = t1;
    this.#peekCount = 2;
  }

  backup3(t2: Item, t1: Item): void {
    this.#token[1] = t1;
    this.#token[2] = t2;
    this.#peekCount = 3;
  }

  peek(): Item {
    if (this.#peekCount > 0) return this.#token[this.#peekCount - 1]!;
    this.#peekCount = 1;
    this.#token[0] = this.#lexNext();
    return this.#token[0];
  }

  nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.type !== "space") return t;
    }
  }

  peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  errorf(message: string): never {
    const line = this.#token[0]?.line ?? 1;
    throw invalidArgument(`template: ${this.#opts.name}:${line}: ${message}`);
  }

  expect(type: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  unexpected(t: Item, context: string): never {
    if (t.type === "error") {
      let extra = "";
      if (this.#actionLine !== 0 && this.#actionLine !== t.line) {
        extra = ` in action started at ${this.#opts.name}:${this.#actionLine}`;
        if (t.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${t.val}${extra}`);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  parse(): ListNode {
    const root: ListNode = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        const delim = this.next();
        const t = this.nextNonSpace();
        if (t.type === "define") this.errorf("{{define}} is not supported");
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (isEnd(n)) this.errorf(`unexpected {{${n.type}}}`);
      root.nodes.push(n);
    }
    return root;
  }

  itemList(): [ListNode, EndNode] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (isEnd(n)) return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): Node | EndNode {
    const t = this.nextNonSpace();
    if (t.type === "text") return { type: "text", pos: t.pos, text: t.val };
    if (t.type === "leftDelim") {
      this.#actionLine = t.line;
      try {
        return this.action();
      } finally {
        this.#actionLine = 0;
      }
    }
    this.unexpected(t, "input");
  }

  action(): Node | EndNode {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "block":
      case "template":
      case "define":
        this.errorf(`{{${t.type}}} is not supported`);
        break;
      case "break":
      case "continue":
        return this.branchControl(t);
      case "else":
        return this.elseControl();
      case "end":
        return { type: "end", pos: this.expect("rightDelim", "end").pos, line: t.line };
      case "if":
      case "range":
      case "with":
        return this.control(t.type);
    }
    this.backup();
    const tok = this.peek();
    return { type: "action", pos: tok.pos, line: tok.line, pipe: this.pipeline("command", "rightDelim") };
  }

  branchControl(t: Item): BranchNode {
    const type = t.type === "break" ? "break" : "continue";
    const tok = this.nextNonSpace();
    if (tok.type !== "rightDelim") this.unexpected(tok, `{{${type}}}`);
    if (this.#rangeDepth === 0) this.errorf(`{{${type}}} outside {{range}}`);
    return { type, pos: t.pos, line: t.line };
  }

  elseControl(): EndNode {
    const p = this.peekNonSpace();
    if (p.type === "if") return { type: "else", pos: p.pos, line: p.line };
    const t = this.expect("rightDelim", "else");
    return { type: "else", pos: t.pos, line: t.line };
  }

  control(context: "if" | "range" | "with"): ControlNode {
    const mark = this.#vars.length;
    try {
      const pipe = this.pipeline(context, "rightDelim");
      if (context === "range") this.#rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (context === "range") this.#rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === "else") {
        if (context === "if" && this.peek().type === "if") {
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.control("if")] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== "end") this.errorf(`expected end; found {{${next.type}}}`);
        }
      }
      const node: ControlNode = { type: context, pos: pipe.pos, line: pipe.line, pipe, list };
      if (elseList) node.elseList = elseList;
      return node;
    } finally {
      this.#vars.length = mark;
    }
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = {
      type: "pipe",
      pos: start.pos,
      line: start.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    this.declarations(pipe, context);
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!OPERAND_START.has(t.type)) this.unexpected(t, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== "variable") return;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign";
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: [v.val] });
        this.#vars.push(v.val);
        return;
      }
      if (next.type === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: [v.val] });
        this.#vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      if (tokenAfterVariable.type === "space") this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      return;
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === "space") continue;
      if (t.type === "rightDelim" || t.type === "rightParen") this.backup();
      else if (t.type !== "pipe") this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  operand(): ArgNode | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().type === "field") {
      const fields: string[] = [];
      const pos = this.peek().pos;
      while (this.peek().type === "field") fields.push(this.next().val.slice(1));
      switch (node.type) {
        case "field":
          node = { type: "field", pos, ident: [...node.ident, ...fields] };
          break;
        case "variable":
          node = { type: "variable", pos, ident: [...node.ident, ...fields] };
          break;
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = { type: "chain", pos, node, fields };
      }
    }
    return node;
  }

  term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case "identifier":
        if (!this.#opts.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`);
        return { type: "identifier", pos: t.pos, name: t.val };
      case "dot":
        return { type: "dot", pos: t.pos };
      case "nil":
        return { type: "nil", pos: t.pos };
      case "variable":
        return this.useVar(t);
      case "field":
        return { type: "field", pos: t.pos, ident: [t.val.slice(1)] };
      case "bool":
        return { type: "bool", pos: t.pos, value: t.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return this.number(t);
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString": {
        const text = goUnquote(t.val);
        if (text === undefined) this.errorf("invalid syntax");
        return { type: "string", pos: t.pos, quoted: t.val, text };
      }
    }
    this.backup();
    return undefined;
  }

  useVar(t: Item): VariableNode {
    const ident = t.val.split(".");
    const name = ident[0] ?? "";
    if (!this.#vars.includes(name)) this.errorf(`undefined variable ${goQuote(name)}`);
    return { type: "variable", pos: t.pos, ident };
  }

  number(t: Item): NumberNode {
    const base = { type: "number" as const, pos: t.pos, text: t.val };
    if (t.type === "charConstant") {
      const r = goUnquoteChar(t.val, 1, "'");
      if (r === undefined) this.errorf("invalid syntax");
      if (t.val.slice(r[1]) !== "'") this.errorf(`malformed character constant: ${t.val}`);
      return { ...base, value: r[0].codePointAt(0) ?? 0, isInt: true, isFloatSyntax: false };
    }
    if (t.type === "complex" || t.val.endsWith("i"))
      this.errorf(`complex numbers are not supported: ${t.val}`);
    let asInt: bigint | undefined;
    try {
      asInt = parseGoIntBig(t.val);
    } catch {
      asInt = undefined;
    }
    if (asInt !== undefined) return { ...base, value: Number(asInt), isInt: true, isFloatSyntax: false };
    let f: number | undefined;
    try {
      f = parseGoFloat(t.val.replaceAll("_", ""));
    } catch {
      f = undefined;
    }
    if (f === undefined || !Number.isFinite(f)) this.errorf(`illegal number syntax: ${goQuote(t.val)}`);
    if (!/[.eEpP]/.test(t.val)) this.errorf(`integer overflow: ${goQuote(t.val)}`);
    return { ...base, value: f, isInt: Number.isInteger(f), isFloatSyntax: true };
  }
}

/** Parses a template into its root list. Throws BerthError(invalid-argument) with Go's message. */
export function parseTemplate(src: string, opts: ParseOptions): ListNode {
  const items = lex(src, { breakOK: !opts.hasFunction("break"), continueOK: !opts.hasFunction("continue") });
  return new Parser(items, opts).parse();
}
