import { invalidArgument } from "../../lib/errors.js";
import { assertNameFree, type ContainerDeps, eventAttributes, findContainer } from "./deps.js";
import { VALID_NAME } from "./names.js";

/** `docker rename`. */
export async function renameContainer(deps: ContainerDeps, ref: string, newName: string): Promise<void> {
  if (!newName) throw invalidArgument("Neither old nor new names may be empty");
  if (!VALID_NAME.test(newName)) {
    throw invalidArgument(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const name = newName.replace(/^\//, "");
  const c = findContainer(deps, ref);
  await deps.locks.run(`name:${name}`, () =>
    deps.locks.run(c.id, async () => {
      if (c.name === name)
        throw invalidArgument(`Renaming a container with the same name as its current name`);
      assertNameFree(deps, name, c.id);
      const oldName = c.name;
      await deps.store.put({ ...c, name });
      deps.publish({
        Type: "container",
        Action: "rename",
        Actor: { ID: c.id, Attributes: { ...eventAttributes({ ...c, name }), oldName: `/${oldName}` } },
      });
    }),
  );
}
