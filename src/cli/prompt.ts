import type { CliContext } from "./command.js";

/** docker's confirmation prompt: "Are you sure you want to continue? [y/N]"; no input means no. */
export async function confirm(ctx: CliContext, warning: string): Promise<boolean> {
  ctx.stdout.write(`${warning}\nAre you sure you want to continue? [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let buf = "";
    const onData = (b: Buffer) => {
      buf += b.toString();
      if (buf.includes("\n")) done();
    };
    const done = () => {
      ctx.stdin.off("data", onData);
      ctx.stdin.off("end", done);
      ctx.stdin.pause();
      resolve(buf.split("\n")[0]!.trim());
    };
    ctx.stdin.on("data", onData);
    ctx.stdin.on("end", done);
  });
  return /^y(es)?$/i.test(answer);
}
