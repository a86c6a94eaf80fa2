// Server-side printing: lists, objects and watch events as meta.k8s.io/v1 Table when kubectl asks for one.
import { present } from "../api/objects.js";
import type { KubeObject } from "../meta.js";
import { BUILTIN_COLUMNS, CUSTOM_DEFAULT_COLUMNS, DEFAULT_COLUMNS } from "../resources/columns.js";
import type { DefinedType } from "../resources/define.js";
import type { TableColumn } from "../resources/types.js";

export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? "").split(",")[0] ?? "";
  return first.includes("as=Table") && first.includes("g=meta.k8s.io");
}

function columnsOf(type: DefinedType): TableColumn[] {
  if (type.columns) return type.columns;
  if (type.schemas) return CUSTOM_DEFAULT_COLUMNS;
  return BUILTIN_COLUMNS[type.resource] ?? DEFAULT_COLUMNS;
}

const DESCRIPTION: Record<string, string> = {
  Name: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
};

export function toTable(
  type: DefinedType,
  version: string,
  items: KubeObject[],
  resourceVersion?: string,
  continueToken?: string,
) {
  const columns = columnsOf(type);
  const now = new Date();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {
      ...(resourceVersion ? { resourceVersion } : {}),
      ...(continueToken ? { continue: continueToken } : {}),
    },
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", description: DESCRIPTION.Name, priority: 0 },
      ...columns.map((c) => ({
        name: c.name,
        type: c.type,
        format: c.format ?? "",
        description: c.description ?? c.name,
        priority: c.priority ?? 0,
      })),
    ],
    rows: items.map((o) => {
      const shown = present(o, type, version);
      return {
        cells: [o.metadata.name ?? "", ...columns.map((c) => c.cell(shown, now) ?? null)],
        object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: shown.metadata },
      };
    }),
  };
}
