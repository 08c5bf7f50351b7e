/**
 * The parse tree of a Go text/template (text/template/parse/node.go): statement nodes (text,
 * actions, if/range/with, break/continue, lists) and the argument nodes of pipelines. (pure)
 */

export interface TextNode {
  type: "text";
  pos: number;
  text: string;
}
export interface ActionNode {
  type: "action";
  pos: number;
  line: number;
  pipe: PipeNode;
}
export interface ControlNode {
  type: "if" | "range" | "with";
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}
export interface BranchNode {
  type: "break" | "continue";
  pos: number;
  line: number;
}
export interface ListNode {
  type: "list";
  pos: number;
  nodes: Node[];
}
/** Nodes only the parser sees: they end the list they appear in. */
export interface EndNode {
  type: "end" | "else";
  pos: number;
  line: number;
}
export function isEnd(n: Node | EndNode): n is EndNode {
  return n.type === "end" || n.type === "else";
}

export type Node = TextNode | ActionNode | ControlNode | BranchNode | ListNode;

export interface PipeNode {
  type: "pipe";
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode {
  type: "command";
  pos: number;
  args: ArgNode[];
}
export interface FieldNode {
  type: "field";
  pos: number;
  ident: string[];
}
export interface VariableNode {
  type: "variable";
  pos: number;
  ident: string[];
}
export interface IdentifierNode {
  type: "identifier";
  pos: number;
  name: string;
}
export interface ChainNode {
  type: "chain";
  pos: number;
  node: ArgNode;
  fields: string[];
}
export interface DotNode {
  type: "dot";
  pos: number;
}
export interface NilNode {
  type: "nil";
  pos: number;
}
export interface BoolNode {
  type: "bool";
  pos: number;
  value: boolean;
}
export interface NumberNode {
  type: "number";
  pos: number;
  text: string;
  value: number;
  /** Usable where Go wants an int (integer literals, chars, and floats with integral value). */
  isInt: boolean;
  /** Has float syntax (., e, p): a float64 when used as a plain value. */
  isFloatSyntax: boolean;
}
export interface StringNode {
  type: "string";
  pos: number;
  quoted: string;
  text: string;
}
export type ArgNode =
  | FieldNode
  | VariableNode
  | IdentifierNode
  | ChainNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

/** Go's Node.String(), used in error contexts: `executing "" at <.Foo.Bar>`. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case "field":
      return `.${n.ident.join(".")}`;
    case "variable":
      return n.ident.join(".");
    case "identifier":
      return n.name;
    case "chain": {
      const base = n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node);
      return `${base}.${n.fields.join(".")}`;
    }
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(n.value);
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "pipe": {
      let s = n.decl.length > 0 ? `${n.decl.map(nodeString).join(", ")} ${n.isAssign ? "=" : ":="} ` : "";
      s += n.cmds.map(nodeString).join(" | ");
      return s;
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "text":
      return n.text;
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
    case "break":
    case "continue":
      return `{{${n.type}}}`;
    default: {
      const els = n.elseList ? `{{else}}${nodeString(n.elseList)}` : "";
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`;
    }
  }
}
