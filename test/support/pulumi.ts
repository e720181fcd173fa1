/** Helpers for programs run under `pulumi.runtime.setMocks`. */
import * as pulumi from "@pulumi/pulumi";

/** The engine-internal view of an Output that tests read. */
interface OutputInternals<T> {
  readonly isKnown: Promise<boolean>;
  readonly isSecret: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<T>;
}

/** Resolves an Output: its value (undefined when unknown), whether it is known, whether it is secret. */
export async function settle<T>(output: pulumi.Output<T>): Promise<{ value: T | undefined; known: boolean; secret: boolean }> {
  const o = output as unknown as OutputInternals<T>;
  const [known, secret] = await Promise.all([o.isKnown, o.isSecret]);
  const value = known ? await o.promise() : undefined;
  return { value, known, secret };
}

/** One resource the mocks saw registered. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** Installs mocks that record registrations and echo inputs back as state. */
export async function installMocks(preview: boolean, registered: Registered[]): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const id = preview ? undefined : `${args.name}-id`;
        return { id: id as string, state: preview ? {} : { ...(args.inputs as Record<string, unknown>), platform: "Mocked" } };
      },
      call: (args) => ({ ...(args.inputs as Record<string, unknown>) }),
    },
    "proj",
    "stack",
    preview,
  );
}
