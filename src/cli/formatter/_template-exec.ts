/**
 * The executor of Go's text/template (text/template/exec.go) over JS values. Objects are Go maps:
 * a missing key is "no value" (printed "<no value>"); function-valued properties are methods.
 * Errors read as Go's: `template: :1:2: executing "" at <.A.B>: can't evaluate field B in type
 * string`. (pure)
 */

import { invalidArgument } from "../../lib/errors.js";
import { goQuote } from "../go-strconv.js";
import { type ArgKind, isTrue, type TemplateFunc } from "./_template-funcs.js";
import type {
  ArgNode,
  ChainNode,
  CommandNode,
  ControlNode,
  FieldNode,
  IdentifierNode,
  Node,
  PipeNode,
  VariableNode,
} from "./_template-nodes.js";
import { nodeString } from "./_template-nodes.js";
import { goString, goTypeName, sortedKeys } from "./go-fmt.js";

/** No final (piped) argument. */
const MISSING: unique symbol = Symbol("missing");
type Final = unknown;

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

export interface ExecContext {
  readonly name: string;
  readonly source: string;
  readonly funcs: ReadonlyMap<string, TemplateFunc>;
  /** Return the output so far instead of throwing an evaluation error. */
  readonly partialOnError?: boolean;
}

interface Variable {
  name: string;
  value: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A key present on the object or its class (not Object.prototype's own members). */
function hasField(o: object, key: string): boolean {
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, key)) return true;
  }
  return false;
}

function kindName(kind: ArgKind): string {
  return kind === "value" || kind === "any" ? "interface {}" : kind;
}

class State {
  readonly #ctx: ExecContext;
  readonly #vars: Variable[];
  #node: Node | ArgNode | CommandNode | undefined;
  out = "";

  constructor(ctx: ExecContext, data: unknown) {
    this.#ctx = ctx;
    this.#vars = [{ name: "$", value: data }];
  }

  at(node: Node | ArgNode | CommandNode): void {
    this.#node = node;
  }

  errorf(message: string): never {
    const name = this.#ctx.name;
    const node = this.#node;
    if (node === undefined) throw invalidArgument(`template: ${name}: ${message}`);
    const before = this.#ctx.source.slice(0, node.pos);
    const nl = before.lastIndexOf("\n");
    const col = nl < 0 ? node.pos : node.pos - (nl + 1);
    const line = before.split("\n").length;
    throw invalidArgument(
      `template: ${name}:${line}:${col}: executing ${goQuote(name)} at <${nodeString(node)}>: ${message}`,
    );
  }

  // Variables

