# syntax=docker/dockerfile:1
# Fleetdeck: the BFF (Node 24, TypeScript run by Node's type stripping) serving the built SPA.
#
#   docker build -t ghcr.io/<you>/fleetdeck:0.1.0 .
#   docker push ghcr.io/<you>/fleetdeck:0.1.0
#
# Then install deploy/helm/fleetdeck with image.repository=ghcr.io/<you>/fleetdeck.

ARG NODE_IMAGE=node:24-slim
ARG PNPM_VERSION=10.34.9

# 1. Dependencies and the SPA build (dev dependencies live only in this stage).
FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /src
# Manifests first, so a source change does not reinstall the dependencies. Every workspace
# package's manifest is needed for the lockfile to match; only the app's are installed.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc tsconfig.base.json ./
COPY shared/package.json shared/
COPY bff/package.json bff/
COPY web/package.json web/
COPY e2e/package.json e2e/
COPY testbed/package.json testbed/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile --filter "@fleetdeck/web..." --filter "@fleetdeck/bff..."
COPY shared/ shared/
COPY web/ web/
RUN pnpm --filter @fleetdeck/web build

# 2. Production dependencies of the BFF and shared only.
FROM ${NODE_IMAGE} AS prod-deps
ARG PNPM_VERSION
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY shared/package.json shared/
COPY bff/package.json bff/
COPY web/package.json web/
COPY e2e/package.json e2e/
COPY testbed/package.json testbed/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile --prod --ignore-scripts --filter "@fleetdeck/bff..."

# 3. The runtime: Node, the BFF's sources and production dependencies, the built SPA.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    FLEETDECK_MODE=real \
    HOST=0.0.0.0 \
    PORT=8080 \
    FLEETDECK_STATIC_DIR=/app/web/dist
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=prod-deps /src/shared/node_modules ./shared/node_modules
COPY --from=prod-deps /src/bff/node_modules ./bff/node_modules
COPY package.json ./
COPY shared/package.json shared/
COPY shared/src shared/src
COPY bff/package.json bff/
COPY bff/src bff/src
COPY --from=build /src/web/dist ./web/dist
# The image's `node` user (uid 1000); the chart runs it as that uid with a read-only root.
USER 1000:1000
EXPOSE 8080 9090
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "bff/src/main.ts"]
