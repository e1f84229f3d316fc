# syntax=docker/dockerfile:1.7
# Optional: the dashboard alone, served by unprivileged nginx on port 8080. The chart does not use it (the API
# serves the dashboard from the same origin); it is for people who split static hosting from the API, who must
# then route /trpc on the same hosts to the API so cookies and CSRF checks stay same-origin.
#   docker build -f deploy/docker/web.Dockerfile -t switchboard/web:dev .

ARG NODE_IMAGE=node:24-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

FROM ${NODE_IMAGE} AS build
ENV CI=true PNPM_HOME=/pnpm PATH=/pnpm:$PATH
RUN npm install -g pnpm@10.34.9
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# pnpm applies the workspace's patchedDependencies while fetching.
COPY patches ./patches
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm fetch --store-dir /pnpm/store
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir /pnpm/store
RUN pnpm turbo run build --filter @switchboard/web

FROM ${NGINX_IMAGE} AS runtime
COPY deploy/docker/web-nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /repo/apps/web/dist /usr/share/nginx/html
# nginx-unprivileged already runs as UID 101; pin it numerically for runAsNonRoot checks.
USER 101
EXPOSE 8080