  #mark(): number {
    return this.#vars.length;
  }

  #pop(mark: number): void {
    this.#vars.length = mark;
  }

  #setVar(name: string, value: unknown): void {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const v = this.#vars[i]!;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  #setTopVar(n: number, value: unknown): void {
    this.#vars[this.#vars.length - n]!.value = value;
  }

  #varValue(name: string): unknown {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const v = this.#vars[i]!;
      if (v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // Statements

  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const val = this.#evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.#printValue(node, val);
        return;
      }
      case "text":
        this.out += node.text;
        return;
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "if":
      case "with":
        this.#walkIfOrWith(dot, node);
        return;
      case "range":
        this.#walkRange(dot, node);
        return;
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
  }

  #printValue(node: Node, v: unknown): void {
    this.at(node);
    if (v === undefined) {
      this.out += "<no value>";
      return;
    }
    if (typeof v === "function") this.errorf(`can't print ${nodeString(node)} of type ${goTypeName(v)}`);
    this.out += goString(v);
  }

  #walkIfOrWith(dot: unknown, node: ControlNode): void {
    const mark = this.#mark();
    try {
      const val = this.#evalPipeline(dot, node.pipe);
      if (isTrue(val)) this.walk(node.type === "with" ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.#pop(mark);
    }
  }

  #walkRange(dot: unknown, r: ControlNode): void {
    this.at(r);
    const outer = this.#mark();
    try {
      const val = this.#evalPipeline(dot, r.pipe);
      const mark = this.#mark();
      const nDecl = r.pipe.decl.length;
      const oneIteration = (index: unknown, elem: unknown): boolean => {
        if (nDecl > 0) this.#setTopVar(1, elem);
        if (nDecl > 1) this.#setTopVar(2, index);
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e === BREAK) return false;
          if (e !== CONTINUE) throw e;
        } finally {
          this.#pop(mark);
        }
        return true;
      };
      let ran = false;
      if (Array.isArray(val)) {
        for (let i = 0; i < val.length; i++) {
          ran = true;
          if (!oneIteration(i, val[i])) break;
        }
      } else if (isObject(val)) {
        for (const k of sortedKeys(val)) {
          ran = true;
          if (!oneIteration(k, val[k])) break;
        }
      } else if (typeof val === "number" && Number.isInteger(val)) {
        // Go 1.22+: range over an integer counts from 0.
        if (nDecl > 1) this.errorf(`can't use ${goString(val)} to iterate over more than one variable`);
        for (let i = 0; i < val; i++) {
          ran = true;
          if (!oneIteration(i, i)) break;
        }
      } else if (val !== undefined && val !== null) {
        this.errorf(`range can't iterate over ${goString(val)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.#pop(outer);
    }
  }

  // Expressions

  #evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.#evalCommand(dot, cmd, value);
      // Go turns a nil interface result into "no value" (exec.go: "lovely!").
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      const name = v.ident[0] ?? "";
      if (pipe.isAssign) this.#setVar(name, value);
      else this.#vars.push({ name, value });
    }
    return value;
  }

  #notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
    }
  }

  #evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        return this.#evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.#evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.#evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.#notAFunction(cmd.args, final);
        return this.#evalPipeline(dot, first);
      case "variable":
        return this.#evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.#notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return first.value;
      case "string":
        return first.text;
    }
  }

  #evalFieldNode(dot: unknown, field: FieldNode, args: readonly ArgNode[], final: Final): unknown {
    this.at(field);
    return this.#evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  #evalChainNode(dot: unknown, chain: ChainNode, args: readonly ArgNode[], final: Final): unknown {
    this.at(chain);
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.#evalArg(dot, "value", chain.node);
    return this.#evalFieldChain(dot, pipe, chain, chain.fields, args, final);
  }

  #evalVariableNode(dot: unknown, v: VariableNode, args: readonly ArgNode[], final: Final): unknown {
    this.at(v);
    const value = this.#varValue(v.ident[0] ?? "");
    if (v.ident.length === 1) {
      this.#notAFunction(args, final);
      return value;
    }
    return this.#evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  #evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: ArgNode,
    ident: readonly string[],
    args: readonly ArgNode[],
    final: Final,
  ): unknown {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++)
      r = this.#evalField(dot, ident[i]!, node, [], MISSING, r, i > 0);
    return this.#evalField(dot, ident[ident.length - 1]!, node, args, final, r, ident.length > 1);
  }

  #evalField(
    dot: unknown,
    fieldName: string,
    node: ArgNode,
    args: readonly ArgNode[],
    final: Final,
    receiver: unknown,
    fromLookup = false,
  ): unknown {
    if (receiver === undefined) return undefined;
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (typeof receiver === "object" && !Array.isArray(receiver) && !(receiver instanceof Date)) {
      const o = receiver as Record<string, unknown>;
      const value = hasField(o, fieldName) ? o[fieldName] : undefined;
      if (typeof value === "function") {
        const method: TemplateFunc = { params: [], variadic: "any", fn: value.bind(o) as never };
        return this.#evalCall(dot, method, fieldName, node, args.slice(1), final);
      }
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      return value;
    }
    // A value looked up in a map or slice has Go's static type interface {}.
    const type = fromLookup ? "interface {}" : goTypeName(receiver);
    this.errorf(`can't evaluate field ${fieldName} in type ${type}`);
  }

  #evalFunction(
    dot: unknown,
    node: IdentifierNode,
    cmd: ArgNode | CommandNode,
    args: readonly ArgNode[],
    final: Final,
  ): unknown {
    this.at(node);
    const fn = this.#ctx.funcs.get(node.name);
    if (!fn) this.errorf(`${goQuote(node.name)} is not a defined function`);
    return this.#evalCall(dot, fn, node.name, cmd, args.slice(1), final);
  }

  #evalCall(
    dot: unknown,
    fn: TemplateFunc,
    name: string,
    node: ArgNode | CommandNode,
    args: readonly ArgNode[],
    final: Final,
  ): unknown {
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
      }
    } else if (numIn !== numFixed)
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);

    if (fn.special) {
      let v: unknown;
      for (const arg of args) {
        v = this.#evalArg(dot, "value", arg);
        if (isTrue(v) === (fn.special === "or")) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: unknown[] = [];
    args.forEach((arg, i) => {
      const kind = i < numFixed ? fn.params[i]! : (fn.variadic ?? "any");
      argv.push(this.#evalArg(dot, kind, arg));
    });
    if (final !== MISSING) {
      const i = numIn - 1;
      const kind = i < numFixed ? fn.params[i]! : (fn.variadic ?? "any");
      argv.push(this.#validateType(final, kind));
    }
    try {
      return (fn.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (err) {
      this.at(node);
      this.errorf(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  #validateType(value: unknown, kind: ArgKind): unknown {
    if (value === undefined) {
      if (kind === "value") return undefined;
      if (kind === "any") return null;
      this.errorf(`invalid value; expected ${kind}`);
    }
    const ok =
      kind === "any" ||
      kind === "value" ||
      (kind === "string" && typeof value === "string") ||
      (kind === "bool" && typeof value === "boolean") ||
      (kind === "int" && typeof value === "number" && Number.isInteger(value));
    if (!ok) {
      const got = value === null ? "interface {}" : goTypeName(value);
      this.errorf(`wrong type for value; expected ${kind}; got ${got}`);
    }
    return value;
  }

  #evalArg(dot: unknown, kind: ArgKind, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.#validateType(dot, kind);
      case "nil":
        if (kind === "any" || kind === "value") return null;
        return this.errorf(`cannot assign nil to ${kindName(kind)}`);
      case "field":
        return this.#validateType(this.#evalFieldNode(dot, n, [n], MISSING), kind);
      case "variable":
        return this.#validateType(this.#evalVariableNode(dot, n, [], MISSING), kind);
      case "pipe":
        return this.#validateType(this.#evalPipeline(dot, n), kind);
      case "identifier":
        return this.#validateType(this.#evalFunction(dot, n, n, [n], MISSING), kind);
      case "chain":
        return this.#validateType(this.#evalChainNode(dot, n, [], MISSING), kind);
    }
    switch (kind) {
      case "bool":
        if (n.type === "bool") return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case "string":
        if (n.type === "string") return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case "int":
        if (n.type === "number" && n.isInt) return n.value;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    switch (n.type) {
      case "bool":
        return n.value;
      case "number":
        return n.value;
      case "string":
        return n.text;
    }
  }
}

/** Runs a parsed template over data; returns the text or throws BerthError(invalid-argument). */
export function executeTemplate(ctx: ExecContext, root: Node, data: unknown): string {
  const state = new State(ctx, data);
  try {
    state.walk(data, root);
  } catch (err) {
    if (!ctx.partialOnError) throw err;
  }
  return state.out;
}
