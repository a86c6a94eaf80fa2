# The console as a container: the bundled server and the built web app on Node 24.
FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm install -g -E pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm -r build

FROM node:24-bookworm-slim
WORKDIR /app
# nsupdate (bind9-dnsutils): the guided setup's TSIG-signed DNS updates.
RUN apt-get update && apt-get install -y --no-install-recommends bind9-dnsutils && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/apps/server/dist/ /app/server/
COPY --from=build /src/apps/web/dist/ /app/web/
# Manifests the guided setup applies (MetalLB's, with its source): read beside the bundle, never downloaded.
COPY --from=build /src/apps/server/manifests/ /app/manifests/
ENV K3S_HA_WEB_DIR=/app/web \
    K3S_HA_DATA_DIR=/data \
    NODE_ENV=production \
    MALLOC_ARENA_MAX=2
# The data folder belongs to the node user and only to it (the database holds the password hash and sessions);
# a named volume mounted here starts with this owner and mode.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "/app/server/cli.js"]
CMD ["serve", "--plan", "/config/plan.yaml", "--host", "::", "--port", "8080"]
