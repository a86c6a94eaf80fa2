// The Kubernetes objects the console reads, as wire schemas over raw API JSON: only the fields it uses are checked,
// the rest passes through (objects grow fields with every release). Builders in cluster.ts reshape them.
import { z } from "zod";

const stringMap = z.record(z.string(), z.string());

export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
});

const conditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().nullable().optional(),
});

export const nodeSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      unschedulable: z.boolean().optional(),
      taints: z
        .array(z.looseObject({ key: z.string(), effect: z.string(), value: z.string().optional() }))
        .optional(),
      podCIDRs: z.array(z.string()).optional(),
    })
    .optional(),
  status: z
    .looseObject({
      conditions: z.array(conditionSchema).optional(),
      addresses: z.array(z.looseObject({ type: z.string(), address: z.string() })).optional(),
      nodeInfo: z.looseObject({ kubeletVersion: z.string().optional() }).optional(),
    })
    .optional(),
});
export type NodeObject = z.infer<typeof nodeSchema>;

export const serviceSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    type: z.string().optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    loadBalancerIP: z.string().optional(),
    externalTrafficPolicy: z.string().optional(),
    ports: z
      .array(
        z.looseObject({
          name: z.string().optional(),
          port: z.number(),
          protocol: z.string().optional(),
          targetPort: z.union([z.number(), z.string()]).optional(),
        }),
      )
      .optional(),
  }),
  status: z
    .looseObject({
      loadBalancer: z
        .looseObject({
          ingress: z
            .array(z.looseObject({ ip: z.string().optional(), hostname: z.string().optional() }))
            .optional(),
        })
        .optional(),
    })
    .optional(),
});
export type ServiceObject = z.infer<typeof serviceSchema>;

export const endpointSliceSchema = z.looseObject({
  metadata: objectMetaSchema,
  addressType: z.string(),
  endpoints: z
    .array(
      z.looseObject({
        addresses: z.array(z.string()),
        conditions: z
          .looseObject({
            ready: z.boolean().nullable().optional(),
            serving: z.boolean().nullable().optional(),
            terminating: z.boolean().nullable().optional(),
          })
          .optional(),
        nodeName: z.string().optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type EndpointSliceObject = z.infer<typeof endpointSliceSchema>;

export const podSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      nodeName: z.string().optional(),
      containers: z.array(z.looseObject({ name: z.string(), image: z.string().optional() })).optional(),
    })
    .optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      conditions: z.array(conditionSchema).optional(),
    })
    .optional(),
});
export type PodObject = z.infer<typeof podSchema>;

/** Any namespaced or cluster-scoped custom resource: its spec is kept whole for the YAML views. */
export const customObjectSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: objectMetaSchema,
  spec: z.record(z.string(), z.unknown()).optional(),
  status: z.record(z.string(), z.unknown()).optional(),
});
export type CustomObject = z.infer<typeof customObjectSchema>;

export const clusterInformationSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      calicoVersion: z.string().optional(),
      clusterGUID: z.string().optional(),
      datastoreReady: z.boolean().optional(),
    })
    .optional(),
});

const peerStatusSchema = z.looseObject({
  peerIP: z.string(),
  type: z.string().optional(),
  state: z.string().optional(),
  since: z.string().optional(),
});

export const calicoNodeStatusSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      node: z.string().optional(),
      classes: z.array(z.string()).optional(),
      updatePeriodSeconds: z.number().optional(),
    })
    .optional(),
  status: z
    .looseObject({
      lastUpdated: z.string().nullable().optional(),
      agent: z.looseObject({ birdV6: z.looseObject({ state: z.string().optional() }).optional() }).optional(),
      bgp: z
        .looseObject({
          peersV6: z.array(peerStatusSchema).optional(),
          peersV4: z.array(peerStatusSchema).optional(),
        })
        .optional(),
    })
    .optional(),
});
export type CalicoNodeStatusObject = z.infer<typeof calicoNodeStatusSchema>;
