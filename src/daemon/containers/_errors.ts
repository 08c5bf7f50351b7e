import { BerthError, conflict } from "../../lib/errors.js";
import { shortId } from "../../lib/ids.js";

export const canceled = (msg: string) => new BerthError("canceled", msg);

export const notRunning = (id: string) => conflict(`Container ${id} is not running`);

export const isPaused = (id: string) =>
  conflict(`Container ${id} is paused. Unpause the container before stopping or killing`);

export const runningNoForce = (id: string) =>
  conflict(
    `cannot remove container "${id}": container is running: stop the container before removing or force remove`,
  );

export { shortId };
