# syntax=docker/dockerfile:1.7
# The Switchboard image: the API bundle, the built dashboard it serves, and the migration script.
# Build from the repository root:
#   docker build -f deploy/docker/api.Dockerfile -t switchboard/api:dev .
# Run:      docker run -p 3000:3000 -e DATABASE_URL=... switchboard/api:dev
# Migrate:  docker run -e DATABASE_OWNER_URL=... -e DATABASE_URL=... switchboard/api:dev node apps/api/dist/migrate.mjs
# (overriding the command is how the chart's migrations Job runs it: Kubernetes `command` replaces ENTRYPOINT).

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN npm install -g pnpm@10.34.9
WORKDIR /repo
# Download dependencies from the lockfile alone, so this layer survives source edits.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# pnpm applies the workspace's patchedDependencies while fetching.
COPY patches ./patches
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --store-dir /pnpm/store
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store
RUN pnpm turbo run build --filter "@switchboard/api..." --filter @switchboard/web
# Production node_modules of the API alone. esbuild bundles everything except the native and wasm packages
# (@node-rs/argon2, @electric-sql/pglite), which must be real files beside the bundle. `--legacy` because the
# workspace does not inject workspace packages; dist/ is copied explicitly since it is gitignored (not packed).
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm --filter @switchboard/api deploy --prod --legacy --store-dir /pnpm/store /out \
 && rm -rf /out/dist && cp -r apps/api/dist /out/dist

FROM ${NODE_IMAGE} AS runtime
# Same UID/GID as the chart's podSecurity (10001): PSS "restricted" requires a non-root numeric user.
RUN groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin switchboard
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST_DIR=/app/apps/web/dist \
    MIGRATIONS_DIR=/app/migrations
WORKDIR /app
# Code stays owned by root: the app user can read it but never change it (the chart also mounts / read-only).
COPY --from=build /out /app/apps/api
COPY --from=build /repo/apps/web/dist /app/apps/web/dist
COPY --from=build /repo/migrations /app/migrations
USER 10001:10001
EXPOSE 3000
# node is PID 1 and the API installs its own SIGTERM handler (readiness 503, SSE drain, pool close).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "apps/api/dist/server.mjs"]
